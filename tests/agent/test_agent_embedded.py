"""The agent end to end on the real embedded model (SmolLM2-135M) and real MovieLens-100K."""

from __future__ import annotations

import pytest

from convrec.agent.assemble import build_agent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def agent(home, tmp_path_factory):
    return build_agent(home, llm="embedded",
                       profiles_path=tmp_path_factory.mktemp("embedded") / "profiles.sqlite")


def test_90s_scifi_returns_only_1990s_scifi(agent):
    reply = agent.chat("recommend 90s sci-fi", "e-1")
    assert len(reply.items) == 5
    for item in reply.items:
        assert "Sci-Fi" in item.genres and 1990 <= item.year <= 1999, item
    assert reply.trace.plans[0].source == "llm"


def test_a_loved_title_gives_crime_and_drama_but_not_the_title(agent):
    reply = agent.chat("I loved The Godfather", "e-2")
    titles = [i.title for i in reply.items]
    assert "The Godfather" not in titles
    assert sum({"Crime", "Drama"} & set(i.genres) != set() for i in reply.items) >= 4, titles
    assert agent.profile("e-2").liked == [126]


def test_something_older_narrows_the_earlier_request(agent):
    first = agent.chat("any good sci-fi from the 90s?", "e-3")
    older = agent.chat("something older", "e-3")
    assert older.items
    for item in older.items:
        assert "Sci-Fi" in item.genres and item.year < 1990, item
    assert not {i.id for i in first.items} & {i.id for i in older.items}


def test_every_item_in_a_reply_comes_from_the_catalog_and_is_named_in_the_text(agent):
    reply = agent.chat("funny animated movies for the kids", "e-4")
    for item in reply.items:
        assert {"Animation", "Children's", "Comedy"} <= set(item.genres) or \
            {"Animation", "Comedy"} <= set(item.genres)
        assert item.title in reply.text

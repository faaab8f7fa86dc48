"""The richer planner corpus (generator version 3): every dialogue act, the newer slots, hard
wording, a second catalog, and gold slots read from each request's plain form."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from convrec.agent.frame import RequestFrame, frame_schema
from convrec.agent.tuning import phrases as P
from convrec.agent.tuning.build import generate_corpus, writer_for
from convrec.agent.tuning.corpus import CorpusExample
from convrec.agent.tuning.drafts import DraftDamage, with_drafts
from convrec.recsys.fetch import fetch, open_catalog

FIXTURE = Path(__file__).parents[1] / "fixtures" / "boardgames"


@pytest.fixture(scope="module")
def games(tmp_path_factory):
    home = tmp_path_factory.mktemp("boardgames-corpus")
    fetch(home, "boardgames", FIXTURE / "interactions.csv", FIXTURE / "items.csv", noun="game")
    return open_catalog(home, "boardgames")


@pytest.mark.parametrize("which", ["movies", "games"])
def test_every_act_is_written_and_every_gold_frame_fits_the_catalog(which, catalog, games):
    source = catalog if which == "movies" else games
    corpus = generate_corpus(writer_for(source, seed=7), 700)
    schema = frame_schema(source.genres)
    for example in corpus:
        schema.model_validate(example.frame.model_dump())
    intents = Counter(e.frame.intent for e in corpus)
    assert set(intents) == {"recommend", "info", "compare", "explain", "feedback", "help", "chat"}
    frames = [e.frame for e in corpus]
    for slot in ("genres_any", "exclude_years", "asks", "count", "quality", "narrow", "disliked"):
        assert any(getattr(f, slot) for f in frames), slot
    assert any(e.kind.startswith("foreign") for e in corpus)
    assert any(e.kind.startswith("hard") for e in corpus)


def test_requests_on_a_catalog_of_recent_items_ask_for_its_years(games):
    corpus = generate_corpus(writer_for(games, seed=8), 400)
    lows = [e.frame.year_min for e in corpus if e.frame.year_min is not None]
    assert lows and max(lows) > 2000


def test_games_name_the_catalogs_designers(games):
    writer = writer_for(games, seed=9)
    assert "Reiner Knizia" in writer.people
    people = [p for e in generate_corpus(writer, 700) for p in e.frame.people]
    assert set(people) & set(games.people)
    assert set(people) <= set(games.people) | P.PEOPLE  # or a film person of the shared topics


def test_slots_a_request_does_not_choose_are_read_from_its_plain_form():
    example = CorpusExample("gimme 3 cozy comedys", None, RequestFrame(genres=["Comedy"]),
                            clean="give me 3 cozy comedies")
    readings = {"give me 3 cozy comedies": RequestFrame(genres=["Comedy"], count=3,
                                                         moods=["cozy"]),
                "gimme 3 cozy comedys": RequestFrame(count=3)}
    drafted, counts = with_drafts([example], lambda m, p: readings[m],
                                  DraftDamage(random.Random(0)), str, rate=0.0)
    assert drafted[0].frame == RequestFrame(genres=["Comedy"], count=3, moods=["cozy"])
    assert drafted[0].draft == RequestFrame(count=3) and counts["draft_wrong"] == 1


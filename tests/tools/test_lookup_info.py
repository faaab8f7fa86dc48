"""lookup_items and item_info on the real ML-100K titles."""

from __future__ import annotations

import threading

import pytest

from convrec.recsys.catalog import Catalog
from convrec.tools import ToolError, Toolkit, lookup
from convrec.tools.names import ITEM_INFO, LOOKUP_ITEMS
from convrec.tools.titles import TitleIndex

GODFATHER, GODFATHER_II, FARGO = 126, 186, 99


@pytest.mark.parametrize("written", ["The Godfather", "godfather, the", "The Godfather (1972)",
                                     "godfather 1972", "godfahter", "GODFATHER", "Godfather"])
def test_the_godfather_however_written(toolkit: Toolkit, written: str) -> None:
    bus = toolkit.new_bus()
    result = toolkit.run(LOOKUP_ITEMS, {"titles": [written]}, bus)
    match = result.artifact["matches"][0]
    assert match["id"] == GODFATHER and match["status"] == "matched"
    assert 0.8 <= match["confidence"] <= 1.0
    assert "The Godfather (1972)" in result.content
    assert "126" not in result.content  # the LLM never sees ids


def test_a_bare_godfather_lists_the_sequels_as_alternatives(toolkit: Toolkit) -> None:
    result = toolkit.run(LOOKUP_ITEMS, {"titles": ["Godfather"]}, toolkit.new_bus())
    match = result.artifact["matches"][0]
    assert match["id"] == GODFATHER
    assert GODFATHER_II in [a["id"] for a in match["alternatives"]]
    assert "The Godfather: Part II (1974)" in result.content


def test_typos_with_a_wrong_number_do_not_match_silently(toolkit: Toolkit) -> None:
    with pytest.raises(ToolError, match=r"No title matches 'Godfathr 5'; closest: The Godfather"):
        toolkit.run(LOOKUP_ITEMS, {"titles": ["Godfathr 5"]}, toolkit.new_bus())


def test_nonsense_says_no_match(toolkit: Toolkit) -> None:
    with pytest.raises(ToolError, match="No title matches 'xqzzy plorf'"):
        toolkit.run(LOOKUP_ITEMS, {"titles": ["xqzzy plorf"]}, toolkit.new_bus())


def test_one_miss_among_hits_is_reported_not_guessed(toolkit: Toolkit) -> None:
    result = toolkit.run(LOOKUP_ITEMS, {"titles": ["fargo", "xqzzy plorf"]}, toolkit.new_bus())
    first, second = result.artifact["matches"]
    assert first["id"] == FARGO and second["status"] == "no_match" and second["id"] is None
    assert "No title matches 'xqzzy plorf'" in result.content


def test_identical_titles_are_ambiguous(toolkit: Toolkit) -> None:
    result = toolkit.run(LOOKUP_ITEMS, {"titles": ["Chasing Amy"]}, toolkit.new_bus())
    match = result.artifact["matches"][0]
    assert match["status"] == "ambiguous" and "ambiguous" in result.content
    assert len(match["alternatives"]) >= 1


def test_seen_items_are_flagged(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus(excluded_ids=[FARGO])
    result = toolkit.run(LOOKUP_ITEMS, {"titles": ["Fargo"]}, bus)
    assert result.artifact["matches"][0]["on_bus"] is False
    assert "already seen" in result.content


def test_item_info_answers_what_year_is_fargo(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus()
    result = toolkit.run(ITEM_INFO, {"titles": ["fargo"]}, bus)
    assert "Fargo: 1996; Crime, Drama, Thriller" in result.content
    assert result.artifact["items"][0]["year"] == 1996
    assert len(bus.trail) == 1  # facts do not touch the candidates


def test_item_info_on_an_unknown_title_is_a_tool_error(toolkit: Toolkit) -> None:
    with pytest.raises(ToolError, match="No title matches"):
        toolkit.run(ITEM_INFO, {"titles": ["qwxv zzzk"]}, toolkit.new_bus())


def test_match_title_resolves_a_written_title_as_lookup_items_does(toolkit: Toolkit) -> None:
    match = toolkit.match_title("godfahter")
    assert match.status == "matched" and match.id == GODFATHER
    assert match.best.title == "The Godfather (1972)"
    assert toolkit.match_title("xqzzy plorf").id is None


def test_one_title_index_per_toolkit_shared_with_the_tools(
        catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    built = []

    class Counted(TitleIndex):
        def __init__(self, catalog: Catalog):
            built.append(self)
            super().__init__(catalog)

    monkeypatch.setattr(lookup, "TitleIndex", Counted)
    fresh = Toolkit(catalog, {})
    threads = [threading.Thread(target=fresh.match_title, args=("fargo",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fresh.run(LOOKUP_ITEMS, {"titles": ["fargo"]}, fresh.new_bus())
    fresh.run(ITEM_INFO, {"titles": ["fargo"]}, fresh.new_bus())
    assert len(built) == 1

"""rank_candidates and similar_items with real ALS and SASRec models."""

from __future__ import annotations

import numpy as np
import pytest

from convrec.recsys.blend import cosine_scores
from convrec.recsys.catalog import Catalog
from convrec.recsys.protocol import UserContext
from convrec.tools import ToolError, Toolkit

STAR_WARS, EMPIRE, JEDI = 49, 171, 180


def _sci_fi_bus(toolkit: Toolkit, sequence=()):
    bus = toolkit.new_bus(excluded_ids=sequence, sequence=sequence)
    toolkit.run("filter_items", {"genres_any": ["Sci-Fi"]}, bus)
    return bus


def test_popularity_puts_the_most_rated_first(toolkit: Toolkit, catalog: Catalog) -> None:
    bus = _sci_fi_bus(toolkit)
    members = set(bus.ids.tolist())
    result = toolkit.run("rank_candidates", {"ranker": "popularity", "show": 5}, bus)
    pops = [i.popularity for i in catalog.items(bus.ids.tolist())]
    assert pops == sorted(pops, reverse=True)
    assert set(bus.ids.tolist()) == members  # ranking never adds or removes
    assert result.content.splitlines()[1] == "1. Star Wars (1977) - Action, Adventure, Romance, " \
                                             "Sci-Fi, War"
    assert result.artifact["ids"][0] == STAR_WARS and result.artifact["fallback_reason"] is None


def test_als_ranks_from_the_session_history(toolkit: Toolkit) -> None:
    history = [STAR_WARS, EMPIRE]
    bus = _sci_fi_bus(toolkit, sequence=history)
    members = set(bus.ids.tolist())
    result = toolkit.run("rank_candidates", {"ranker": "als"}, bus)
    expected, _ = toolkit.models.get("als").recommend(UserContext(sequence=history), N=10,
                                                      items=bus.ids)
    assert bus.top(10).tolist() == expected.tolist()
    assert result.artifact["used"] == "als" and result.artifact["fallback_reason"] is None
    assert set(bus.ids.tolist()) == members
    assert bus.trail[-1].tool == "rank_candidates" and bus.trail[-1].note == "als"


def test_sasrec_ranks_from_the_session_history_without_adding_or_dropping(
        toolkit: Toolkit) -> None:
    history = [STAR_WARS, EMPIRE]
    bus = _sci_fi_bus(toolkit, sequence=history)
    members = set(bus.ids.tolist())
    result = toolkit.run("rank_candidates", {"ranker": "sasrec"}, bus)
    assert result.artifact["used"] == "sasrec" and result.artifact["fallback_reason"] is None
    assert set(bus.ids.tolist()) == members
    assert JEDI in bus.top(5).tolist()  # the third of the trilogy follows the first two


def _ids(toolkit: Toolkit, *titles: str) -> list[int]:
    return [toolkit.match_title(t).best.id for t in titles]


def _comedies(toolkit: Toolkit, excluded=()):
    bus = toolkit.new_bus(excluded_ids=excluded)
    toolkit.run("filter_items", {"genres_all": ["Comedy"]}, bus)
    return bus


def _closeness(toolkit: Toolkit, ids, seeds) -> float:
    """Mean ALS cosine of `ids` to `seeds`."""
    return float(cosine_scores(toolkit.models.get("als"), seeds, np.asarray(ids)).mean())


def test_stated_liked_titles_pull_the_picks_towards_them(toolkit: Toolkit) -> None:
    told = _ids(toolkit, "Ed Wood", "Clerks", "Jury Duty")
    ranked = _comedies(toolkit, told)
    toolkit.run("rank_candidates", {"ranker": "similarity", "item_ids": told}, ranked)
    popular = _comedies(toolkit, told)
    toolkit.run("rank_candidates", {"ranker": "popularity"}, popular)
    assert ranked.top(5).tolist() != popular.top(5).tolist()
    assert _closeness(toolkit, ranked.top(5), told) > _closeness(toolkit, popular.top(5), told)


def test_the_order_the_titles_were_told_in_matters(toolkit: Toolkit) -> None:
    told = _ids(toolkit, "Toy Story", "Fargo", "Scream", "Heat")
    tops = []
    for sequence in (told, told[::-1]):
        bus = toolkit.new_bus(excluded_ids=sequence, sequence=sequence)
        toolkit.run("rank_candidates", {"ranker": "sasrec"}, bus)
        tops.append(bus.top(10).tolist())
    assert tops[0] != tops[1]


def test_a_disliked_title_pushes_its_neighbours_down(toolkit: Toolkit) -> None:
    positions = []
    for disliked in ([], [EMPIRE]):
        bus = _sci_fi_bus(toolkit, sequence=[STAR_WARS])
        toolkit.run("rank_candidates", {"ranker": "sasrec", "disliked_ids": disliked}, bus)
        positions.append(bus.ids.tolist().index(JEDI))
    assert positions[1] > positions[0]


def test_a_soft_wish_keeps_its_relevance_when_there_is_no_history(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus()
    toolkit.run("search_items", {"query": "a haunted house", "k": 50}, bus)
    by_relevance = bus.top(50).tolist()
    result = toolkit.run("rank_candidates", {"ranker": "sasrec"}, bus)
    assert result.artifact["used"] == "relevance" and result.artifact["fallback_reason"] is None
    assert set(bus.top(5).tolist()) <= set(by_relevance[:15])
    popular = toolkit.new_bus()
    toolkit.run("search_items", {"query": "a haunted house", "k": 50}, popular)
    toolkit.run("rank_candidates", {"ranker": "popularity"}, popular)
    assert bus.top(5).tolist() != popular.top(5).tolist()


def test_no_history_falls_back_to_popularity_and_says_so(toolkit: Toolkit) -> None:
    bus = _sci_fi_bus(toolkit)
    result = toolkit.run("rank_candidates", {"ranker": "sasrec"}, bus)
    assert result.artifact["requested"] == "sasrec" and result.artifact["used"] == "popularity"
    assert "no item history" in result.artifact["fallback_reason"]
    assert result.content.startswith("Asked to rank by sasrec, but this session has no item "
                                     "history yet, so ranked")
    assert bus.top(1).tolist() == [STAR_WARS]
    assert "fallback" in bus.trail[-1].note


def test_missing_model_falls_back_and_says_why(bare_toolkit: Toolkit) -> None:
    bus = bare_toolkit.new_bus(sequence=[STAR_WARS])
    result = bare_toolkit.run("rank_candidates", {"ranker": "als"}, bus)
    assert result.artifact["used"] == "popularity"
    assert "the als model is not available" in result.content


def test_similarity_ranking_to_named_titles(toolkit: Toolkit) -> None:
    bus = _sci_fi_bus(toolkit)
    result = toolkit.run("rank_candidates", {"ranker": "similarity", "titles": ["Star Wars"]},
                         bus)
    assert result.artifact["used"] == "similarity"
    assert {EMPIRE, JEDI} <= set(bus.top(5).tolist())
    assert np.all(np.diff(bus.scores[: len(bus) - 1]) <= 1e-6)


def test_similar_items_finds_the_sequels(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus()
    result = toolkit.run("similar_items", {"titles": ["star wars"], "k": 10}, bus)
    assert len(bus) == 10 and STAR_WARS not in bus.ids
    assert {EMPIRE, JEDI} <= set(bus.ids.tolist())
    assert "Star Wars (1977)" in result.content and result.artifact["seeds"] == [STAR_WARS]
    assert bus.trail[-1].tool == "similar_items"


def test_similar_items_without_the_model_is_a_tool_error(bare_toolkit: Toolkit) -> None:
    with pytest.raises(ToolError, match="unavailable.*Use search_items"):
        bare_toolkit.run("similar_items", {"titles": ["Fargo"]}, bare_toolkit.new_bus())


def test_unknown_tool_and_ranker_are_tool_errors(toolkit: Toolkit) -> None:
    with pytest.raises(ToolError, match="no tool 'recommend'.*lookup_items"):
        toolkit.run("recommend", {}, toolkit.new_bus())
    with pytest.raises(ToolError, match="ranker"):
        toolkit.run("rank_candidates", {"ranker": "magic"}, toolkit.new_bus())


def test_from_home_loads_nothing_until_asked_and_explains_untrained_models(
        home, tmp_path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "movielens-100k").symlink_to(home / "data" / "movielens-100k")
    toolkit = Toolkit.from_home(tmp_path, train_missing=())
    assert not (tmp_path / "chroma").exists() and not (tmp_path / "models").exists()
    bus = toolkit.new_bus(sequence=[STAR_WARS])
    result = toolkit.run("rank_candidates", {"ranker": "sasrec"}, bus)
    assert result.artifact["used"] == "popularity"
    assert "convrec train --model sasrec" in result.artifact["fallback_reason"]


def test_specs_forbid_unknown_arguments(toolkit: Toolkit) -> None:
    specs = {s["name"]: s for s in toolkit.specs()}
    assert set(specs) == set(toolkit.tools)
    for spec in specs.values():
        assert spec["parameters"]["additionalProperties"] is False
        assert "Do not use" in spec["description"] or "does not" in spec["description"]

"""The candidate bus only narrows (filters, retrievers) and only reorders (rankers)."""

from __future__ import annotations

import numpy as np
import pytest

from convrec.memory.bus import CandidateBus


@pytest.fixture
def bus() -> CandidateBus:
    return CandidateBus(range(10), excluded_ids=[3, 7], sequence=[3, 7])


def test_starts_as_all_items_minus_excluded(bus: CandidateBus) -> None:
    assert bus.ids.tolist() == [0, 1, 2, 4, 5, 6, 8, 9]
    assert len(bus) == 8
    assert np.isnan(bus.scores).all()
    assert bus.trail[0].tool == "start" and (bus.trail[0].n_in, bus.trail[0].n_out) == (10, 8)
    assert bus.sequence.tolist() == [3, 7]


def test_narrow_keeps_the_intersection_and_never_adds(bus: CandidateBus) -> None:
    kept = bus.narrow([9, 3, 1, 42, -5, 1], tool="filter_items", seconds=0.01, note="x")
    assert kept == 2
    assert bus.ids.tolist() == [1, 9]  # bus order kept; 3 (excluded), 42, -5 never enter
    step = bus.trail[-1]
    assert (step.tool, step.n_in, step.n_out, step.note) == ("filter_items", 8, 2, "x")
    bus.narrow(range(100), tool="filter_items")
    assert bus.ids.tolist() == [1, 9]


def test_narrow_with_scores_takes_the_retriever_order(bus: CandidateBus) -> None:
    bus.narrow([8, 7, 0, 2], tool="search_items", scores=[0.9, 0.8, 0.7, 0.1])
    assert bus.ids.tolist() == [8, 0, 2]
    assert bus.scores.tolist() == pytest.approx([0.9, 0.7, 0.1])
    with pytest.raises(ValueError, match="scores"):
        bus.narrow([8, 0], tool="search_items", scores=[1.0])


def test_reorder_puts_scored_first_and_keeps_the_rest_after(bus: CandidateBus) -> None:
    bus.reorder([9, 4], [2.0, 1.0], tool="rank_candidates")
    assert bus.ids.tolist() == [9, 4, 0, 1, 2, 5, 6, 8]
    assert bus.scores[:2].tolist() == [2.0, 1.0] and np.isnan(bus.scores[2:]).all()
    assert bus.top(3).tolist() == [9, 4, 0]
    assert sorted(bus.ids.tolist()) == [0, 1, 2, 4, 5, 6, 8, 9]


def test_reorder_refuses_strangers_and_repeats(bus: CandidateBus) -> None:
    with pytest.raises(ValueError, match="not on the bus"):
        bus.reorder([3], [1.0], tool="rank_candidates")
    with pytest.raises(ValueError, match="twice"):
        bus.reorder([1, 1], [1.0, 1.0], tool="rank_candidates")
    assert len(bus.trail) == 1


def test_members_cannot_be_written_through_the_views(bus: CandidateBus) -> None:
    with pytest.raises(ValueError):
        bus.ids[0] = 3
    with pytest.raises(ValueError):
        bus.scores[0] = 1.0


def test_contains_and_record(bus: CandidateBus) -> None:
    assert bus.contains([0, 3, 99, -1]).tolist() == [True, False, False, False]
    bus.record("lookup_items", note="read only")
    assert bus.trail[-1].n_in == bus.trail[-1].n_out == 8


def test_a_million_items_narrow_fast() -> None:
    big = CandidateBus(np.arange(1_000_000), excluded_ids=np.arange(0, 1_000_000, 7))
    keep = np.arange(0, 1_000_000, 3)
    big.narrow(keep, tool="filter_items")
    assert len(big) == len(set(keep.tolist()) - set(range(0, 1_000_000, 7)))

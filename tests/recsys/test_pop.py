"""Popularity: the most-interacted items first, ties by smaller id."""

from __future__ import annotations

from convrec.recsys.pop import Popularity


def test_most_popular_unseen_items_come_first(tiny_split):
    model = Popularity().fit(tiny_split)
    assert model.recommend(0, N=3)[0].tolist() == [1, 2, 3]
    assert model.recommend(2, N=4)[0].tolist() == [3, 4, -1, -1]


def test_equal_counts_keep_a_stable_order(tiny_split):
    model = Popularity().fit(tiny_split)
    assert model.counts[3] == model.counts[4] == 0
    ids, scores = model.recommend(0, N=4, items=[4, 3])
    assert ids.tolist() == [3, 4, -1, -1] and scores[0] > scores[1]

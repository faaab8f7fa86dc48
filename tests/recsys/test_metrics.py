"""HR@k, NDCG@k, MRR@k: arithmetic on hand-made ranks and on a split with known ranks."""

from __future__ import annotations

import math

import pytest

from convrec.recsys.metrics import evaluate, metrics_from_ranks, target_ranks
from convrec.recsys.pop import Popularity


def test_metrics_from_known_ranks():
    got = metrics_from_ranks([0, 1, -1, 3], k=3)  # rank 3 is outside the top 3: a miss
    assert got["hr@3"] == pytest.approx(2 / 4)
    assert got["ndcg@3"] == pytest.approx((1 + 1 / math.log2(3)) / 4)
    assert got["mrr@3"] == pytest.approx((1 + 1 / 2) / 4)


def test_target_ranks_finds_the_position_or_minus_one():
    assert target_ranks([[5, 7, 9], [1, 2, 3]], [9, 4]).tolist() == [2, -1]


def test_evaluate_on_valid_ranks_against_train_history(tiny_split):
    got = evaluate(Popularity().fit(tiny_split), tiny_split, k=10, part="valid")
    assert got == pytest.approx({"hr@10": 1.0, "ndcg@10": (1 + 1 / math.log2(3)) / 2,
                                 "mrr@10": 0.75})


def test_evaluate_on_test_filters_the_valid_item(tiny_split):
    # User 1's valid item (3) would otherwise push its test item (4) out of the top 2.
    got = evaluate(Popularity().fit(tiny_split), tiny_split, k=2, part="test")
    assert got["hr@2"] == 1.0 and got["mrr@2"] == pytest.approx(0.75)


def test_evaluate_counts_only_the_users_asked_for(tiny_split):
    got = evaluate(Popularity().fit(tiny_split), tiny_split, k=10, users=[1])
    assert got["mrr@10"] == pytest.approx(0.5)


def test_evaluate_rejects_an_unknown_part(tiny_split):
    with pytest.raises(ValueError, match="part must be one of"):
        evaluate(Popularity().fit(tiny_split), tiny_split, part="train")

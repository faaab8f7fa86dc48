"""The stated-history blend and its offline protocol."""

from __future__ import annotations

import numpy as np
import pytest

from convrec.recsys.blend import BlendWeights, blend, genre_overlap, standardise
from convrec.recsys.stated import evaluate_stated, rank_of, stated_cases
from convrec.recsys.train import load_or_train

from .conftest import make_split


def test_signals_are_standardised_and_a_missing_value_counts_as_average() -> None:
    out = standardise(np.array([1.0, 2.0, 3.0, np.nan]))
    assert out[:3].tolist() == pytest.approx([-1.2247, 0.0, 1.2247], abs=1e-4)
    assert out[3] == 0.0
    assert standardise(np.full(4, 7.0)).tolist() == [0.0] * 4


def test_a_heavier_signal_decides_and_an_unknown_one_is_refused() -> None:
    signals = {"sasrec": np.array([3.0, 2.0, 1.0]), "als": np.array([1.0, 2.0, 30.0])}
    assert np.argmax(blend(signals, BlendWeights(sasrec=1.0, als=0.1))) == 0
    assert np.argmax(blend(signals, BlendWeights(sasrec=0.1, als=1.0))) == 2
    with pytest.raises(ValueError, match="no weight for signals"):
        blend({"mood": np.zeros(3)}, BlendWeights())


def test_genre_overlap_is_the_jaccard_with_the_seeds_genres() -> None:
    bits = np.array([0b011, 0b001, 0b100, 0b011], dtype=np.uint64)
    assert genre_overlap(bits, [0], np.array([1, 2, 3])).tolist() == [0.5, 0.0, 1.0]


def test_stated_cases_take_the_last_items_before_the_held_out_one() -> None:
    rows = [(0, i) for i in range(8)]
    split = make_split(rows, n_users=1, n_items=12, valid=[(0, 8)], test=[(0, 9)])
    (user, sequence, target), = stated_cases(split, "valid")
    assert (user, sequence.tolist(), target) == (0, [3, 4, 5, 6, 7], 8)
    (_, sequence, target), = stated_cases(split, "test")
    assert (sequence.tolist(), target) == ([4, 5, 6, 7, 8], 9)


def test_ties_put_the_smaller_id_first() -> None:
    candidates = np.array([5, 3, 9])
    assert rank_of(np.array([1.0, 1.0, 2.0]), candidates, 5) == 2
    assert rank_of(np.array([1.0, 1.0, 2.0]), candidates, 3) == 1
    assert rank_of(np.array([1.0, 1.0, 2.0]), candidates, 7) == -1


def test_the_protocol_scores_each_ranker_on_every_user(split, home) -> None:
    als = load_or_train("als", home)
    rows = evaluate_stated(split, None, als, {"als only": BlendWeights(sasrec=0.0, als=1.0)},
                           part="valid", users=range(100))
    by = {r.ranker: r for r in rows}
    assert set(by) == {"als", "als only"} and by["als"].users == 100
    assert by["als only"].hr == by["als"].hr  # the blend of one signal is that signal
    assert by["als"].hr > 0.03  # far above a random order over 1,682 items (10/1,682)


def test_genre_sets_past_64_genres_keep_every_genre() -> None:
    from convrec.recsys.blend import pack_genres

    # item 0: genres 3 and 70; item 1: genre 70; item 2: genre 3; item 3: genre 69
    bits = pack_genres(np.array([[0, 3], [0, 70], [1, 70], [2, 3], [3, 69]]), 4, 71)
    assert bits.shape == (4, 2)
    assert genre_overlap(bits, [0], np.array([1, 2, 3])).tolist() == [0.5, 0.5, 0.0]

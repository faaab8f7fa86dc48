"""ALS and BPR: input checks, fold-in, NaN guard, and ALS vs popularity on real MovieLens."""

from __future__ import annotations

import numpy as np
import pytest

from convrec.recsys.metrics import evaluate
from convrec.recsys.mf import ALS, BPR, check_user_items
from convrec.recsys.pop import Popularity
from convrec.recsys.protocol import ModelFitError, UserContext


def test_a_transposed_matrix_says_how_to_fix_it(checkerboard):
    matrix = checkerboard.train_matrix()
    with pytest.raises(ValueError, match=r"transposed \(items x users\): pass matrix.T.tocsr"):
        check_user_items(matrix.T.tocsr(), checkerboard.n_users, checkerboard.n_items)
    model = ALS(factors=4, num_threads=1).fit(checkerboard)
    with pytest.raises(ValueError, match="users x items"):
        model.fit_user_items(matrix.T.tocsr())


def test_a_dense_matrix_is_refused(checkerboard):
    with pytest.raises(ValueError, match="scipy sparse matrix"):
        check_user_items(checkerboard.train_matrix().toarray(), checkerboard.n_users,
                         checkerboard.n_items)


def test_nan_factors_are_a_fit_error():
    users = np.ones((3, 4), dtype=np.float32)
    items = np.ones((5, 4), dtype=np.float32)
    items[2, 1] = np.nan
    with pytest.raises(ModelFitError, match="NaN"):
        ALS.from_factors(users, items)


def test_factors_from_elsewhere_must_share_their_width():
    with pytest.raises(ValueError, match="factor widths differ"):
        ALS.from_factors(np.ones((3, 4)), np.ones((5, 3)))


def test_factors_from_elsewhere_recommend_by_dot_product():
    items = np.eye(4, dtype=np.float32)
    model = ALS.from_factors(np.array([[0, 0, 1, 0.5]], dtype=np.float32), items, factors=4)
    assert model.recommend(0, N=2)[0].tolist() == [2, 3]


def test_new_items_of_a_known_user_are_folded_in(personal_model):
    # User 0 (block A) now also watched three items of block B: the rest of B scores higher.
    rest_of_b = list(range(13, 20))
    _, plain = personal_model.recommend(0, N=7, items=rest_of_b)
    ids, folded = personal_model.recommend(UserContext(user_id=0, sequence=(10, 11, 12)),
                                           N=7, items=rest_of_b)
    assert set(ids) == set(rest_of_b)
    assert folded.mean() > plain.mean()


def test_bpr_fold_in_is_the_mean_of_the_history_item_vectors(checkerboard):
    model = BPR(factors=4, iterations=20, num_threads=1).fit(checkerboard)
    vector = model._fold_in([np.array([3, 7])])[0]
    expected = model.item_factors[[3, 7], :-1].mean(axis=0)
    np.testing.assert_allclose(vector[:-1], expected, rtol=1e-6)
    assert vector[-1] == 1.0


def test_als_beats_popularity_on_real_movielens(split):
    als = ALS().fit(split)
    pop = Popularity().fit(split)
    als_ndcg = evaluate(als, split, part="valid")["ndcg@10"]
    pop_ndcg = evaluate(pop, split, part="valid")["ndcg@10"]
    assert als_ndcg > 1.5 * pop_ndcg

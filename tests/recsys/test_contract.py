"""The contract every recommender keeps, run against each model in MODEL_FACTORIES."""

from __future__ import annotations

import numpy as np
import pytest

from convrec.recsys.protocol import Recommender, UserContext

N_ITEMS = 20


def test_held_out_item_ranks_first_on_the_checkerboard(personal_model, answers):
    ids, _ = personal_model.recommend(list(answers), N=1)
    assert ids[:, 0].tolist() == list(answers.values())


def test_a_never_trained_session_gets_the_rest_of_its_block(personal_model):
    ids, _ = personal_model.recommend(UserContext(sequence=(10, 11, 12, 13)), N=6)
    assert set(ids) == {14, 15, 16, 17, 18, 19}


def test_a_session_gets_unseen_items_best_first(fitted):
    ids, scores = fitted.recommend(UserContext(sequence=(0, 1, 2, 3)), N=6)
    assert not set(ids) & {0, 1, 2, 3} and (ids >= 0).all()
    assert np.all(np.diff(scores) <= 0)


def test_similar_items_has_the_shape_of_a_single_recommendation(personal_model):
    ids, scores = personal_model.similar_items(12, N=4)
    assert ids.shape == scores.shape == (4,)
    assert 12 not in ids and set(ids) <= set(range(10, 20))  # its own block, not itself
    restricted, _ = personal_model.similar_items(12, N=3, items=[0, 1, 15])
    assert restricted[0] == 15 and set(restricted.tolist()) <= {0, 1, 15}


def test_batch_equals_single(fitted):
    users = [0, 5, 21, UserContext(sequence=(12, 13)), UserContext(user_id=3, sequence=(15,))]
    batch_ids, batch_scores = fitted.recommend(users, N=5)
    for row, user in enumerate(users):
        ids, scores = fitted.recommend(user, N=5)
        np.testing.assert_array_equal(ids, batch_ids[row])
        # atol: a score near 0 differs by float32 rounding between batch sizes
        np.testing.assert_allclose(scores, batch_scores[row], rtol=1e-5, atol=1e-6)


def test_items_restricts_the_candidates(fitted):
    candidates = [3, 11, 14, 19]
    ids, _ = fitted.recommend(0, N=10, items=candidates)
    real = ids[ids >= 0]
    assert set(real) <= set(candidates) and len(real) > 0


def test_filter_items_are_never_returned(fitted, answers):
    ids, _ = fitted.recommend(0, N=N_ITEMS, filter_items=[answers[0], 12])
    assert answers[0] not in ids and 12 not in ids


def test_already_seen_items_are_dropped_unless_asked(fitted, checkerboard):
    seen = set(checkerboard.train.query("user_id == 0")["item_id"])
    ids, _ = fitted.recommend(0, N=N_ITEMS)
    assert not seen & set(ids)
    everything, _ = fitted.recommend(0, N=N_ITEMS, filter_already_seen=False)
    assert set(everything) == set(range(N_ITEMS))


def test_n_larger_than_the_catalog_is_padded(fitted):
    ids, scores = fitted.recommend(0, N=50)
    unseen = N_ITEMS - 9
    assert ids.shape == scores.shape == (50,)
    assert (ids[:unseen] >= 0).all() and (ids[unseen:] == -1).all()
    assert np.isneginf(scores[unseen:]).all()


def test_the_same_seed_gives_the_same_model(fitted, factory, checkerboard):
    again = factory().fit(checkerboard)
    users = list(range(checkerboard.n_users))
    np.testing.assert_allclose(fitted.recommend(users, N=5)[1], again.recommend(users, N=5)[1],
                               rtol=1e-5)


def test_save_load_round_trip(fitted, tmp_path):
    path = tmp_path / f"{fitted.name}.npz"
    fitted.save(path)
    loaded = Recommender.load(path)
    assert type(loaded) is type(fitted)
    users = [0, 1, 30, UserContext(sequence=(2, 17))]
    for a, b in zip(fitted.recommend(users, N=5), loaded.recommend(users, N=5)):
        np.testing.assert_allclose(a, b, rtol=1e-6)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: m.recommend(0, items=[0, 20]), "unknown item id 20"),
        (lambda m: m.recommend(0, filter_items=[-1]), "unknown item id -1"),
        (lambda m: m.recommend(UserContext(sequence=(99,))), "unknown item id 99"),
        (lambda m: m.recommend(40), "unknown user id 40"),
        (lambda m: m.recommend(UserContext()), "needs a user_id or a non-empty"),
        (lambda m: m.recommend(0, N=0), "N must be positive"),
        (lambda m: m.recommend([]), "no users given"),
    ],
)
def test_bad_input_is_a_clear_value_error(fitted, call, message):
    with pytest.raises(ValueError, match=message):
        call(fitted)

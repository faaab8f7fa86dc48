"""SASRec: order matters, both losses learn, the time budget holds, and bad input is refused.

The shared contract (batch = single, items=, filter_items=, padding, save/load, errors) runs
on SASRec through MODEL_FACTORIES in conftest.py; these are the sequence-specific checks.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convrec.recsys.protocol import Recommender, UserContext
from convrec.recsys.sasrec import (
    SASRec,
    SASRecConfig,
    SASRecNet,
    full_softmax_loss,
    items_before,
    seen_mask,
    training_batch,
    window_starts,
)

from .conftest import make_split

N_ITEMS = 30
N_USERS = 60
TRAIN_LEN = 8

# Trained on train only, with valid checks (the shipped default trains on train + valid).
TINY = dict(max_len=10, hidden=32, n_blocks=1, n_heads=2, dropout=0.0, lr=0.01,
            batch_size=16, warmup_epochs=1, max_epochs=40, eval_every=5, patience=100,
            num_threads=1, train_on_valid=False)


def walk(user: int, length: int) -> list[int]:
    """User `user` walks the item cycle 0 -> 1 -> ... -> 29 -> 0 from its own start."""
    start = (7 * user) % N_ITEMS
    return [(start + step) % N_ITEMS for step in range(length)]


@pytest.fixture(scope="module")
def cyclic():
    """Train: the first 8 steps of each walk; valid and test: the next two."""
    rows, valid, test = [], [], []
    for user in range(N_USERS):
        items = walk(user, TRAIN_LEN + 2)
        rows += [(user, item) for item in items[:TRAIN_LEN]]
        valid.append((user, items[TRAIN_LEN]))
        test.append((user, items[TRAIN_LEN + 1]))
    return make_split(rows, N_USERS, N_ITEMS, valid=valid, test=test)


@pytest.fixture(scope="module")
def cyclic_model(cyclic) -> SASRec:
    return SASRec(**TINY).fit(cyclic)


def test_the_next_item_of_the_walk_ranks_first(cyclic_model):
    ids, _ = cyclic_model.recommend(list(range(N_USERS)), N=1)
    expected = [walk(user, TRAIN_LEN + 1)[-1] for user in range(N_USERS)]
    assert ids[:, 0].tolist() == expected


def test_order_matters_for_a_new_session(cyclic_model):
    assert cyclic_model.recommend(UserContext(sequence=(5, 6, 7)), N=1)[0][0] == 8
    assert cyclic_model.recommend(UserContext(sequence=(20, 21)), N=1)[0][0] == 22


def test_the_context_sequence_wins_over_the_trained_history(cyclic_model):
    history = walk(3, TRAIN_LEN + 1)
    ids, _ = cyclic_model.recommend(UserContext(user_id=3, sequence=tuple(history)), N=1)
    assert ids[0] == walk(3, TRAIN_LEN + 2)[-1]


def test_early_stopping_keeps_the_best_valid_check(cyclic_model):
    ndcgs = [check["valid_ndcg@10"] for check in cyclic_model.history]
    assert len(ndcgs) == TINY["max_epochs"] // TINY["eval_every"]
    assert max(ndcgs) > 0.9


def test_similar_items_are_neighbours_on_the_cycle(cyclic_model):
    ids = cyclic_model.similar_items(10, N=4)[0].ravel()
    assert 10 not in ids and len(set(ids) & {8, 9, 11, 12}) >= 2


def test_the_final_fit_on_train_and_valid_learns_the_valid_items():
    """Every user's valid item is a newcomer, item 30, never in train: only a model trained
    on train + valid can know it comes after the walks."""
    newcomer = N_ITEMS
    rows, valid, test = [], [], []
    for user in range(N_USERS):
        rows += [(user, item) for item in walk(user, TRAIN_LEN)]
        valid.append((user, newcomer))
        test.append((user, walk(user, TRAIN_LEN + 1)[-1]))
    split = make_split(rows, N_USERS, N_ITEMS + 1, valid=valid, test=test)
    walks = [UserContext(sequence=tuple(walk(user, TRAIN_LEN))) for user in range(N_USERS)]
    final = SASRec(**{**TINY, "train_on_valid": True}).fit(split)
    train_only = SASRec(**TINY).fit(split)
    assert (final.recommend(walks, N=1)[0][:, 0] == newcomer).mean() > 0.9
    assert (train_only.recommend(walks, N=1)[0][:, 0] == newcomer).mean() < 0.1
    assert final.history == [] and len(train_only.history) == TINY["max_epochs"] // 5
    # what the final fit trained on is the user's history: never recommended back to them
    top, _ = final.recommend(list(range(N_USERS)), N=3)
    assert not (top == newcomer).any()


def test_the_sampled_loss_learns_the_walk(cyclic):
    model = SASRec(**{**TINY, "sampled_from_items": 10, "n_negatives": 8, "eval_every": 1,
                      "max_epochs": 30})
    assert model.config.uses_sampled_loss(N_ITEMS)
    model.fit(cyclic)
    losses = [check["loss"] for check in model.history]
    assert losses[-1] < 0.5 * losses[0]
    assert max(check["valid_ndcg@10"] for check in model.history) > 0.8


def test_the_loss_switches_to_sampled_on_large_catalogs():
    assert not SASRecConfig().uses_sampled_loss(1_682)
    assert SASRecConfig().uses_sampled_loss(100_000)
    assert not SASRecConfig(loss="full").uses_sampled_loss(1_000_000)


def test_max_seconds_stops_after_one_epoch(cyclic):
    model = SASRec(**{**TINY, "max_seconds": 0.0}).fit(cyclic)
    assert [check["epoch"] for check in model.history] == [1]


def test_save_load_keeps_the_config(cyclic_model, tmp_path):
    cyclic_model.save(tmp_path / "sasrec.npz")
    loaded = Recommender.load(tmp_path / "sasrec.npz")
    assert loaded.config == cyclic_model.config
    session = UserContext(sequence=(1, 2, 3))
    np.testing.assert_allclose(loaded.recommend(session, N=5)[1],
                               cyclic_model.recommend(session, N=5)[1], rtol=1e-6)


def test_training_targets_are_the_next_items_at_every_position():
    sequences = [np.array([4, 5, 6]), np.array([9])]
    x, y = training_batch(sequences, max_len=4, starts=window_starts(sequences, max_len=4))
    assert x.tolist() == [[0, 0, 5, 6], [0, 0, 0, 0]]  # input ids are item + 1
    assert y.tolist() == [[-100, -100, 5, 6], [-100, -100, -100, -100]]


def test_each_position_sees_exactly_its_prefix():
    inputs = torch.tensor([[0, 2, 3, 4]])  # padding, then items 1, 2, 3
    rows, cols = torch.tensor([0, 0, 0]), torch.tensor([1, 2, 3])
    seen = seen_mask(inputs, rows, cols, n_items=5)
    assert [row.nonzero().ravel().tolist() for row in seen] == [[1], [1, 2], [1, 2, 3]]


def test_a_long_sequence_trains_on_its_last_window_and_masks_what_came_before():
    sequences = [np.arange(10), np.array([3, 4])]
    starts = window_starts(sequences, max_len=4)
    x, y = training_batch(sequences, max_len=4, starts=starts)
    assert x[0].tolist() == [6, 7, 8, 9] and y[0].tolist() == [6, 7, 8, 9]  # items 5..8 -> 6..9
    earlier = items_before(sequences, starts, n_items=10)
    assert earlier[0].nonzero().ravel().tolist() == [0, 1, 2, 3, 4] and not earlier[1].any()
    rows, cols = torch.tensor([0, 1]), torch.tensor([0, 3])
    seen = seen_mask(torch.from_numpy(x), rows, cols, n_items=10, earlier=earlier)
    assert seen[0].nonzero().ravel().tolist() == [0, 1, 2, 3, 4, 5]  # before the window + 5
    assert seen[1].nonzero().ravel().tolist() == [3]


def test_random_windows_stay_inside_the_sequence():
    sequences = [np.arange(100), np.arange(5)]
    starts = np.stack([window_starts(sequences, 10, np.random.default_rng(seed))
                       for seed in range(50)])
    assert starts[:, 0].min() >= 0 and starts[:, 0].max() <= 89 and len(set(starts[:, 0])) > 10
    assert (starts[:, 1] == 0).all()


def test_the_training_softmax_leaves_out_seen_items_but_never_the_target():
    torch.manual_seed(0)
    net = SASRecNet(SASRecConfig(max_len=4, hidden=8), n_items=6)
    hidden, targets = torch.randn(2, 8), torch.tensor([4, 1])
    seen = torch.tensor([[1, 1, 0, 0, 0, 0], [0, 1, 0, 1, 0, 0]], dtype=torch.bool)
    logits = hidden @ net.output_embeddings().T
    first, second = logits[0, 2:][None], logits[1, [0, 1, 2, 4, 5]][None]  # unseen only
    for smoothing in (0.0, 0.1):
        expected = (F.cross_entropy(first, torch.tensor([2]), label_smoothing=smoothing)
                    + F.cross_entropy(second, torch.tensor([1]), label_smoothing=smoothing)) / 2
        loss = full_softmax_loss(net, hidden, targets, smoothing, seen)
        torch.testing.assert_close(loss, expected)  # item 1, seen, is still row 2's target


def test_padding_does_not_change_the_prediction():
    torch.manual_seed(0)
    net = SASRecNet(SASRecConfig(max_len=6, hidden=16, dropout=0.0), n_items=10).eval()
    short = net.predict(torch.tensor([[3, 4, 5]]))
    padded = net.predict(torch.tensor([[0, 0, 0, 3, 4, 5], [0, 9, 8, 3, 4, 5]]))
    candidates = net.predict(torch.tensor([[0, 0, 0, 3, 4, 5]]), torch.tensor([7, 2]))
    torch.testing.assert_close(short, padded[:1])  # positions count from the end
    assert not torch.allclose(padded[0], padded[1])  # earlier items do count
    torch.testing.assert_close(candidates, padded[:1, [7, 2]])


def test_a_known_user_without_history_needs_a_sequence():
    split = make_split([(0, 1), (0, 2), (1, 3), (1, 4)], 3, 6)
    model = SASRec(**{**TINY, "max_epochs": 1}).fit(split)
    with pytest.raises(ValueError, match="user 2 has no training history"):
        model.recommend(2)
    assert model.recommend(UserContext(user_id=2, sequence=(1,)), N=2)[0].shape == (2,)


def test_a_bad_config_says_what_to_fix():
    with pytest.raises(ValueError, match="multiple of n_heads"):
        SASRecConfig(hidden=30, n_heads=4)
    with pytest.raises(ValueError, match="loss must be"):
        SASRec(loss="bpr")

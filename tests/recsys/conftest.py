"""Fixtures of the recommender contract suite: small synthetic splits with a known answer.

To run the contract suite against another model, add a factory to MODEL_FACTORIES (small
hyper-parameters: the synthetic data has 40 users and 20 items) and, if the model is
personalised, its name to PERSONALISED (it must then solve the checkerboard).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from convrec.recsys.data import Split
from convrec.recsys.mf import ALS, BPR
from convrec.recsys.pop import Popularity
from convrec.recsys.protocol import Recommender

MODEL_FACTORIES: dict[str, Callable[[], Recommender]] = {
    "pop": Popularity,
    "als": lambda: ALS(factors=4, regularization=1.0, iterations=15, num_threads=1),
    "bpr": lambda: BPR(factors=8, learning_rate=0.05, regularization=0.001, iterations=200,
                       num_threads=1),
    "sasrec": lambda: _tiny_sasrec(),
}
# SASRec is left out: the checkerboard has no order (each user's last item is always the same
# one, never followed by anything); tests/recsys/test_sasrec.py holds its sequential answer key.
PERSONALISED = {"als", "bpr"}


def _tiny_sasrec() -> Recommender:
    from convrec.recsys.sasrec import SASRec  # torch is imported only when asked for

    return SASRec(max_len=10, hidden=32, n_blocks=1, n_heads=2, dropout=0.0, lr=0.01,
                  batch_size=8, warmup_epochs=1, max_epochs=30, num_threads=1)


BLOCK = 10  # items per block
USERS_PER_GROUP = 20


def make_split(rows: list[tuple[int, int]], n_users: int, n_items: int,
               valid: list[tuple[int, int]] = (), test: list[tuple[int, int]] = ()) -> Split:
    """A Split from (user, item) pairs; timestamps follow the order given."""
    def frame(pairs, start):
        data = [(u, i, start + t, 1.0) for t, (u, i) in enumerate(pairs)]
        return pd.DataFrame(data, columns=["user_id", "item_id", "timestamp", "rating"])
    return Split(n_users, n_items, frame(rows, 0), frame(valid, 10_000), frame(test, 20_000))


def held_out_item(user: int) -> int:
    """The checkerboard item user `user` never saw: one of its own block."""
    group = user // USERS_PER_GROUP
    return group * BLOCK + user % BLOCK


@pytest.fixture(scope="session")
def checkerboard() -> Split:
    """Two groups of 20 users liking two disjoint blocks of 10 items; each user misses one
    item of its own block, which must then rank first."""
    rows = []
    for user in range(2 * USERS_PER_GROUP):
        block = (user // USERS_PER_GROUP) * BLOCK
        rows += [(user, item) for item in range(block, block + BLOCK)
                 if item != held_out_item(user)]
    return make_split(rows, 2 * USERS_PER_GROUP, 2 * BLOCK)


@pytest.fixture(scope="session", params=sorted(MODEL_FACTORIES))
def model_name(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def factory(model_name: str) -> Callable[[], Recommender]:
    """Builds a fresh, unfitted contract model."""
    return MODEL_FACTORIES[model_name]


@pytest.fixture(scope="session")
def fitted(factory: Callable[[], Recommender], checkerboard: Split) -> Recommender:
    """Each contract model fitted once on the checkerboard."""
    return factory().fit(checkerboard)


@pytest.fixture(scope="session")
def answers() -> dict[int, int]:
    """Checkerboard user -> the item that must rank first for it."""
    return {user: held_out_item(user) for user in range(2 * USERS_PER_GROUP)}


@pytest.fixture(scope="session", params=sorted(PERSONALISED))
def personal_model(request, checkerboard: Split) -> Recommender:
    """Each personalised model fitted once on the checkerboard."""
    return MODEL_FACTORIES[request.param]().fit(checkerboard)


@pytest.fixture(scope="session")
def tiny_split() -> Split:
    """5 items with train counts 3, 2, 1, 0, 0; users 0 and 1 have valid and test rows.

    Popularity ranks the targets: valid user 0 at 0, user 1 at 1; test (valid item seen)
    user 0 at 0, user 1 at 1.
    """
    train = [(0, 0), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2)]
    return make_split(train, 3, 5, valid=[(0, 1), (1, 3)], test=[(0, 2), (1, 4)])

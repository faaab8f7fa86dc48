"""Matrix factorisation with `implicit`: ALS (Hu, Koren & Volinsky 2008) and BPR (Rendle 2009).

Both learn one vector per user and per item from the user x item matrix of train
interactions and score an item by the dot product. A context the model never trained on
(a session given only as an item sequence, or a known user with new items) is folded in:
ALS solves its least-squares step for the new user against the fixed item factors
(`recalculate_user`); BPR, which has no closed-form step, takes the mean of the history's
item vectors (see `BPR._fold_in`).

Hyper-parameter defaults were chosen on the valid split of MovieLens-100K only (grid over
factors, regularization, alpha, iterations; BM25 weighting did not help): ALS valid NDCG@10
0.069, BPR 0.054.
"""

from __future__ import annotations

import logging
import os
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from implicit.cpu.bpr import BayesianPersonalizedRanking
from threadpoolctl import threadpool_limits

from convrec.recsys.data import Split
from convrec.recsys.protocol import ModelFitError, Recommender, UserContext

log = logging.getLogger(__name__)


def default_threads() -> int:
    """Threads for `implicit`'s own pool: at most 2 (the machines this runs on are small)."""
    return max(1, min(2, os.cpu_count() or 1))


def check_user_items(matrix: sp.spmatrix, n_users: int, n_items: int) -> sp.csr_matrix:
    """`matrix` as float32 CSR with users as rows; a transposed matrix is a ValueError."""
    if not sp.issparse(matrix):
        raise ValueError(f"user_items must be a scipy sparse matrix, got {type(matrix).__name__}")
    if matrix.shape != (n_users, n_items):
        hint = ("it looks transposed (items x users): pass matrix.T.tocsr()"
                if matrix.shape == (n_items, n_users) else "build it with Split.train_matrix()")
        raise ValueError(f"user_items must be users x items {(n_users, n_items)}, got "
                         f"{matrix.shape}; {hint}")
    return sp.csr_matrix(matrix, dtype=np.float32)


class MatrixFactorization(Recommender):
    """Shared machinery: fit through `implicit`, score by dot product, fold-in, save/load."""

    name: ClassVar[str]

    def __init__(self, factors: int, random_state: int, num_threads: int | None) -> None:
        super().__init__()
        self.factors = factors
        self.random_state = random_state
        self.num_threads = num_threads or default_threads()
        self.user_factors = np.zeros((0, 0), dtype=np.float32)
        self.item_factors = np.zeros((0, 0), dtype=np.float32)

    # --- to implement ---------------------------------------------------------------------

    def _implicit_model(self) -> Any:
        """A fresh `implicit` model with this object's hyper-parameters."""
        raise NotImplementedError

    def _fold_in(self, histories: list[np.ndarray]) -> np.ndarray:
        """User vectors (B, d) for item histories the model was not trained on."""
        raise NotImplementedError

    def _hyper_parameters(self) -> dict[str, Any]:
        raise NotImplementedError

    # --- fit ------------------------------------------------------------------------------

    def _fit(self, split: Split, show_progress: bool) -> None:
        self.fit_user_items(split.train_matrix(), show_progress)

    def fit_user_items(self, user_items: sp.spmatrix, show_progress: bool = False) -> None:
        """Learn factors from a users x items matrix (the shape set by `fit`)."""
        user_items = check_user_items(user_items, self.n_users, self.n_items)
        # implicit runs its own thread pool; a BLAS pool inside it only oversubscribes.
        with threadpool_limits(limits=1, user_api="blas"):
            model = self._implicit_model()
            model.fit(user_items, show_progress=show_progress)
        self._set_factors(np.asarray(model.user_factors), np.asarray(model.item_factors))

    def _set_factors(self, user_factors: np.ndarray, item_factors: np.ndarray) -> None:
        if not (np.isfinite(user_factors).all() and np.isfinite(item_factors).all()):
            raise ModelFitError(f"{self.name} produced NaN/inf factors; raise regularization "
                                "or lower the learning rate")
        self.user_factors = np.ascontiguousarray(user_factors, dtype=np.float32)
        self.item_factors = np.ascontiguousarray(item_factors, dtype=np.float32)

    @classmethod
    def from_factors(
        cls, user_factors: np.ndarray, item_factors: np.ndarray,
        seen: list[np.ndarray] | None = None, **config: Any,
    ) -> MatrixFactorization:
        """A model from factors trained elsewhere (e.g. Spark ALS): (U, d) and (I, d) arrays.

        seen: per user, the item ids to treat as already consumed (default: none).
        """
        user_factors, item_factors = np.asarray(user_factors), np.asarray(item_factors)
        if user_factors.ndim != 2 or item_factors.ndim != 2:
            raise ValueError("user_factors and item_factors must be 2-D (rows, d) arrays")
        if user_factors.shape[1] != item_factors.shape[1]:
            raise ValueError(f"factor widths differ: users {user_factors.shape[1]}, items "
                             f"{item_factors.shape[1]}; both must be (rows, d) with the same d")
        model = cls(**config)
        model.n_users, model.n_items = len(user_factors), len(item_factors)
        empty = np.zeros(0, dtype=np.int64)
        model._seen = seen if seen is not None else [empty] * model.n_users
        if len(model._seen) != model.n_users:
            raise ValueError(f"seen has {len(model._seen)} rows; need one per user "
                             f"({model.n_users})")
        model._set_factors(user_factors, item_factors)
        return model

    # --- score ----------------------------------------------------------------------------

    def _score(self, contexts: list[UserContext]) -> np.ndarray:
        return self._user_vectors(contexts) @ self.item_factors.T

    def _user_vectors(self, contexts: list[UserContext]) -> np.ndarray:
        """Trained vectors for known users with nothing new; folded-in vectors otherwise."""
        vectors = np.empty((len(contexts), self.user_factors.shape[1]), dtype=np.float32)
        fold_rows, histories = [], []
        for row, context in enumerate(contexts):
            if context.user_id is not None and not self._adds_items(context):
                vectors[row] = self.user_factors[context.user_id]
            else:
                fold_rows.append(row)
                histories.append(self.seen_items(context))
        if fold_rows:
            vectors[fold_rows] = self._fold_in(histories)
        return vectors

    def _adds_items(self, context: UserContext) -> bool:
        if len(context.sequence) == 0:
            return False
        trained = self._seen[context.user_id]
        return not np.isin(np.asarray(context.sequence), trained).all()

    def _item_vectors(self) -> np.ndarray:
        return self.item_factors

    # --- save / load ----------------------------------------------------------------------

    def _state(self) -> dict[str, np.ndarray]:
        return {"user_factors": self.user_factors, "item_factors": self.item_factors}

    def _load_state(self, arrays: dict[str, np.ndarray]) -> None:
        self._set_factors(arrays["user_factors"], arrays["item_factors"])

    def _config(self) -> dict[str, Any]:
        return {"factors": self.factors, "random_state": self.random_state,
                **self._hyper_parameters()}


class ALS(MatrixFactorization):
    """Implicit-feedback ALS. Confidence of an interaction: 1 + alpha (unseen items: 1)."""

    name = "als"

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 10.0,
        alpha: float = 1.0,
        iterations: int = 15,
        random_state: int = 42,
        num_threads: int | None = None,
    ) -> None:
        super().__init__(factors, random_state, num_threads)
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self._solver: AlternatingLeastSquares | None = None

    def _hyper_parameters(self) -> dict[str, Any]:
        return {"regularization": self.regularization, "alpha": self.alpha,
                "iterations": self.iterations}

    def _implicit_model(self) -> AlternatingLeastSquares:
        return AlternatingLeastSquares(
            factors=self.factors, regularization=self.regularization, alpha=self.alpha,
            iterations=self.iterations, random_state=self.random_state,
            num_threads=self.num_threads,
        )

    def _set_factors(self, user_factors: np.ndarray, item_factors: np.ndarray) -> None:
        super()._set_factors(user_factors, item_factors)
        self._solver = None

    def _fold_in(self, histories: list[np.ndarray]) -> np.ndarray:
        """One least-squares step per history against the fixed item factors."""
        if self._solver is None:
            with threadpool_limits(limits=1, user_api="blas"):
                self._solver = self._implicit_model()
            self._solver.user_factors = self.user_factors
            self._solver.item_factors = self.item_factors
        indptr = np.concatenate([[0], np.cumsum([len(h) for h in histories])])
        indices = np.concatenate(histories).astype(np.int32)
        rows = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                             shape=(len(histories), self.n_items))
        return self._solver.recalculate_user(np.arange(len(histories)), rows)


class BPR(MatrixFactorization):
    """Bayesian Personalized Ranking by SGD; the last factor column is the item bias.

    One thread by default: `implicit` runs lock-free parallel SGD, so with more threads the
    same random_state no longer gives the same model.
    """

    name = "bpr"

    def __init__(
        self,
        factors: int = 64,
        learning_rate: float = 0.01,
        regularization: float = 0.01,
        iterations: int = 100,
        random_state: int = 42,
        num_threads: int | None = 1,
    ) -> None:
        super().__init__(factors, random_state, num_threads)
        self.learning_rate = learning_rate
        self.regularization = regularization
        self.iterations = iterations

    def _hyper_parameters(self) -> dict[str, Any]:
        return {"learning_rate": self.learning_rate, "regularization": self.regularization,
                "iterations": self.iterations}

    def _implicit_model(self) -> BayesianPersonalizedRanking:
        return BayesianPersonalizedRanking(
            factors=self.factors, learning_rate=self.learning_rate,
            regularization=self.regularization, iterations=self.iterations,
            random_state=self.random_state, num_threads=self.num_threads,
        )

    def _fold_in(self, histories: list[np.ndarray]) -> np.ndarray:
        """Mean of the history's item vectors, with 1 in the bias column.

        BPR's user vector is pulled towards the items the user consumed; their mean is the
        usual cheap fold-in (no SGD at request time, deterministic). The bias column keeps
        `implicit`'s layout: user [..., 1] . item [..., bias].
        """
        latent = self.item_factors[:, :-1]
        vectors = np.stack([latent[h].mean(axis=0) for h in histories])
        return np.hstack([vectors, np.ones((len(histories), 1), dtype=np.float32)])

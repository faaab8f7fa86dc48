"""The one contract every recommender keeps (in the style of `implicit`'s RecommenderBase).

A model only implements `_fit`, `_score` and (optionally) `_item_vectors`/`_save_state`;
the base class does the rest the same way for all models: candidate restriction
(`items=`), exclusion (`filter_items=`, already-seen items), top-N, batch vs single.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from convrec.recsys.data import Split


class ModelFitError(RuntimeError):
    """Training diverged or produced unusable factors (e.g. NaNs)."""


class NotFittedError(RuntimeError):
    """The model was used before `fit` or `load`."""


@dataclass(frozen=True)
class UserContext:
    """Who to recommend for: a known (trained) user id, a raw item sequence, or both.

    `sequence` is time-ordered item ids (oldest first). A session that was never trained
    on is ranked from its sequence alone.
    """

    user_id: int | None = None
    sequence: Sequence[int] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.user_id is None and len(self.sequence) == 0:
            raise ValueError("a UserContext needs a user_id or a non-empty item sequence")


UserInput = UserContext | int | Sequence[UserContext | int]


class Recommender(abc.ABC):
    """fit / recommend / similar_items / save / load, the same for every model."""

    name: ClassVar[str]

    def __init__(self) -> None:
        self.n_users = 0
        self.n_items = 0
        self._seen: list[np.ndarray] = []

    # --- to implement ---------------------------------------------------------------------

    @abc.abstractmethod
    def _fit(self, split: Split, show_progress: bool) -> None:
        """Learn from `split.train` (valid may be used for early stopping only)."""

    @abc.abstractmethod
    def _score(self, contexts: list[UserContext]) -> np.ndarray:
        """Scores of every item for each context: (B, n_items) float32."""

    def _item_vectors(self) -> np.ndarray:
        """(n_items, d) vectors for `similar_items` (cosine); models without them raise."""
        raise NotImplementedError(f"{self.name} has no item vectors; use als, bpr or sasrec")

    @abc.abstractmethod
    def _state(self) -> dict[str, np.ndarray]:
        """Arrays to save."""

    @abc.abstractmethod
    def _load_state(self, arrays: dict[str, np.ndarray]) -> None:
        """Restore what `_state` returned."""

    def _config(self) -> dict[str, Any]:
        """JSON-able hyper-parameters, passed back to __init__ on load."""
        return {}

    # --- the contract ---------------------------------------------------------------------

    def fit(self, split: Split, show_progress: bool = False) -> Recommender:
        """Train on a leave-one-out split; returns self."""
        self.n_users, self.n_items = split.n_users, split.n_items
        self._seen = split.sequences()
        self._fit(split, show_progress)
        return self

    def recommend(
        self,
        users: UserInput,
        N: int = 10,
        items: Sequence[int] | np.ndarray | None = None,
        filter_items: Sequence[int] | np.ndarray | None = None,
        filter_already_seen: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-`N` item ids and scores, best first.

        users: one user (an id or a UserContext) -> 1-D arrays; a list -> (B, N) arrays,
        padded with id -1 and score -inf where fewer than N candidates remain.
        items: rank only these candidates. filter_items: never return these.
        filter_already_seen: drop the user's trained history and the context's sequence.
        """
        self._check_fitted()
        if N <= 0:
            raise ValueError(f"N must be positive, got {N}")
        single = isinstance(users, (UserContext, int, np.integer))
        contexts = [self._context(u) for u in ([users] if single else users)]
        if not contexts:
            raise ValueError("no users given")
        scores = np.asarray(self._score(contexts), dtype=np.float32)
        allowed = self._allowed_mask(items, filter_items)
        ids, top = self._top_n(scores, contexts, allowed, N, filter_already_seen)
        return (ids[0], top[0]) if single else (ids, top)

    def similar_items(
        self, item_id: int, N: int = 10, items: Sequence[int] | np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The `N` items most similar to `item_id` (cosine of item vectors), itself excluded."""
        self._check_fitted()
        self._check_item_ids([item_id])
        vectors = self._item_vectors()
        norms = np.linalg.norm(vectors, axis=1) + 1e-9
        scores = (vectors @ vectors[item_id]) / (norms * norms[item_id])
        allowed = self._allowed_mask(items, [item_id])
        scores = np.where(allowed, scores, -np.inf).astype(np.float32)
        ids, top = _top_k(scores[None, :], N)
        return ids[0], top[0]

    def save(self, path: Path) -> None:
        """Save to one .npz file (arrays + config), atomically."""
        from convrec.recsys.io import atomic_path

        self._check_fitted()
        meta = {"model": self.name, "config": self._config(), "n_users": self.n_users,
                "n_items": self.n_items}
        seen_lengths = np.array([len(s) for s in self._seen], dtype=np.int64)
        arrays = {f"state_{k}": v for k, v in self._state().items()}
        path = Path(path)
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as fh:
                np.savez(fh, meta=np.array(json.dumps(meta)), seen_lengths=seen_lengths,
                         seen_items=np.concatenate(self._seen or [np.zeros(0, np.int64)]),
                         **arrays)

    @classmethod
    def load(cls, path: Path) -> Recommender:
        """Load what `save` wrote (on the base class: any model, chosen by the file)."""
        from convrec.recsys.models import model_class

        with np.load(Path(path), allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            target = model_class(meta["model"]) if cls is Recommender else cls
            if target.name != meta["model"]:
                raise ValueError(f"{path} holds a {meta['model']} model, not {target.name}")
            model = target(**meta["config"])
            model.n_users, model.n_items = meta["n_users"], meta["n_items"]
            model._seen = np.split(data["seen_items"], np.cumsum(data["seen_lengths"])[:-1])
            model._load_state({k[len("state_"):]: data[k] for k in data.files
                               if k.startswith("state_")})
        return model

    # --- shared machinery -----------------------------------------------------------------

    def seen_items(self, context: UserContext) -> np.ndarray:
        """What the user has already consumed: trained history plus the context's sequence."""
        known = self._seen[context.user_id] if context.user_id is not None else ()
        return np.unique(np.concatenate([np.asarray(known, np.int64),
                                         np.asarray(context.sequence, np.int64)]))

    def _check_fitted(self) -> None:
        if self.n_items == 0:
            raise NotFittedError(f"{self.name} is not fitted; call fit() or load() first")

    def _check_item_ids(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        array = np.asarray(ids, dtype=np.int64).ravel()
        bad = array[(array < 0) | (array >= self.n_items)]
        if bad.size:
            raise ValueError(f"unknown item id {int(bad[0])}: ids run from 0 to "
                             f"{self.n_items - 1}")
        return array

    def _context(self, user: UserContext | int) -> UserContext:
        context = user if isinstance(user, UserContext) else UserContext(user_id=int(user))
        if context.user_id is not None and not 0 <= context.user_id < self.n_users:
            raise ValueError(f"unknown user id {context.user_id}: the model was trained on "
                             f"{self.n_users} users; pass a UserContext(sequence=...) for a new "
                             "user")
        self._check_item_ids(context.sequence)
        return context

    def _allowed_mask(self, items, filter_items) -> np.ndarray:
        if items is not None:
            allowed = np.zeros(self.n_items, dtype=bool)
            allowed[self._check_item_ids(items)] = True
        else:
            allowed = np.ones(self.n_items, dtype=bool)
        if filter_items is not None:
            allowed[self._check_item_ids(filter_items)] = False
        return allowed

    def _top_n(self, scores, contexts, allowed, N, filter_already_seen):
        scores = np.where(allowed[None, :], scores, -np.inf)
        if filter_already_seen:
            for row, context in enumerate(contexts):
                scores[row, self.seen_items(context)] = -np.inf
        return _top_k(scores, N)


def _top_k(scores: np.ndarray, N: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise top-N of a (B, n) matrix; -inf entries are never returned (id -1 instead)."""
    B, n = scores.shape
    k = min(N, n)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n),
                                                                                 (B, 1))
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-part_scores, axis=1, kind="stable")
    ids = np.take_along_axis(part, order, axis=1)
    top = np.take_along_axis(part_scores, order, axis=1)
    ids = np.where(np.isfinite(top), ids, -1)
    if k < N:
        ids = np.pad(ids, ((0, 0), (0, N - k)), constant_values=-1)
        top = np.pad(top, ((0, 0), (0, N - k)), constant_values=-np.inf)
    return ids.astype(np.int64), top.astype(np.float32)

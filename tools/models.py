"""Recommenders the tools rank with, injected by name and loaded lazily on first use."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from convrec.recsys.protocol import Recommender
from convrec.recsys.threads import torch_threads

log = logging.getLogger(__name__)


class ModelStore:
    """name -> Recommender. Given models are used as is; others come from `loader(name)` once.

    A model that cannot be loaded is remembered as missing with the reason, so tools can say
    why they fell back instead of failing the turn.
    """

    def __init__(self, models: Mapping[str, Recommender] | None = None,
                 loader: Callable[[str], Recommender] | None = None,
                 loadable: Sequence[str] = ()):
        self._models: dict[str, Recommender] = dict(models or {})
        self._missing: dict[str, str] = {}
        self._loader = loader
        self._loadable = tuple(loadable)
        self._lock = threading.Lock()

    def get(self, name: str) -> Recommender | None:
        if name in self._models:
            return self._models[name]
        if name in self._missing:
            return None
        with self._lock:
            if name not in self._models and name not in self._missing:
                self._load(name)
        return self._models.get(name)

    def _load(self, name: str) -> None:
        if self._loader is None or (self._loadable and name not in self._loadable):
            self._missing[name] = f"no {name} model was given to the toolkit"
            return
        try:
            self._models[name] = self._loader(name)
        except Exception as exc:  # a broken or missing model must not fail the turn
            log.warning("could not load the %s model: %s", name, exc)
            self._missing[name] = f"the {name} model could not be loaded ({exc})"

    def reason(self, name: str) -> str:
        """Why `get(name)` is None."""
        return self._missing.get(name, f"no {name} model")

    def names(self) -> list[str]:
        return sorted(set(self._models) | set(self._loadable))


def similarity_scores(model: Recommender, seeds: Sequence[int],
                      candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean cosine similarity of each candidate to the seeds, best first (seeds left out)."""
    seeds = [int(s) for s in seeds if 0 <= int(s) < model.n_items]
    cands = candidates[(candidates >= 0) & (candidates < model.n_items)]
    cands = cands[~np.isin(cands, seeds)]
    if not seeds or cands.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    total = np.zeros(model.n_items, dtype=np.float64)
    for seed in seeds:
        with torch_threads(1):
            ids, scores = model.similar_items(seed, N=int(cands.size), items=cands)
        valid = ids >= 0
        total[ids[valid]] += scores[valid]
    mean = (total[cands] / len(seeds)).astype(np.float32)
    order = np.argsort(-mean, kind="stable")
    return cands[order], mean[order]

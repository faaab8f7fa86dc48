"""Most-popular baseline: every user gets the items with the most train interactions."""

from __future__ import annotations

import numpy as np

from convrec.recsys.data import Split
from convrec.recsys.protocol import Recommender, UserContext


class Popularity(Recommender):
    """Ranks items by how many users interacted with them in train (ties: smaller id first).

    The score is the popularity percentile, in (0, 1]: unique per item, so the order is
    deterministic; the raw counts are in `counts`.
    """

    name = "pop"

    def __init__(self) -> None:
        super().__init__()
        self.counts = np.zeros(0, dtype=np.float32)

        self._percentile = np.zeros(0, dtype=np.float32)

    def _fit(self, split: Split, show_progress: bool) -> None:
        counts = np.bincount(split.train["item_id"].to_numpy(), minlength=split.n_items)
        self.counts = counts.astype(np.float32)
        self._rank_items()

    def _rank_items(self) -> None:
        order = np.lexsort((np.arange(self.n_items), -self.counts))  # by count, then by id
        self._percentile = np.empty(self.n_items, dtype=np.float32)
        self._percentile[order] = np.arange(self.n_items, 0, -1) / self.n_items

    def _score(self, contexts: list[UserContext]) -> np.ndarray:
        return np.broadcast_to(self._percentile, (len(contexts), self.n_items)).copy()

    def _state(self) -> dict[str, np.ndarray]:
        return {"counts": self.counts}

    def _load_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.counts = arrays["counts"].astype(np.float32)
        self._rank_items()

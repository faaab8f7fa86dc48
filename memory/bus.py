"""The candidate bus: the item set handed from tool to tool within one turn.

It starts as "every catalog item minus what this user has seen or rejected", is only
narrowed by filters and retrievers (`narrow`) and only ordered by rankers (`reorder`).
Every change leaves a `BusStep` on the trail. It holds data only: ids, scores, steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

IdsLike = Sequence[int] | np.ndarray | Iterable[int]


@dataclass(frozen=True)
class BusStep:
    """One change of the bus: which tool, how many items before and after, how long."""

    tool: str
    n_in: int
    n_out: int
    seconds: float = 0.0
    note: str = ""


def _as_ids(ids: IdsLike) -> np.ndarray:
    if isinstance(ids, np.ndarray):
        return ids.astype(np.int64, copy=False).ravel()
    if isinstance(ids, range):
        return np.arange(ids.start, ids.stop, ids.step, dtype=np.int64)
    return np.fromiter((int(i) for i in ids), dtype=np.int64)


def _sorted_unique(ids: np.ndarray) -> np.ndarray:
    """Sorted distinct ids; O(n) when already sorted (np.unique is slow on big arrays)."""
    if ids.size > 1 and not (ids[1:] > ids[:-1]).all():
        ids = np.sort(ids)
        ids = ids[np.concatenate(([True], ids[1:] != ids[:-1]))]
    return ids


def _first_occurrence(ids: np.ndarray) -> np.ndarray:
    """Mask of the first occurrence of each id, in place order."""
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    first = np.ones(ids.size, dtype=bool)
    first[order[1:]] = ordered[1:] != ordered[:-1]
    return first


class CandidateBus:
    """Ordered item ids with optional scores (NaN = not scored) and a provenance trail.

    `sequence` is the session's time-ordered item history (oldest first), read by
    sequence-aware rankers; it is context, not a candidate set.
    """

    def __init__(self, all_ids: IdsLike, excluded_ids: IdsLike = (),
                 sequence: IdsLike = ()) -> None:
        ids = _sorted_unique(_as_ids(all_ids))
        excluded = _sorted_unique(_as_ids(excluded_ids))
        self._universe = int(ids[-1]) + 1 if ids.size else 0
        if excluded.size:
            ids = ids[~self._mask_of(excluded)[ids]]
        self._ids = ids
        self._scores = np.full(ids.size, np.nan, dtype=np.float32)
        self.excluded = excluded
        self.sequence = _as_ids(sequence)
        self._trail: list[BusStep] = [
            BusStep("start", int(ids.size + excluded.size), int(ids.size), 0.0,
                    f"{excluded.size} excluded (seen or rejected)")
        ]

    # --- reading ----------------------------------------------------------------------------

    @property
    def ids(self) -> np.ndarray:
        """Current members, best first once ranked (read-only view)."""
        view = self._ids.view()
        view.flags.writeable = False
        return view

    @property
    def scores(self) -> np.ndarray:
        """Scores aligned with `ids`; NaN where the last ordering step gave none."""
        view = self._scores.view()
        view.flags.writeable = False
        return view

    @property
    def trail(self) -> tuple[BusStep, ...]:
        return tuple(self._trail)

    def __len__(self) -> int:
        return int(self._ids.size)

    def top(self, n: int) -> np.ndarray:
        """The first `n` member ids."""
        return self._ids[: max(0, int(n))].copy()

    def contains(self, ids: IdsLike) -> np.ndarray:
        """Boolean mask: which of `ids` are current members."""
        query = _as_ids(ids)
        return self._member_mask()[np.clip(query, 0, self._universe)] & (query >= 0) & (
            query < self._universe)

    # --- changing ---------------------------------------------------------------------------

    def narrow(self, ids: IdsLike, tool: str, scores: Sequence[float] | np.ndarray | None = None,
               seconds: float = 0.0, note: str = "") -> int:
        """Keep only members that are also in `ids`; never adds. Returns the new size.

        Without scores the bus keeps its order and scores. With scores (aligned with `ids`,
        as a retriever returns them) the kept items take the order of `ids` and those scores.
        """
        keep_ids = _as_ids(ids)
        n_in = len(self)
        if scores is None:
            mask = self._mask_of(keep_ids)[self._ids]
            self._ids, self._scores = self._ids[mask], self._scores[mask]
        else:
            values = np.asarray(scores, dtype=np.float32).ravel()
            if values.size != keep_ids.size:
                raise ValueError(f"narrow got {keep_ids.size} ids but {values.size} scores")
            first = _first_occurrence(keep_ids)
            inside = self.contains(keep_ids) & first
            self._ids, self._scores = keep_ids[inside].copy(), values[inside].copy()
        self._trail.append(BusStep(tool, n_in, len(self), float(seconds), note))
        return len(self)

    def reorder(self, ids: IdsLike, scores: Sequence[float] | np.ndarray, tool: str,
                seconds: float = 0.0, note: str = "") -> None:
        """Put the scored `ids` (members, no repeats) first, in the given order.

        Members not in `ids` keep their relative order after them, with NaN scores.
        """
        order = _as_ids(ids)
        values = np.asarray(scores, dtype=np.float32).ravel()
        if values.size != order.size:
            raise ValueError(f"reorder got {order.size} ids but {values.size} scores")
        if not self.contains(order).all():
            stranger = order[~self.contains(order)][0]
            raise ValueError(f"reorder may only order current members; {int(stranger)} is not "
                             "on the bus")
        if not _first_occurrence(order).all():
            raise ValueError("reorder got the same id twice")
        placed = np.zeros(self._universe + 1, dtype=bool)
        placed[order] = True
        rest = self._ids[~placed[self._ids]]
        self._ids = np.concatenate([order, rest])
        self._scores = np.concatenate([values, np.full(rest.size, np.nan, dtype=np.float32)])
        self._trail.append(BusStep(tool, len(self), len(self), float(seconds), note))

    def record(self, tool: str, seconds: float = 0.0, note: str = "") -> None:
        """Note a step that read the bus without changing it."""
        self._trail.append(BusStep(tool, len(self), len(self), float(seconds), note))

    # --- internals --------------------------------------------------------------------------

    def _member_mask(self) -> np.ndarray:
        return self._mask_of(self._ids)

    def _mask_of(self, ids: np.ndarray) -> np.ndarray:
        """Boolean array over 0..universe (last slot always False) marking `ids` in range."""
        mask = np.zeros(self._universe + 1, dtype=bool)
        mask[ids[(ids >= 0) & (ids < self._universe)]] = True
        return mask

    def __repr__(self) -> str:
        return f"CandidateBus({len(self)} items, {len(self._trail)} steps)"

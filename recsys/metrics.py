"""Offline metrics on the leave-one-out split: HR@k, NDCG@k, MRR@k with full ranking.

Every item of the catalog is a candidate except what the user has already seen; one
held-out item per user is the target. For `part="test"` the history is train + valid
(the valid item is filtered as seen and is the last item of the context sequence, so
sequence models see it); for `part="valid"` the history is train.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

from convrec.recsys.data import Split
from convrec.recsys.protocol import Recommender, UserContext

log = logging.getLogger(__name__)

PARTS = ("valid", "test")


def evaluate(
    model: Recommender,
    split: Split,
    k: int = 10,
    part: str = "test",
    users: Iterable[int] | None = None,
    batch_size: int = 256,
) -> dict[str, float]:
    """HR@k, NDCG@k and MRR@k of `model` on `part` ("valid" or "test") of `split`.

    Only users with a row in `part` count; `users` restricts them further. Returns
    {"hr@k": ..., "ndcg@k": ..., "mrr@k": ...} (0.0 for each when no user counts).
    """
    user_ids, targets = _targets(split, part, users)
    histories = split.sequences(include_valid=(part == "test"))
    ranks = np.full(len(user_ids), -1, dtype=np.int64)
    for start in range(0, len(user_ids), batch_size):
        batch = user_ids[start:start + batch_size]
        contexts = [UserContext(user_id=int(u), sequence=tuple(histories[u])) for u in batch]
        top, _ = model.recommend(contexts, N=k)
        ranks[start:start + batch_size] = target_ranks(top, targets[start:start + batch_size])
    log.info("%s on %s: %d users", model.name, part, len(user_ids))
    return metrics_from_ranks(ranks, k)


def target_ranks(top_ids: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """0-based position of each row's target in its top list, -1 where it is absent."""
    hits = np.asarray(top_ids) == np.asarray(targets)[:, None]
    return np.where(hits.any(axis=1), hits.argmax(axis=1), -1)


def metrics_from_ranks(ranks: np.ndarray, k: int) -> dict[str, float]:
    """Mean HR@k, NDCG@k, MRR@k from 0-based target ranks (-1 or >= k: a miss)."""
    ranks = np.asarray(ranks, dtype=np.int64)
    names = (f"hr@{k}", f"ndcg@{k}", f"mrr@{k}")
    if ranks.size == 0:
        return dict.fromkeys(names, 0.0)
    hit = (ranks >= 0) & (ranks < k)
    safe = np.where(hit, ranks, 0)
    ndcg = np.where(hit, 1.0 / np.log2(safe + 2.0), 0.0)
    mrr = np.where(hit, 1.0 / (safe + 1.0), 0.0)
    return dict(zip(names, (float(hit.mean()), float(ndcg.mean()), float(mrr.mean()))))


def _targets(
    split: Split, part: str, users: Iterable[int] | None
) -> tuple[np.ndarray, np.ndarray]:
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, got {part!r}")
    frame = getattr(split, part).sort_values("user_id")
    user_ids = frame["user_id"].to_numpy(dtype=np.int64)
    targets = frame["item_id"].to_numpy(dtype=np.int64)
    if users is not None:
        keep = np.isin(user_ids, np.fromiter(users, dtype=np.int64))
        user_ids, targets = user_ids[keep], targets[keep]
    return user_ids, targets

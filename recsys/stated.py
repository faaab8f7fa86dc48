"""The stated-history protocol: rank every item from the last few items a user would name.

Per user with a held-out item: the sequence is the last `n` items before the target
(train for `part="valid"`, train + valid for `part="test"`), the target is the held-out
item, and every item but the sequence is a candidate (full ranking: the rest of the user's
history is unknown, as in a chat). Compares SASRec from the sequence, ALS from the sequence
(mean cosine) and the blend of `convrec.recsys.blend`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from convrec.recsys.blend import BlendWeights, blend, genre_overlap, model_signals, pack_genres
from convrec.recsys.catalog import Catalog
from convrec.recsys.data import Split
from convrec.recsys.metrics import metrics_from_ranks
from convrec.recsys.protocol import Recommender

STATED_ITEMS = 5


@dataclass(frozen=True)
class StatedRow:
    """One ranker's HR/NDCG/MRR@k on the protocol."""

    ranker: str
    users: int
    hr: float
    ndcg: float
    mrr: float


def stated_cases(split: Split, part: str = "test", n: int = STATED_ITEMS,
                 users: Iterable[int] | None = None) -> list[tuple[int, np.ndarray, int]]:
    """(user, last `n` items before the target, target) for each user with a `part` row."""
    if part not in ("valid", "test"):
        raise ValueError(f"part must be 'valid' or 'test', got {part!r}")
    held = split.valid if part == "valid" else split.test
    histories = split.sequences(include_valid=(part == "test"))
    wanted = None if users is None else {int(u) for u in users}
    cases = []
    for user, target in zip(held["user_id"].to_numpy(), held["item_id"].to_numpy()):
        if (wanted is None or int(user) in wanted) and len(histories[user]):
            cases.append((int(user), histories[user][-n:], int(target)))
    return cases


def rank_of(scores: np.ndarray, candidates: np.ndarray, target: int) -> int:
    """0-based rank of `target` among the candidates by score (ties: smaller id first)."""
    where = np.flatnonzero(candidates == target)
    if where.size == 0:
        return -1
    s = np.nan_to_num(scores, nan=-np.inf)
    mine = s[where[0]]
    return int((s > mine).sum() + ((s == mine) & (candidates < target)).sum())


def evaluate_stated(split: Split, sasrec: Recommender | None, als: Recommender | None,
                    blends: dict[str, BlendWeights], part: str = "test", k: int = 10,
                    genre_bits: np.ndarray | None = None, popularity: np.ndarray | None = None,
                    users: Iterable[int] | None = None) -> list[StatedRow]:
    """SASRec-from-n, ALS-from-n and each named blend on the stated-history protocol."""
    cases = stated_cases(split, part, users=users)
    everything = np.arange(split.n_items, dtype=np.int64)
    full = BlendWeights(**{name: 1.0 for name in BlendWeights().to_dict()})
    ranks: dict[str, list[int]] = {"sasrec": [], "als": [], **{name: [] for name in blends}}
    for _, sequence, target in cases:
        candidates = everything[~np.isin(everything, sequence)]
        told = sequence.tolist()
        signals = model_signals(told, told, [], candidates, sasrec, als, full)
        if genre_bits is not None:
            signals["genre"] = genre_overlap(genre_bits, sequence.tolist(), candidates)
        if popularity is not None:
            signals["popularity"] = np.log1p(popularity[candidates].astype(np.float64))
        for name in ("sasrec", "als"):
            if name in signals:
                ranks[name].append(rank_of(signals[name], candidates, target))
        for name, weights in blends.items():
            used = {s: v for s, v in signals.items() if s in weights.to_dict()}
            ranks[name].append(rank_of(blend(used, weights), candidates, target))
    rows = []
    for name, found in ranks.items():
        if found:
            m = metrics_from_ranks(np.asarray(found), k)
            rows.append(StatedRow(name, len(found), m[f"hr@{k}"], m[f"ndcg@{k}"], m[f"mrr@{k}"]))
    return rows


def genre_bits(catalog: Catalog) -> np.ndarray:
    """Each item's genres as a bit set (`recsys.blend.pack_genres`)."""
    index = {gid: i for i, (gid, _) in enumerate(
        catalog.execute("SELECT genre_id, name FROM genres ORDER BY name"))}
    n = int(catalog.execute("SELECT COALESCE(MAX(item_id), -1) + 1 FROM items")[0][0])
    pairs = [(item, index[gid]) for item, gid in
             catalog.execute("SELECT item_id, genre_id FROM item_genres")]
    return pack_genres(np.array(pairs, dtype=np.int64).reshape(-1, 2), n, len(index))


def format_stated(rows: Sequence[StatedRow], k: int = 10) -> str:
    """A plain-text table, one line per ranker."""
    header = f"{'ranker':<22} {'users':>6} {f'HR@{k}':>7} {f'NDCG@{k}':>8} {f'MRR@{k}':>7}"
    lines = [header, "-" * len(header)]
    lines += [f"{r.ranker:<22} {r.users:>6} {r.hr:>7.4f} {r.ndcg:>8.4f} {r.mrr:>7.4f}"
              for r in rows]
    return "\n".join(lines)


"""The stated-history blend: rank candidates from a short, told sequence of liked items.

Each signal is scored over the candidates and standardised there (z-score), then summed with
`BlendWeights`: SASRec from the sequence (in the order told), ALS cosine to the recent liked
items, minus ALS cosine to disliked items, and whatever per-item signals the caller adds
(genre overlap, popularity, rating quality, search relevance). The weights were chosen on the
validation protocols described in docs/stated_history.md, never on test figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from convrec.recsys.protocol import Recommender, UserContext

ALS_WINDOW = 10  # ALS similarity looks at the most recent liked items only


@dataclass(frozen=True)
class BlendWeights:
    """Weight of each standardised signal; 0 turns a signal off. The defaults are the
    history blend chosen on validation (docs/stated_history.md)."""

    sasrec: float = 1.0
    als: float = 0.25
    genre: float = 0.0
    disliked: float = 0.1
    popularity: float = 0.0
    quality: float = 0.0
    relevance: float = 1.0

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


# "sasrec": from the session's sequence (liked, seen, a list of titles told); "similarity":
# "like X (and Y)", close to the one or two titles named now, in the light of the sequence.
MODE_WEIGHTS = {
    "sasrec": BlendWeights(),
    "similarity": BlendWeights(als=0.5, genre=1.0),
}
# No liked titles or history, but a search ran: its relevance, a little popularity (not
# validated by a protocol: the simulated users state no soft wishes).
RELEVANCE_WEIGHTS = BlendWeights(sasrec=0.0, als=0.0, disliked=0.0, popularity=0.3,
                                 relevance=1.0)


def standardise(values: np.ndarray) -> np.ndarray:
    """(x - mean) / std over the finite values; NaN and constant signals become 0."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    out = np.zeros(values.shape, dtype=np.float64)
    if finite.sum() < 2:
        return out
    std = values[finite].std()
    if std > 0:
        out[finite] = (values[finite] - values[finite].mean()) / std
    return out


def sequence_scores(model: Recommender, sequence: Sequence[int],
                    candidates: np.ndarray) -> np.ndarray:
    """The model's score of each candidate for a session that consumed `sequence` (oldest
    first); NaN for candidates the model does not know. Seen items are not filtered."""
    out = np.full(candidates.size, np.nan, dtype=np.float64)
    known = (candidates >= 0) & (candidates < model.n_items)
    seq = [int(i) for i in sequence if 0 <= int(i) < model.n_items]
    if not seq or not known.any():
        return out
    ids, scores = model.recommend(UserContext(sequence=seq), N=int(known.sum()),
                                  items=candidates[known], filter_already_seen=False)
    valid = ids >= 0
    position = {int(c): i for i, c in enumerate(candidates)}
    out[[position[int(i)] for i in ids[valid]]] = scores[valid]
    return out


def cosine_scores(model: Recommender, seeds: Sequence[int], candidates: np.ndarray
                  ) -> np.ndarray:
    """Mean cosine of each candidate's item vector to the seeds' (NaN where unknown)."""
    out = np.full(candidates.size, np.nan, dtype=np.float64)
    known = (candidates >= 0) & (candidates < model.n_items)
    seeds = [int(s) for s in seeds if 0 <= int(s) < model.n_items]
    if not seeds or not known.any():
        return out
    total = np.zeros(model.n_items, dtype=np.float64)
    for seed in seeds:
        ids, scores = model.similar_items(seed, N=model.n_items - 1)
        valid = ids >= 0
        total[ids[valid]] += scores[valid]
    out[known] = total[candidates[known]] / len(seeds)
    return out


def pack_genres(pairs: np.ndarray, n_items: int, n_genres: int) -> np.ndarray:
    """Each item's genres as a bit set: (n_items, words) uint64, words = ceil(n_genres / 64).

    `pairs`: (item id, genre index) rows, genre index in [0, n_genres)."""
    words = max(1, -(-n_genres // 64))
    bits = np.zeros((n_items, words), dtype=np.uint64)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    one = np.uint64(1) << (pairs[:, 1] % 64).astype(np.uint64)
    np.bitwise_or.at(bits, (pairs[:, 0], pairs[:, 1] // 64), one)
    return bits


def genre_overlap(bits: np.ndarray, seeds: Sequence[int], candidates: np.ndarray) -> np.ndarray:
    """Jaccard overlap of each candidate's genres (bit sets, one row of words per item, or
    one word per item) with all the seeds' genres."""
    if not len(seeds):
        return np.zeros(candidates.size, dtype=np.float64)
    rows = bits if bits.ndim == 2 else bits[:, None]
    seed_bits = np.bitwise_or.reduce(rows[np.asarray(seeds, dtype=np.int64)], axis=0)
    shared = np.bitwise_count(rows[candidates] & seed_bits).sum(axis=1)
    either = np.maximum(np.bitwise_count(rows[candidates] | seed_bits).sum(axis=1), 1)
    return shared / either


def model_signals(sequence: Sequence[int], seeds: Sequence[int], disliked: Sequence[int],
                  candidates: np.ndarray, sasrec: Recommender | None, als: Recommender | None,
                  weights: BlendWeights) -> dict[str, np.ndarray]:
    """The model-based signals the weights ask for (a missing model gives none): SASRec from
    `sequence`, ALS closeness to `seeds` (the last ALS_WINDOW) and to `disliked`."""
    signals: dict[str, np.ndarray] = {}
    if sasrec is not None and weights.sasrec and sequence:
        signals["sasrec"] = sequence_scores(sasrec, sequence, candidates)
    if als is not None and weights.als and seeds:
        signals["als"] = cosine_scores(als, list(seeds)[-ALS_WINDOW:], candidates)
    if als is not None and weights.disliked and disliked:
        signals["disliked"] = -cosine_scores(als, list(disliked)[-ALS_WINDOW:], candidates)
    return signals


def blend(signals: Mapping[str, np.ndarray], weights: BlendWeights) -> np.ndarray:
    """Weighted sum of the standardised signals (unknown names are an error)."""
    weight_of = weights.to_dict()
    unknown = set(signals) - set(weight_of)
    if unknown:
        raise ValueError(f"no weight for signals {sorted(unknown)}; known: {sorted(weight_of)}")
    sizes = {v.shape for v in signals.values()}
    if len(sizes) > 1:
        raise ValueError(f"signals of different shapes: {sorted(sizes)}")
    total = np.zeros(next(iter(sizes)) if sizes else (0,), dtype=np.float64)
    for name, values in signals.items():
        if weight_of[name]:
            total += weight_of[name] * standardise(values)
    return total

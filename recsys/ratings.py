"""Ratings as a quality signal: per-item counts and means, and their shrunk (Bayesian) mean.

Ratings are optional. A dataset "has ratings" when its interactions carry a rating column
with at least two distinct values: a missing column, or one value everywhere (the 1.0 that
implicit feedback is stored with), says nothing about quality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ItemRatings:
    """Per item id (dense, 0..n-1): how many ratings it has and their mean (NaN if none)."""

    counts: np.ndarray  # (n,) int64
    means: np.ndarray  # (n,) float64


def has_ratings(interactions: pd.DataFrame) -> bool:
    """Whether `interactions` carry ratings that can tell items apart (see the module)."""
    if "rating" not in interactions.columns:
        return False
    return interactions["rating"].dropna().nunique() > 1


def item_ratings(interactions: pd.DataFrame, n_items: int) -> ItemRatings | None:
    """Counts and means of the ratings of each item; None when the data has no ratings."""
    if not has_ratings(interactions):
        return None
    rated = interactions.dropna(subset=["rating"])
    grouped = rated.groupby("item_id")["rating"].agg(["size", "mean"])
    counts = np.zeros(n_items, dtype=np.int64)
    means = np.full(n_items, np.nan, dtype=np.float64)
    index = grouped.index.to_numpy(dtype=np.int64)
    counts[index] = grouped["size"].to_numpy()
    means[index] = grouped["mean"].to_numpy(dtype=np.float64)
    return ItemRatings(counts, means)


def prior_weight(counts: np.ndarray) -> float:
    """m, the weight of the global mean: the median number of ratings of the rated items."""
    rated = counts[counts > 0]
    return max(1.0, float(np.median(rated))) if rated.size else 1.0


def shrunk_means(counts: np.ndarray, means: np.ndarray) -> np.ndarray:
    """(sum of ratings + m * global mean) / (n + m) per item, m = `prior_weight(counts)`.

    An item with few ratings stays near the global mean; an unrated one gets it. All NaN
    when nothing is rated.
    """
    counts = np.asarray(counts, dtype=np.float64)
    sums = np.where(counts > 0, np.nan_to_num(means) * counts, 0.0)
    if not (counts > 0).any():
        return np.full(counts.shape, np.nan)
    m = prior_weight(counts)
    global_mean = sums.sum() / counts.sum()
    return (sums + m * global_mean) / (counts + m)

"""Datasets in one canonical form, and the leave-one-out split.

Every source (GroupLens files, RecBole atomic files, a user's CSV) is parsed into a
`Dataset`: dense integer ids for users and items (0..n-1), the original ids kept as
`raw_id`. Everything downstream (catalog, models, tools, the candidate bus) speaks the
dense item ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from convrec.recsys.io import atomic_path

ITEM_COLUMNS = ["item_id", "raw_id", "title", "display_title", "year", "genres", "description"]
INTERACTION_COLUMNS = ["user_id", "item_id", "timestamp", "rating"]


class DataError(ValueError):
    """A data file is malformed; the message names the file, line and column to fix."""


@dataclass(frozen=True)
class DatasetStats:
    users: int
    items: int
    interactions: int
    density: float
    genres: dict[str, int]


@dataclass(frozen=True)
class Dataset:
    """Items and interactions with dense ids.

    items: one row per item, columns ITEM_COLUMNS; `genres` holds a tuple of names.
    interactions: columns INTERACTION_COLUMNS, one row per (user, item), time-ordered per user.
    """

    name: str
    items: pd.DataFrame
    interactions: pd.DataFrame
    user_raw_ids: tuple[str, ...]

    @property
    def n_users(self) -> int:
        return len(self.user_raw_ids)

    @property
    def n_items(self) -> int:
        return len(self.items)

    def stats(self) -> DatasetStats:
        counts: dict[str, int] = {}
        for genres in self.items["genres"]:
            for genre in genres:
                counts[genre] = counts.get(genre, 0) + 1
        n = len(self.interactions)
        return DatasetStats(
            users=self.n_users,
            items=self.n_items,
            interactions=n,
            density=n / max(1, self.n_users * self.n_items),
            genres=dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        )

    def save(self, folder: Path) -> None:
        """Write the canonical files (items.jsonl, interactions.csv, users.txt) atomically."""
        folder.mkdir(parents=True, exist_ok=True)
        items = self.items.assign(genres=self.items["genres"].map(list))
        with atomic_path(folder / "items.jsonl") as tmp:
            items.to_json(tmp, orient="records", lines=True, force_ascii=False)
        with atomic_path(folder / "interactions.csv") as tmp:
            self.interactions.to_csv(tmp, index=False)
        with atomic_path(folder / "users.txt") as tmp:
            tmp.write_text("\n".join(self.user_raw_ids) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, name: str | None = None) -> Dataset:
        """Read what `save` wrote."""
        items = pd.read_json(folder / "items.jsonl", orient="records", lines=True,
                             dtype={"raw_id": str})
        items["genres"] = items["genres"].map(tuple)
        items["year"] = items["year"].astype("Int64")
        items["description"] = items["description"].fillna("")
        interactions = pd.read_csv(folder / "interactions.csv")
        users = (folder / "users.txt").read_text(encoding="utf-8").splitlines()
        return cls(name or folder.name, items[ITEM_COLUMNS], interactions, tuple(users))


def build_dataset(
    name: str, items: pd.DataFrame, interactions: pd.DataFrame
) -> Dataset:
    """Turn raw-id frames into a `Dataset` with dense ids.

    items: raw_id, title, display_title, year, genres (tuple), description.
    interactions: user (raw), item (raw), timestamp, rating, in the source file's order.
    Unknown items must already have been rejected by the parser. Repeated (user, item)
    pairs keep the earliest. Rows are stored per user in time order, ties in time kept in
    file order (see `Split`).
    """
    items = items.reset_index(drop=True).copy()
    items.insert(0, "item_id", np.arange(len(items), dtype=np.int64))
    item_index = dict(zip(items["raw_id"], items["item_id"]))
    frame = interactions.copy()
    frame["user"] = frame["user"].astype(str)
    user_raw = tuple(sorted(frame["user"].unique(), key=_natural_key))
    user_index = {u: i for i, u in enumerate(user_raw)}
    frame["user_id"] = frame["user"].map(user_index).astype(np.int64)
    frame["item_id"] = frame["item"].astype(str).map(item_index).astype(np.int64)
    frame = frame.sort_values(["user_id", "timestamp"], kind="stable")
    frame = frame.drop_duplicates(["user_id", "item_id"], keep="first")
    frame = frame[INTERACTION_COLUMNS].reset_index(drop=True)
    return Dataset(name, items[ITEM_COLUMNS], frame, user_raw)


def _natural_key(value: str) -> tuple[int, int | str]:
    return (0, int(value)) if value.isdigit() else (1, value)


@dataclass(frozen=True)
class Split:
    """Leave-one-out by timestamp.

    Per user, interactions are ordered by timestamp; ties in time keep the order of the
    source file (a stable sort), as RecBole does.
    The last item is test, the second-last valid, the rest train. Users with fewer than 3
    interactions keep everything in train and have no valid/test row.
    """

    n_users: int
    n_items: int
    train: pd.DataFrame
    valid: pd.DataFrame
    test: pd.DataFrame

    def train_matrix(self, include_valid: bool = False) -> sp.csr_matrix:
        """User x item CSR of ones (rows are users: the orientation `implicit` expects)."""
        frame = pd.concat([self.train, self.valid]) if include_valid else self.train
        data = np.ones(len(frame), dtype=np.float32)
        matrix = sp.csr_matrix(
            (data, (frame["user_id"].to_numpy(), frame["item_id"].to_numpy())),
            shape=(self.n_users, self.n_items),
        )
        matrix.sum_duplicates()
        return matrix

    def sequences(self, include_valid: bool = False) -> list[np.ndarray]:
        """Per user, the time-ordered item ids of train (and valid, if asked)."""
        frame = pd.concat([self.train, self.valid]) if include_valid else self.train
        frame = frame.sort_values(["user_id", "timestamp"], kind="stable")
        grouped = frame.groupby("user_id")["item_id"].apply(lambda s: s.to_numpy())
        empty = np.zeros(0, dtype=np.int64)
        return [grouped.get(u, empty) for u in range(self.n_users)]


def leave_one_out(dataset: Dataset) -> Split:
    """Split a dataset's interactions (see `Split`)."""
    frame = dataset.interactions.sort_values(["user_id", "timestamp"], kind="stable")
    position_from_end = frame.groupby("user_id").cumcount(ascending=False)
    size = frame.groupby("user_id")["item_id"].transform("size")
    eligible = size >= 3
    test = frame[eligible & (position_from_end == 0)]
    valid = frame[eligible & (position_from_end == 1)]
    train = frame[~eligible | (position_from_end >= 2)]
    return Split(
        dataset.n_users,
        dataset.n_items,
        train.reset_index(drop=True),
        valid.reset_index(drop=True),
        test.reset_index(drop=True),
    )

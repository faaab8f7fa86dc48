"""Datasets in one canonical form, and the leave-one-out split.

Every source (GroupLens files, RecBole atomic files, a user's CSV) is parsed into a
`Dataset`: dense integer ids for users and items (0..n-1), the original ids kept as
`raw_id`. Everything downstream (catalog, models, tools, the candidate bus) speaks the
dense item ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from convrec.recsys.io import atomic_path, atomic_write_text
from convrec.recsys.schema import DatasetInfo

# genres: every facet value of the item (a tuple); facets: (column, value) pairs; people:
# (role, name) pairs; description: the item's text columns joined.
ITEM_COLUMNS = ["item_id", "raw_id", "title", "display_title", "year", "genres", "description",
                "facets", "people"]
INFO_FILE = "dataset.json"
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

    items: one row per item, columns ITEM_COLUMNS; `genres` holds a tuple of facet values.
    interactions: columns INTERACTION_COLUMNS, one row per (user, item), time-ordered per user.
    info: the item noun and what the item columns mean.
    """

    name: str
    items: pd.DataFrame
    interactions: pd.DataFrame
    user_raw_ids: tuple[str, ...]
    info: DatasetInfo = field(default_factory=DatasetInfo)

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
        """Write the canonical files (items.jsonl, interactions.csv, users.txt, dataset.json)
        atomically."""
        folder.mkdir(parents=True, exist_ok=True)
        items = self.items.assign(genres=self.items["genres"].map(list),
                                  facets=self.items["facets"].map(lambda p: [list(x) for x in p]),
                                  people=self.items["people"].map(lambda p: [list(x) for x in p]))
        with atomic_path(folder / "items.jsonl") as tmp:
            items.to_json(tmp, orient="records", lines=True, force_ascii=False)
        with atomic_path(folder / "interactions.csv") as tmp:
            self.interactions.to_csv(tmp, index=False)
        with atomic_path(folder / "users.txt") as tmp:
            tmp.write_text("\n".join(self.user_raw_ids) + "\n", encoding="utf-8")
        atomic_write_text(folder / INFO_FILE, self.info.to_json())

    @classmethod
    def load(cls, folder: Path, name: str | None = None,
             default_info: DatasetInfo | None = None) -> Dataset:
        """Read what `save` wrote. A folder written before datasets described themselves
        (no dataset.json, no facets or people) gets `default_info` and facets from genres."""
        items = pd.read_json(folder / "items.jsonl", orient="records", lines=True,
                             dtype={"raw_id": str})
        items["genres"] = items["genres"].map(tuple)
        items["year"] = items["year"].astype("Int64")
        items["description"] = items["description"].fillna("")
        if "facets" in items:
            items["facets"] = items["facets"].map(lambda p: tuple(tuple(x) for x in p))
        else:
            items["facets"] = items["genres"].map(lambda g: tuple(("genres", v) for v in g))
        items["people"] = (items["people"].map(lambda p: tuple(tuple(x) for x in p))
                           if "people" in items else [()] * len(items))
        interactions = pd.read_csv(folder / "interactions.csv")
        users = (folder / "users.txt").read_text(encoding="utf-8").splitlines()
        info_path = folder / INFO_FILE
        info = (DatasetInfo.from_json(info_path.read_text(encoding="utf-8"))
                if info_path.is_file() else default_info or DatasetInfo())
        return cls(name or folder.name, items[ITEM_COLUMNS], interactions, tuple(users), info)


def build_dataset(
    name: str, items: pd.DataFrame, interactions: pd.DataFrame,
    info: DatasetInfo | None = None,
) -> Dataset:
    """Turn raw-id frames into a `Dataset` with dense ids.

    items: raw_id, title, display_title, year, genres (tuple), description, and optionally
    facets ((column, value) pairs; from genres when absent) and people ((role, name) pairs).
    interactions: user (raw), item (raw), timestamp, rating, in the source file's order.
    Unknown items must already have been rejected by the parser. Repeated (user, item)
    pairs keep the earliest. Rows are stored per user in time order, ties in time kept in
    file order (see `Split`).
    """
    items = items.reset_index(drop=True).copy()
    items.insert(0, "item_id", np.arange(len(items), dtype=np.int64))
    if "facets" not in items:
        items["facets"] = items["genres"].map(lambda g: tuple(("genres", v) for v in g))
    if "people" not in items:
        items["people"] = [()] * len(items)
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
    return Dataset(name, items[ITEM_COLUMNS], frame, user_raw, info or DatasetInfo())


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

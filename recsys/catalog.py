"""The item catalog: a SQLite database built from a dataset, opened read-only by everyone.

Tables: `items` (id, titles, year, popularity, ratings, retrieval text), `genres` and
`item_genres` (every facet value of every facet column, with the column it came from),
`people` and `item_people` (names with their role), `meta` (the dataset's `DatasetInfo`)
and `items_fts` (FTS5 over titles). `PRAGMA user_version` holds CATALOG_VERSION; a catalog
of another version is rebuilt by `recsys.fetch` (from the dataset's cached files) and
refused by `Catalog`.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from convrec.recsys.data import Dataset
from convrec.recsys.io import atomic_path
from convrec.recsys.ratings import item_ratings
from convrec.recsys.schema import DatasetInfo

# 2: facet columns (genres.kind), people, meta; 1: items.n_ratings and items.avg_rating
# (0: no version, the catalog of before ratings).
CATALOG_VERSION = 2

SCHEMA = """
CREATE TABLE items (
    item_id INTEGER PRIMARY KEY,
    raw_id TEXT NOT NULL,
    title TEXT NOT NULL,
    display_title TEXT NOT NULL,
    year INTEGER,
    popularity INTEGER NOT NULL,
    description TEXT NOT NULL,
    text TEXT NOT NULL,
    n_ratings INTEGER NOT NULL,
    avg_rating REAL
);
CREATE TABLE genres (genre_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                     kind TEXT NOT NULL);
CREATE TABLE item_genres (
    item_id INTEGER NOT NULL REFERENCES items(item_id),
    genre_id INTEGER NOT NULL REFERENCES genres(genre_id),
    PRIMARY KEY (item_id, genre_id)
);
CREATE INDEX item_genres_by_genre ON item_genres(genre_id, item_id);
CREATE TABLE people (person_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE item_people (
    item_id INTEGER NOT NULL REFERENCES items(item_id),
    person_id INTEGER NOT NULL REFERENCES people(person_id),
    role TEXT NOT NULL,
    PRIMARY KEY (item_id, person_id, role)
);
CREATE INDEX item_people_by_person ON item_people(person_id, item_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX items_by_year ON items(year);
CREATE INDEX items_by_popularity ON items(popularity);
CREATE VIRTUAL TABLE items_fts USING fts5(title, display_title);
"""


@dataclass(frozen=True)
class CatalogItem:
    """One item as tools, the agent and the UI see it."""

    id: int
    title: str
    display_title: str
    year: int | None
    genres: tuple[str, ...]
    popularity: int
    description: str = ""
    n_ratings: int = 0  # 0 when the data has no ratings
    avg_rating: float | None = None  # None when the item (or the data) has no ratings
    people: tuple[tuple[str, str], ...] = ()  # (role, name) pairs

    def names(self) -> tuple[str, ...]:
        """The item's people, without their roles."""
        return tuple(dict.fromkeys(name for _, name in self.people))

    def label(self) -> str:
        """"The Godfather (1972)"."""
        return f"{self.display_title} ({self.year})" if self.year else self.display_title


class TitleRow(NamedTuple):
    """An item's titles, as title matchers index them."""

    id: int
    title: str  # as the dataset writes it: "Godfather, The"
    display_title: str  # "The Godfather"
    year: int | None
    popularity: int


def item_text(display_title: str, year: int | None, facets: Sequence[tuple[str, str]],
              description: str, people: Sequence[tuple[str, str]] = ()) -> str:
    """The text that semantic retrieval embeds for an item: title, year, every facet
    column, every person with their role, and all of its text."""
    parts = [display_title + (f" ({year})" if year else "")]
    for column in dict.fromkeys(c for c, _ in facets):
        values = [v for c, v in facets if c == column]
        parts.append(f"{column.capitalize()}: " + ", ".join(values) + ".")
    for role in dict.fromkeys(r for r, _ in people):
        names = [n for r, n in people if r == role]
        parts.append(f"{role.capitalize()}: " + ", ".join(names) + ".")
    if description:
        parts.append(description)
    return " ".join(parts)


def _pairs(joined: str | None) -> tuple[tuple[str, str], ...]:
    """"designer=Reiner Knizia|designer=..." -> (("designer", "Reiner Knizia"), ...)."""
    if not joined:
        return ()
    return tuple(tuple(part.split("=", 1)) for part in joined.split("|"))  # type: ignore[misc]


class StaleCatalogError(RuntimeError):
    """The catalog was built by another version of convrec; the message says how to rebuild."""


def build_catalog(dataset: Dataset, path: Path) -> None:
    """Build the catalog database for `dataset` at `path`, atomically."""
    popularity = dataset.interactions["item_id"].value_counts()
    ratings = item_ratings(dataset.interactions, dataset.n_items)
    kinds = {v: c for facets in dataset.items["facets"] for c, v in reversed(facets)}
    genre_ids = {name: i for i, name in enumerate(sorted(kinds))}
    names = sorted({n for people in dataset.items["people"] for _, n in people})
    person_ids = {name: i for i, name in enumerate(names)}
    with atomic_path(path) as tmp:
        tmp.unlink()
        con = sqlite3.connect(tmp)
        try:
            con.executescript(SCHEMA)
            con.executemany("INSERT INTO genres VALUES (?, ?, ?)",
                            [(i, name, kinds[name]) for name, i in genre_ids.items()])
            con.executemany("INSERT INTO people VALUES (?, ?)",
                            [(i, name) for name, i in person_ids.items()])
            con.execute("INSERT INTO meta VALUES ('info', ?)", (dataset.info.to_json(),))
            for row in dataset.items.itertuples(index=False):
                _insert_item(con, row, int(popularity.get(row.item_id, 0)), ratings,
                             genre_ids, person_ids)
            con.execute(f"PRAGMA user_version = {CATALOG_VERSION}")
            con.commit()
        finally:
            con.close()


def _insert_item(con: sqlite3.Connection, row, popularity: int, ratings,
                 genre_ids: dict[str, int], person_ids: dict[str, int]) -> None:
    item_id = int(row.item_id)
    year = None if pd.isna(row.year) else int(row.year)
    text = item_text(row.display_title, year, row.facets, row.description, row.people)
    n_ratings = int(ratings.counts[item_id]) if ratings else 0
    avg = float(ratings.means[item_id]) if n_ratings else None
    con.execute(
        "INSERT INTO items (item_id, raw_id, title, display_title, year, "
        "popularity, description, text, n_ratings, avg_rating) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (item_id, str(row.raw_id), row.title, row.display_title, year, popularity,
         row.description, text, n_ratings, avg),
    )
    con.executemany("INSERT INTO item_genres VALUES (?, ?)",
                    [(item_id, genre_ids[g]) for g in row.genres])
    con.executemany("INSERT OR IGNORE INTO item_people VALUES (?, ?, ?)",
                    [(item_id, person_ids[name], role) for role, name in row.people])
    con.execute("INSERT INTO items_fts(rowid, title, display_title) VALUES (?, ?, ?)",
                (item_id, row.title, row.display_title))


def catalog_version(path: Path) -> int | None:
    """The schema version of the catalog at `path`; None when there is no readable one."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(con.execute("PRAGMA user_version").fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None


_READ_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                           sqlite3.SQLITE_RECURSIVE})


def _read_only(action: int, arg1: str | None, arg2: str | None, *_: str | None) -> int:
    """SQLite authorizer: reads pass; anything else (writes, ATTACH, PRAGMA) is denied.

    FTS5 prepares two statements of its own when it opens `items_fts`: a read of
    `PRAGMA data_version` and an UPDATE of `sqlite_master` (which SQLite refuses to run
    from user SQL, and `mode=ro` could not write anyway); those two are let through.
    """
    if action in _READ_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and arg1 == "data_version" and arg2 is None:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class Catalog:
    """Read-only access to a catalog database; safe to share between threads.

    Each thread gets its own connection, opened with `mode=ro` and `PRAGMA query_only`,
    with an authorizer that allows reads only (no ATTACH, no PRAGMA, no DDL), so no
    statement issued through a Catalog can write, here or to any other file. A catalog of
    another schema version raises StaleCatalogError (`recsys.fetch.open_catalog` rebuilds it).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no catalog at {self.path}; run `convrec data fetch`")
        version = catalog_version(self.path)
        if version != CATALOG_VERSION:
            raise StaleCatalogError(
                f"the catalog at {self.path} has schema version {version}, this convrec reads "
                f"{CATALOG_VERSION}; run `convrec data fetch {self.path.parent.name}` to "
                "rebuild it from the cached dataset files")
        self._local = threading.local()
        self._genres = tuple(r[0] for r in self.execute("SELECT name FROM genres ORDER BY name"))
        self._facet_kinds = dict(self.execute("SELECT name, kind FROM genres"))
        self._people = tuple(r[0] for r in self.execute("SELECT name FROM people ORDER BY name"))
        self._info = DatasetInfo.from_json(
            self.execute("SELECT value FROM meta WHERE key = 'info'")[0][0])
        self._size = self.execute("SELECT COUNT(*) FROM items")[0][0]
        self._has_ratings = bool(self.execute(
            "SELECT EXISTS(SELECT 1 FROM items WHERE avg_rating IS NOT NULL)")[0][0])

    def connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                  check_same_thread=False)
            con.execute("PRAGMA query_only = ON")
            con.set_authorizer(_read_only)
            self._local.con = con
        return con

    def execute(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        """Run one parameterised read-only statement and return all rows.

        A statement that would write raises sqlite3.OperationalError.
        """
        try:
            return self.connection().execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            if exc.sqlite_errorname != "SQLITE_AUTH":
                raise
            raise sqlite3.OperationalError(f"the catalog is read-only: {exc}") from None

    def __len__(self) -> int:
        return self._size

    @property
    def genres(self) -> tuple[str, ...]:
        """Every facet value of the catalog (of every facet column), sorted."""
        return self._genres

    @property
    def info(self) -> DatasetInfo:
        """The dataset's noun, column meanings and lexicon."""
        return self._info

    def facet_kind(self, value: str) -> str | None:
        """The facet column a value comes from ("mechanics"), None for no such value."""
        return self._facet_kinds.get(value)

    @property
    def people(self) -> tuple[str, ...]:
        """Every person named by the catalog's people columns, sorted; () when it has none."""
        return self._people

    @property
    def has_ratings(self) -> bool:
        """Whether the dataset's interactions carry ratings (see `recsys.ratings`)."""
        return self._has_ratings

    def all_ids(self) -> list[int]:
        return [r[0] for r in self.execute("SELECT item_id FROM items ORDER BY item_id")]

    def has_descriptions(self) -> bool:
        """Does any item have a description?"""
        return bool(self.execute("SELECT 1 FROM items WHERE description != '' LIMIT 1"))

    def vocabulary(self) -> frozenset[str]:
        """Every word (lower case) of the items' retrieval text: titles, years, genres and
        descriptions. What a free-text wish can match literally."""
        words: set[str] = set()
        for (text,) in self.execute("SELECT text FROM items"):
            words.update(re.findall(r"[^\W_]+", text.lower()))
        return frozenset(words)

    def title_rows(self, most_popular: int | None = None) -> list[TitleRow]:
        """Every item's titles in id order, or the `most_popular` items' (most rated first)."""
        columns = "SELECT item_id, title, display_title, year, popularity FROM items"
        if most_popular is None:
            rows = self.execute(f"{columns} ORDER BY item_id")
        else:
            rows = self.execute(f"{columns} ORDER BY popularity DESC, item_id LIMIT ?",
                                (int(most_popular),))
        return [TitleRow(*row) for row in rows]

    def latest_year(self) -> int | None:
        """The most recent release year in the catalog; None when no item has a year."""
        latest = self.execute("SELECT MAX(year) FROM items")[0][0]
        return None if latest is None else int(latest)

    def items(self, ids: Iterable[int]) -> list[CatalogItem]:
        """Items for `ids`, in the given order; unknown ids raise KeyError."""
        ids = [int(i) for i in ids]
        found: dict[int, CatalogItem] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            rows = self.execute(
                "SELECT i.item_id, i.title, i.display_title, i.year, i.popularity, "
                "i.description, i.n_ratings, i.avg_rating, "
                "(SELECT group_concat(g.name, '|') FROM item_genres ig JOIN genres g "
                " ON g.genre_id = ig.genre_id WHERE ig.item_id = i.item_id), "
                "(SELECT group_concat(ip.role || '=' || p.name, '|') FROM item_people ip "
                " JOIN people p ON p.person_id = ip.person_id WHERE ip.item_id = i.item_id) "
                f"FROM items i WHERE i.item_id IN ({marks})", chunk)
            for item_id, title, display, year, pop, desc, n_ratings, avg, genres, people in rows:
                found[item_id] = CatalogItem(item_id, title, display, year,
                                             tuple(sorted(genres.split("|"))) if genres else (),
                                             pop, desc, n_ratings, avg, _pairs(people))
        missing = [i for i in ids if i not in found]
        if missing:
            raise KeyError(f"unknown item id(s) {missing[:5]}; ids run from 0 to {len(self) - 1}")
        return [found[i] for i in ids]

    def ids_with_people(self, names: Iterable[str]) -> list[int]:
        """Items that name any of these people (exact catalog names), in id order."""
        names = list(dict.fromkeys(names))
        if not names:
            return []
        marks = ",".join("?" * len(names))
        return [r[0] for r in self.execute(
            "SELECT DISTINCT ip.item_id FROM item_people ip JOIN people p "
            f"ON p.person_id = ip.person_id WHERE p.name IN ({marks}) ORDER BY ip.item_id",
            names)]

    def item(self, item_id: int) -> CatalogItem:
        return self.items([item_id])[0]

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

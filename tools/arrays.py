"""Column arrays of the catalog (year, popularity, ratings, genre bits), read once.

Filters on huge catalogs and popularity and rating ranking use these instead of a SQL round
trip. Arrays are indexed by item id (catalog ids are dense: 0..n-1); a missing year is -1, a
missing mean rating NaN.
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import process

from convrec.recsys.blend import pack_genres
from convrec.recsys.catalog import Catalog
from convrec.recsys.ratings import prior_weight, shrunk_means
from convrec.tools.base import ToolError


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


class CatalogArrays:
    """years, popularity, ratings and a genre bit mask per item id, plus genre resolution.

    `n_ratings` and `avg_rating` are the catalog's; `quality` is their shrunk mean
    (`recsys.ratings.shrunk_means`, prior weight `rating_prior`), all NaN without ratings.
    """

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        genre_rows = catalog.execute("SELECT genre_id, name FROM genres ORDER BY name")
        self.genre_names = tuple(name for _, name in genre_rows)
        self.genre_ids = {name: gid for gid, name in genre_rows}
        self._by_norm = {_norm(name): name for name in self.genre_names}
        # the dataset's own words for its facets ("kids" -> Children's), never above a name
        self._aliases = {_norm(word): value for value, words in catalog.info.synonyms.items()
                         for word in words if value in self.genre_ids}
        n = int(catalog.execute("SELECT COALESCE(MAX(item_id), -1) + 1 FROM items")[0][0])
        self.n = n
        rows = np.array(catalog.execute("SELECT item_id, COALESCE(year, -1), popularity "
                                        "FROM items"), dtype=np.int64).reshape(-1, 3)
        self.exists = np.zeros(n, dtype=bool)
        self.exists[rows[:, 0]] = True
        self.years = np.full(n, -1, dtype=np.int64)
        self.years[rows[:, 0]] = rows[:, 1]
        self.popularity = np.zeros(n, dtype=np.int64)
        self.popularity[rows[:, 0]] = rows[:, 2]
        self.has_ratings = catalog.has_ratings
        rated = np.array(catalog.execute("SELECT item_id, n_ratings, avg_rating FROM items "
                                         "WHERE avg_rating IS NOT NULL"),
                         dtype=np.float64).reshape(-1, 3)
        rated_ids = rated[:, 0].astype(np.int64)
        self.n_ratings = np.zeros(n, dtype=np.int64)
        self.n_ratings[rated_ids] = rated[:, 1].astype(np.int64)
        self.avg_rating = np.full(n, np.nan, dtype=np.float64)
        self.avg_rating[rated_ids] = rated[:, 2]
        self.rating_prior = prior_weight(self.n_ratings)
        self.quality = shrunk_means(self.n_ratings, self.avg_rating)
        self.genre_bits = self._genre_bits()
        self._sorted_popularity: np.ndarray | None = None

    def _genre_bits(self) -> np.ndarray:
        """(n, words) uint64: bit i of an item's row is set when it has genre_names[i]."""
        index = {self.genre_ids[name]: i for i, name in enumerate(self.genre_names)}
        pairs = np.array(self.catalog.execute("SELECT item_id, genre_id FROM item_genres"),
                         dtype=np.int64).reshape(-1, 2)
        if pairs.size:
            pairs[:, 1] = [index[gid] for gid in pairs[:, 1]]
        return pack_genres(pairs, self.n, len(self.genre_names))

    def bit_mask(self, names: list[str]) -> np.ndarray:
        """The bit set of `names`, one word per 64 genres (as a row of `genre_bits`)."""
        return pack_genres(np.array([(0, self.genre_names.index(name)) for name in names],
                                    dtype=np.int64).reshape(-1, 2), 1,
                           len(self.genre_names))[0]

    def resolve_genre(self, name: str) -> str:
        """The catalog's spelling of a genre ("sci-fi" -> "Sci-Fi"), or a ToolError listing all."""
        key = _norm(name)
        found = self._by_norm.get(key) or self._by_norm.get(key.rstrip("s")) \
            or self._aliases.get(key)
        if found:
            return found
        closest = process.extractOne(name, self.genre_names)
        hint = f" (closest: {closest[0]})" if closest and closest[1] >= 60 else ""
        shown = " ".join(str(name).split())[:40]
        raise ToolError(f"unknown genre {shown!r}{hint}; valid genres are: "
                        f"{', '.join(self.genre_names)}. For moods or themes that are not "
                        "genres, use search_items instead.")

    def popularity_rank(self, item_id: int) -> int:
        """1 for the most rated item; ties share the better rank."""
        if self._sorted_popularity is None:
            self._sorted_popularity = np.sort(self.popularity[self.exists])
        ranked = self._sorted_popularity
        return int(ranked.size - np.searchsorted(ranked, self.popularity[item_id], side="right")
                   + 1)


class LazyCatalogArrays:
    """A CatalogArrays read on first attribute access (one shared by filter, info and rank)."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog
        self._arrays: CatalogArrays | None = None

    def __getattr__(self, attribute: str):
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        if self._arrays is None:
            self._arrays = CatalogArrays(self._catalog)
        return getattr(self._arrays, attribute)

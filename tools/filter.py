"""filter_items: hard conditions (genres, years, popularity, exclusions) that narrow the bus.

A `FilterSpec` compiles to parameterised SQL on the read-only catalog connection (values
only ever travel as parameters), and to the same condition as numpy masks over cached
catalog columns. SQL serves catalogs up to `SQL_MAX_ITEMS` items; masks serve larger ones,
where a SQL scan of the whole table would be slower than the turn budget.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import Field, StringConstraints, model_validator

from convrec.memory.bus import CandidateBus
from convrec.recsys.catalog import Catalog
from convrec.tools import names
from convrec.tools.arrays import CatalogArrays
from convrec.tools.base import Stopwatch, Tool, ToolArgs, ToolError, ToolResult
from convrec.tools.lookup import TitleResolver

SQL_MAX_ITEMS = 200_000
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Genres = list[Name]


class FilterArgs(ToolArgs):
    genres_any: Genres = Field(default_factory=list, max_length=20,
                               description="Keep items with at least one of these genres.")
    genres_all: Genres = Field(default_factory=list, max_length=20,
                               description="Keep items with every one of these genres.")
    genres_none: Genres = Field(default_factory=list, max_length=20,
                                description="Drop items with any of these genres.")
    year_min: int | None = Field(None, ge=1800, le=2100, description="Earliest release year.")
    year_max: int | None = Field(None, ge=1800, le=2100, description="Latest release year.")
    exclude_years: tuple[int, int] | None = Field(
        None, description="Drop items released in this range of years (both inclusive), e.g. "
                          "[1990, 1999] for 'not from the 90s'.")
    popularity_min: int | None = Field(None, ge=0, description="Fewest ratings an item has.")
    popularity_max: int | None = Field(None, ge=0, description="Most ratings an item has.")
    exclude_titles: list[Name] = Field(default_factory=list, max_length=50,
                                       description="Titles the user does not want.")
    exclude_ids: list[int] = Field(default_factory=list, max_length=10_000,
                                   description="Item ids to drop (set by the program, not the "
                                               "LLM).")
    people_any: list[Name] = Field(default_factory=list, max_length=20,
                                   description="Keep items by (or with) at least one of these "
                                               "people, as the catalog names them.")
    people_none: list[Name] = Field(default_factory=list, max_length=20,
                                    description="Drop items by (or with) any of these people.")

    @model_validator(mode="after")
    def _check_ranges(self) -> FilterArgs:
        if self.year_min is not None and self.year_max is not None and \
                self.year_min > self.year_max:
            raise ValueError(f"year_min {self.year_min} is after year_max {self.year_max}; "
                             "swap them")
        if self.popularity_min is not None and self.popularity_max is not None and \
                self.popularity_min > self.popularity_max:
            raise ValueError(f"popularity_min {self.popularity_min} exceeds popularity_max "
                             f"{self.popularity_max}")
        if self.exclude_years is not None and self.exclude_years[0] > self.exclude_years[1]:
            raise ValueError(f"exclude_years {list(self.exclude_years)} runs backwards; give "
                             "[earliest, latest]")
        return self

    def is_empty(self) -> bool:
        return not any([self.genres_any, self.genres_all, self.genres_none,
                        self.exclude_titles, self.exclude_ids, self.people_any,
                        self.people_none]) and all(
            v is None for v in (self.year_min, self.year_max, self.exclude_years,
                                self.popularity_min, self.popularity_max))


class FilterSpec:
    """Validated conditions with genre names in the catalog's spelling."""

    def __init__(self, args: FilterArgs, arrays: CatalogArrays):
        self.args = args
        self.arrays = arrays
        self.genres_any = [arrays.resolve_genre(g) for g in args.genres_any]
        self.genres_all = [arrays.resolve_genre(g) for g in args.genres_all]
        self.genres_none = [arrays.resolve_genre(g) for g in args.genres_none]
        clash = set(self.genres_none) & (set(self.genres_all) | set(self.genres_any))
        if clash and (set(self.genres_all) & clash or set(self.genres_any) <= clash):
            raise ToolError(f"genre {sorted(clash)[0]} is both required and excluded; drop it "
                            "from one of the lists")

    def to_sql(self) -> tuple[str, list[int]]:
        """SELECT item_id ... with `?` placeholders and the parameters, in order."""
        where, params = [], []
        a, ids = self.args, self.arrays.genre_ids
        for column, op, value in (("year", ">=", a.year_min), ("year", "<=", a.year_max),
                                  ("popularity", ">=", a.popularity_min),
                                  ("popularity", "<=", a.popularity_max)):
            if value is not None:
                where.append(f"i.{column} {op} ?")
                params.append(int(value))
        if a.exclude_years is not None:
            where.append("(i.year IS NULL OR i.year NOT BETWEEN ? AND ?)")
            params += [int(a.exclude_years[0]), int(a.exclude_years[1])]
        sub = "SELECT 1 FROM item_genres g WHERE g.item_id = i.item_id AND g.genre_id IN ({})"
        if self.genres_any:
            where.append("EXISTS (" + sub.format(_marks(self.genres_any)) + ")")
            params += [ids[g] for g in self.genres_any]
        for genre in dict.fromkeys(self.genres_all):
            where.append("EXISTS (" + sub.format("?") + ")")
            params.append(ids[genre])
        if self.genres_none:
            where.append("NOT EXISTS (" + sub.format(_marks(self.genres_none)) + ")")
            params += [ids[g] for g in self.genres_none]
        sql = "SELECT i.item_id FROM items i" + (" WHERE " + " AND ".join(where) if where else "")
        return sql + " ORDER BY i.item_id", params

    def mask(self, ids: np.ndarray) -> np.ndarray:
        """The same condition as `to_sql`, evaluated on cached columns for `ids`."""
        arr, a = self.arrays, self.args
        keep = arr.exists[ids].copy()
        years, pops = arr.years[ids], arr.popularity[ids]
        if a.year_min is not None:
            keep &= (years >= a.year_min) & (years >= 0)
        if a.year_max is not None:
            keep &= (years <= a.year_max) & (years >= 0)
        if a.exclude_years is not None:
            low, high = a.exclude_years
            keep &= (years < 0) | (years < low) | (years > high)
        if a.popularity_min is not None:
            keep &= pops >= a.popularity_min
        if a.popularity_max is not None:
            keep &= pops <= a.popularity_max
        if self.genres_any or self.genres_all or self.genres_none:
            bits = arr.genre_bits[ids]
            if self.genres_any:
                keep &= (bits & arr.bit_mask(self.genres_any)).any(axis=1)
            if self.genres_all:
                need = arr.bit_mask(self.genres_all)
                keep &= ((bits & need) == need).all(axis=1)
            if self.genres_none:
                keep &= ~(bits & arr.bit_mask(self.genres_none)).any(axis=1)
        return keep

    def describe(self) -> str:
        a, parts = self.args, []
        if self.genres_any:
            parts.append("genre " + " or ".join(self.genres_any))
        if self.genres_all:
            parts.append("genres " + " and ".join(self.genres_all))
        if self.genres_none:
            parts.append("not " + " or ".join(self.genres_none))
        if a.year_min is not None or a.year_max is not None:
            parts.append(f"years {a.year_min or '...'}-{a.year_max or '...'}")
        if a.exclude_years is not None:
            parts.append(f"not {a.exclude_years[0]}-{a.exclude_years[1]}")
        if a.popularity_min is not None or a.popularity_max is not None:
            parts.append(f"ratings {a.popularity_min or 0}-{a.popularity_max or 'any'}")
        if a.people_any:
            parts.append("by " + " or ".join(a.people_any))
        if a.people_none:
            parts.append("not by " + " or ".join(a.people_none))
        if a.exclude_titles or a.exclude_ids:
            parts.append(f"{len(a.exclude_titles) + len(a.exclude_ids)} item(s) excluded")
        return "; ".join(parts)


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


class FilterItems(Tool):
    name = names.FILTER_ITEMS
    description = (
        "Keep only candidates that satisfy hard conditions: genres (any / all / none of), "
        "people (for catalogs that name them), release years, popularity (number of "
        "ratings: 100+ is well known, under 20 obscure), "
        "and titles the user rejected. Use it for explicit constraints such as '90s sci-fi', "
        "'no horror', 'before 1980'. Do not use it for moods, themes or plots ('dark', 'about "
        "space travel'): use search_items. Genres must be catalog genres; an unknown one is "
        "an error that lists the valid names."
    )
    args_schema = FilterArgs

    def __init__(self, catalog: Catalog, resolver: TitleResolver,
                 arrays: CatalogArrays | None = None,
                 engine: Literal["auto", "sql", "numpy"] = "auto"):
        super().__init__()
        self.catalog = catalog
        self.resolver = resolver
        self.engine = engine
        self._arrays = arrays

    @property
    def arrays(self) -> CatalogArrays:
        if self._arrays is None:
            self._arrays = CatalogArrays(self.catalog)
        return self._arrays

    def setup(self) -> None:
        _ = self.arrays

    def chosen_engine(self) -> str:
        if self.engine != "auto":
            return self.engine
        return "sql" if len(self.catalog) <= SQL_MAX_ITEMS else "numpy"

    def execute(self, args: FilterArgs, bus: CandidateBus) -> ToolResult:
        if args.is_empty():
            raise ToolError("filter_items needs at least one condition (genres, years, "
                            "popularity or titles to exclude); to rank, use rank_candidates")
        with Stopwatch() as sw:
            spec = FilterSpec(args, self.arrays)
            excluded, _ = self.resolver.resolve(args.exclude_titles)
            engine = self.chosen_engine()
            current = bus.ids
            if engine == "sql":
                sql, params = spec.to_sql()
                kept = np.array([r[0] for r in self.catalog.execute(sql, params)],
                                dtype=np.int64)
                kept = kept[bus.contains(kept)]
            else:
                kept = current[spec.mask(current)]
            if args.people_any:
                kept = np.intersect1d(kept, self._by(args.people_any), assume_unique=True)
            drop = np.asarray(excluded + list(args.exclude_ids), dtype=np.int64)
            if args.people_none:
                drop = np.concatenate([drop, self._by(args.people_none)])
            if drop.size:
                dropped = np.zeros(self.arrays.n + 1, dtype=bool)
                dropped[drop[(drop >= 0) & (drop < self.arrays.n)]] = True
                kept = kept[~dropped[kept]]
        if kept.size == 0:
            raise ToolError(f"no candidate satisfies {spec.describe()}; the candidates are "
                            "unchanged. Loosen a condition (wider years, fewer genres, lower "
                            "popularity) and try again.")
        n_in = len(bus)
        bus.narrow(kept, tool=self.name, seconds=sw.seconds, note=spec.describe())
        examples = self._examples(bus.ids)
        content = (f"Kept {len(bus)} of {n_in} candidates ({spec.describe()}). "
                   f"Best known among them: {examples}.")
        artifact = {"n_in": n_in, "n_out": len(bus), "engine": engine,
                    "conditions": spec.describe(),
                    "genres_any": spec.genres_any, "genres_all": spec.genres_all,
                    "genres_none": spec.genres_none, "excluded_ids": drop.tolist()}
        return ToolResult(content, artifact)

    def _by(self, people: list[str]) -> np.ndarray:
        """Ids of the items naming any of `people`; a name the catalog lacks is an error."""
        known = set(self.catalog.people)
        unknown = [p for p in people if p not in known]
        if unknown:
            raise ToolError(f"{unknown[0]!r} is not a person of this catalog" + (
                "; it has no people data" if not known else
                "; give the name as the catalog writes it"))
        return np.asarray(self.catalog.ids_with_people(people), dtype=np.int64)

    def _examples(self, ids: np.ndarray, n: int = 3) -> str:
        pops = self.arrays.popularity[ids]
        top = ids[np.argsort(-pops, kind="stable")[:n]]
        return ", ".join(item.label() for item in self.catalog.items(top.tolist()))

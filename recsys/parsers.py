"""Parsers for the three input formats: GroupLens raw, RecBole atomic, plain CSV.

Each returns a `Dataset`. Malformed input raises `DataError` naming file, line and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from convrec.recsys.data import DataError, Dataset, build_dataset
from convrec.recsys.movielens import MOVIELENS_INFO
from convrec.recsys.schema import (
    CORE_NAMES,
    FACET_NAMES,
    PEOPLE_NAMES,
    TEXT_NAMES,
    DatasetInfo,
    singular,
)
from convrec.recsys.titles import display_title, split_year

GROUPLENS_GENRES = (
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
    "Romance", "Sci-Fi", "Thriller", "War", "Western",
)
_NO_GENRE = "unknown"


def _item_row(raw_id: str, title: str, year: int | None, genres: Iterable[str],
              description: str = "", facets: Iterable[tuple[str, str]] | None = None,
              people: Iterable[tuple[str, str]] = ()) -> dict:
    bare, title_year = split_year(title)
    genres = tuple(dict.fromkeys(g for g in genres if g and g != _NO_GENRE))
    if facets is None:
        facets = (("genres", g) for g in genres)
    return {
        "raw_id": raw_id,
        "title": bare,
        "display_title": display_title(bare),
        "year": year if year is not None else title_year,
        "genres": genres,
        "description": description,
        "facets": tuple(dict.fromkeys(facets)),
        "people": tuple(dict.fromkeys(people)),
    }


def _number(value: str, where: str, column: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise DataError(f"{where}: column '{column}' must be a number, got {value!r}") from None


def _int(value: str, where: str, column: str) -> int:
    return int(_number(value, where, column))


def _lines(path: Path, encoding: str) -> Iterator[tuple[int, str]]:
    with open(path, encoding=encoding, newline="") as fh:
        for number, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            if line.strip():
                yield number, line


def _items_frame(rows: list[dict], source: Path) -> pd.DataFrame:
    if not rows:
        raise DataError(f"{source}: no items found; the file is empty")
    frame = pd.DataFrame(rows)
    duplicated = frame["raw_id"][frame["raw_id"].duplicated()]
    if len(duplicated):
        raise DataError(f"{source}: item id {duplicated.iloc[0]!r} appears twice; ids must be "
                        "unique")
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _check_known_items(frame: pd.DataFrame, items: pd.DataFrame, source: Path) -> None:
    known = set(items["raw_id"])
    unknown = frame.loc[~frame["item"].isin(known)]
    if len(unknown):
        line = int(unknown["line"].iloc[0])
        raise DataError(f"{source}:{line}: column 'item': item {unknown['item'].iloc[0]!r} is "
                        "not in the items file; add it there or remove this row")


# --- GroupLens ------------------------------------------------------------------------------


def parse_grouplens(folder: Path, name: str = "movielens-100k") -> Dataset:
    """Read `u.item` (latin-1, '|' separated, 19 genre flags) and `u.data` (tab separated)."""
    item_path, data_path = folder / "u.item", folder / "u.data"
    rows = []
    for number, line in _lines(item_path, "latin-1"):
        where = f"{item_path}:{number}"
        fields = line.split("|")
        if len(fields) != 5 + len(GROUPLENS_GENRES):
            raise DataError(f"{where}: expected {5 + len(GROUPLENS_GENRES)} '|'-separated "
                            f"fields, got {len(fields)}")
        flags = fields[5:]
        genres = [g for g, flag in zip(GROUPLENS_GENRES, flags) if flag.strip() == "1"]
        date_year = re.search(r"(\d{4})$", fields[2].strip())
        year = int(date_year.group(1)) if date_year else None
        rows.append(_item_row(fields[0].strip(), fields[1], year, genres))
    items = _items_frame(rows, item_path)
    records = []
    for number, line in _lines(data_path, "latin-1"):
        where = f"{data_path}:{number}"
        fields = line.split("\t")
        if len(fields) != 4:
            raise DataError(f"{where}: expected 4 tab-separated fields (user, item, rating, "
                            f"timestamp), got {len(fields)}")
        records.append((fields[0], fields[1], _int(fields[3], where, "timestamp"),
                        _number(fields[2], where, "rating"), number))
    return build_dataset(name, items, _interactions_frame(records, items, data_path),
                         MOVIELENS_INFO)


def _interactions_frame(records: list[tuple], items: pd.DataFrame, source: Path) -> pd.DataFrame:
    if not records:
        raise DataError(f"{source}: no interactions found; the file is empty")
    frame = pd.DataFrame(records, columns=["user", "item", "timestamp", "rating", "line"])
    frame["item"] = frame["item"].astype(str).str.strip()
    _check_known_items(frame, items, source)
    return frame.drop(columns="line")


# --- RecBole atomic files -------------------------------------------------------------------


def _atomic_header(line: str, path: Path) -> list[str]:
    names = [field.split(":")[0] for field in line.split("\t")]
    if not all(names):
        raise DataError(f"{path}:1: header must be 'name:type' fields separated by tabs")
    return names


def _atomic_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    lines = _lines(path, "utf-8")
    try:
        _, header_line = next(lines)
    except StopIteration:
        raise DataError(f"{path}: the file is empty; expected a header line") from None
    header = _atomic_header(header_line, path)
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(f"{path}:1: header lacks column(s) {missing}; found {header}")
    for number, line in lines:
        fields = line.split("\t")
        if len(fields) != len(header):
            raise DataError(f"{path}:{number}: expected {len(header)} tab-separated fields, "
                            f"got {len(fields)}")
        yield f"{path}:{number}", dict(zip(header, fields))


def parse_recbole(inter_path: Path, item_path: Path, name: str = "movielens-100k") -> Dataset:
    """Read RecBole `.item` (item_id, movie_title, release_year, class) and `.inter` files."""
    rows = []
    for where, row in _atomic_rows(item_path, ("item_id", "movie_title")):
        year_text = row.get("release_year", "").strip()
        year = int(year_text) if year_text.isdigit() else None  # RecBole writes "unkonwn"
        rows.append(_item_row(row["item_id"].strip(), row["movie_title"], year,
                              row.get("class", "").split()))
    items = _items_frame(rows, item_path)
    records = []
    for where, row in _atomic_rows(inter_path, ("user_id", "item_id", "timestamp")):
        rating = _number(row["rating"], where, "rating") if row.get("rating") else 1.0
        line = int(where.rsplit(":", 1)[1])
        records.append((row["user_id"], row["item_id"], _int(row["timestamp"], where,
                        "timestamp"), float(rating), line))
    return build_dataset(name, items, _interactions_frame(records, items, inter_path),
                         MOVIELENS_INFO)


# --- plain CSV (a user's own data) ----------------------------------------------------------


def _csv_rows(path: Path, required: tuple[str, ...],
              check_header: Callable[[list[str]], None] | None = None,
              ) -> Iterator[tuple[str, dict[str, str]]]:
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        try:
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise DataError(f"{path}:1: header lacks column(s) {missing}; the first line "
                                f"must name the columns, e.g. {','.join(required)}")
            if check_header:
                check_header(header)
            reader.fieldnames = header
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if None in row:
                    raise DataError(f"{where}: more fields than the header has columns")
                yield where, {k: (v or "").strip() for k, v in row.items()}
        except csv.Error as exc:
            raise DataError(f"{path}:{reader.line_num}: {exc}") from None
        except UnicodeDecodeError:
            raise DataError(f"{path}: not valid UTF-8; save the file as UTF-8") from None


@dataclass(frozen=True)
class ItemColumns:
    """Which columns of an items CSV are facets, people and text (besides id, title, year).

    Columns with a known name (`recsys.schema`) are recognised; any other must be declared.
    """

    facets: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    text: tuple[str, ...] = ()

    def resolve(self, header: list[str], path: Path) -> ItemColumns:
        """The columns of this header by kind; an unknown column is an error naming it."""
        declared = {c.strip().lower() for c in (*self.facets, *self.people, *self.text)}
        facets = [c for c in header if c in FACET_NAMES or c in _lower(self.facets)]
        people = [c for c in header if c in PEOPLE_NAMES or c in _lower(self.people)]
        text = [c for c in header if c in TEXT_NAMES or c in _lower(self.text)]
        absent = sorted(declared - set(header))
        if absent:
            raise DataError(f"{path}:1: column(s) {absent} were declared but the header has "
                            f"no such column; the header is {','.join(header)}")
        for column in header:
            kinds = (column in facets) + (column in people) + (column in text)
            if column in CORE_NAMES and kinds:
                raise DataError(f"{path}:1: column '{column}' is id, title or year; it "
                                "cannot also be a facet, people or text column")
            if column not in CORE_NAMES and kinds != 1:
                raise DataError(
                    f"{path}:1: column '{column}' is "
                    + ("declared as more than one kind" if kinds else "not a known kind")
                    + f"; declare it with exactly one of --facets {column} ('|'-separated "
                    f"labels), --people {column} ('|'-separated names) or --text {column} "
                    "(free text), or remove the column")
        return ItemColumns(tuple(facets), tuple(people), tuple(text))


def _lower(columns: Iterable[str]) -> set[str]:
    return {c.strip().lower() for c in columns}


def _labels(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _timestamp(value: str, where: str) -> int:
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return int(float(value))
    try:
        return int(datetime.fromisoformat(value).timestamp())
    except ValueError:
        raise DataError(f"{where}: column 'timestamp' must be seconds since 1970 or an ISO "
                        f"date such as 2024-05-01, got {value!r}") from None


def parse_csv(interactions_path: Path, items_path: Path, name: str, noun: str | None = None,
              columns: ItemColumns = ItemColumns()) -> Dataset:
    """Read a user's CSVs.

    items: id, title, optional year, and any facet ('|'-separated labels: genres, tags,
    categories, ...), people ('|'-separated names: director, author, designers, ...) and
    text (description, plot, ...) columns; see `ItemColumns`.
    interactions: user, item, timestamp, optional rating.
    Nothing is returned (or written by the caller) unless both files are valid.
    """
    found: list[ItemColumns] = []

    def check(header: list[str]) -> None:
        found.append(columns.resolve(header, items_path))

    rows = []
    for where, row in _csv_rows(items_path, ("id", "title"), check):
        kinds = found[0]
        if not row["id"]:
            raise DataError(f"{where}: column 'id' is empty")
        if not row["title"]:
            raise DataError(f"{where}: column 'title' is empty")
        year = _int(row["year"], where, "year") if row.get("year") else None
        facets = [(c, v) for c in kinds.facets for v in _labels(row[c])]
        people = [(singular(c), v) for c in kinds.people for v in _labels(row[c])]
        text = " ".join(row[c] for c in kinds.text if row[c])
        rows.append(_item_row(row["id"], row["title"], year, [v for _, v in facets], text,
                              facets, people))
    items = _items_frame(rows, items_path)
    records = []
    for where, row in _csv_rows(interactions_path, ("user", "item", "timestamp")):
        for column in ("user", "item", "timestamp"):
            if not row[column]:
                raise DataError(f"{where}: column '{column}' is empty")
        rating = _number(row["rating"], where, "rating") if row.get("rating") else 1.0
        line = int(where.rsplit(":", 1)[1])
        records.append((row["user"], row["item"], _timestamp(row["timestamp"], where), rating,
                        line))
    kinds = found[0]
    info = DatasetInfo(noun=(noun or "item").strip().lower(),
                       facet_columns=kinds.facets or ("genres",),
                       people_columns=kinds.people, text_columns=kinds.text)
    return build_dataset(name, items, _interactions_frame(records, items, interactions_path),
                         info)

"""Parsers for the three input formats: GroupLens raw, RecBole atomic, plain CSV.

Each returns a `Dataset`. Malformed input raises `DataError` naming file, line and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd

from convrec.recsys.data import DataError, Dataset, build_dataset
from convrec.recsys.titles import display_title, split_year

GROUPLENS_GENRES = (
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
    "Romance", "Sci-Fi", "Thriller", "War", "Western",
)
_NO_GENRE = "unknown"


def _item_row(raw_id: str, title: str, year: int | None, genres: Iterable[str],
              description: str = "") -> dict:
    bare, title_year = split_year(title)
    genres = tuple(dict.fromkeys(g for g in genres if g and g != _NO_GENRE))
    return {
        "raw_id": raw_id,
        "title": bare,
        "display_title": display_title(bare),
        "year": year if year is not None else title_year,
        "genres": genres,
        "description": description,
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
    return build_dataset(name, items, _interactions_frame(records, items, data_path))


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
    return build_dataset(name, items, _interactions_frame(records, items, inter_path))


# --- plain CSV (a user's own data) ----------------------------------------------------------


def _csv_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
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


def _timestamp(value: str, where: str) -> int:
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return int(float(value))
    try:
        return int(datetime.fromisoformat(value).timestamp())
    except ValueError:
        raise DataError(f"{where}: column 'timestamp' must be seconds since 1970 or an ISO "
                        f"date such as 2024-05-01, got {value!r}") from None


def parse_csv(interactions_path: Path, items_path: Path, name: str) -> Dataset:
    """Read a user's CSVs.

    items: id, title, optional year, genres ('|'-separated), description.
    interactions: user, item, timestamp, optional rating.
    """
    rows = []
    for where, row in _csv_rows(items_path, ("id", "title")):
        if not row["id"]:
            raise DataError(f"{where}: column 'id' is empty")
        if not row["title"]:
            raise DataError(f"{where}: column 'title' is empty")
        year = _int(row["year"], where, "year") if row.get("year") else None
        genres = [g.strip() for g in row.get("genres", "").split("|")]
        rows.append(_item_row(row["id"], row["title"], year, genres, row.get("description", "")))
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
    return build_dataset(name, items, _interactions_frame(records, items, interactions_path))

"""Parsers, the split and the catalog on real MovieLens-100K and on small hand-made files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from convrec.recsys.catalog import Catalog
from convrec.recsys.data import DataError, leave_one_out
from convrec.recsys.parsers import parse_csv, parse_grouplens, parse_recbole


def test_movielens_has_the_published_size(ml100k):
    stats = ml100k.stats()
    assert (stats.users, stats.items, stats.interactions) == (943, 1682, 100_000)
    assert stats.genres["Drama"] == 725 and "unknown" not in stats.genres


def test_movielens_titles_are_normalised_for_display_and_keep_the_original(ml100k):
    godfather = ml100k.items.set_index("raw_id").loc["127"]
    assert godfather["title"] == "Godfather, The"
    assert godfather["display_title"] == "The Godfather"
    assert godfather["year"] == 1972
    assert set(godfather["genres"]) == {"Action", "Crime", "Drama"}


def test_split_is_leave_one_out_by_time_with_nothing_of_test_in_train(ml100k, split):
    assert len(split.test) == len(split.valid) == 943
    train_pairs = set(zip(split.train["user_id"], split.train["item_id"]))
    test_pairs = zip(split.test["user_id"], split.test["item_id"])
    assert not any(pair in train_pairs for pair in test_pairs)
    last_train = split.train.groupby("user_id")["timestamp"].max()
    assert (split.valid.set_index("user_id")["timestamp"] >= last_train).all()
    assert (split.test.set_index("user_id")["timestamp"]
            >= split.valid.set_index("user_id")["timestamp"]).all()
    assert len(split.train) + 2 * 943 == 100_000


def test_split_keeps_the_file_order_for_ties_in_time():
    items = _items(["a", "b", "c", "d"])
    rows = [("u", "d", 5), ("u", "a", 1), ("u", "c", 5), ("u", "b", 5)]
    s = leave_one_out(_dataset(items, rows))
    assert s.test["item_id"].tolist() == [1]  # b: the last of the t=5 ties in the file
    assert s.valid["item_id"].tolist() == [2]  # c
    assert s.train["item_id"].tolist() == [0, 3]  # a (t=1), then d
    assert [seq.tolist() for seq in s.sequences(include_valid=True)] == [[0, 3, 2]]
    again = leave_one_out(_dataset(items, rows))
    assert again.test.equals(s.test) and again.train.equals(s.train)


def test_users_with_fewer_than_three_interactions_stay_in_train():
    ds = _dataset(_items(["a", "b"]), [("u", "a", 1), ("u", "b", 2)])
    s = leave_one_out(ds)
    assert len(s.train) == 2 and s.test.empty and s.valid.empty


def test_sequences_and_matrix_have_users_as_rows(split):
    matrix = split.train_matrix()
    assert matrix.shape == (943, 1682)
    sequences = split.sequences()
    assert [len(s) for s in sequences[:5]] == matrix[:5].getnnz(axis=1).tolist()


def test_grouplens_and_recbole_parsers_agree_on_hand_made_files(tmp_path: Path):
    flags = ["0"] * 19
    scifi = flags.copy()
    scifi[15] = "1"
    (tmp_path / "u.item").write_bytes(
        ("1|Matrix, The (1999)|01-Jan-1999||http://x|" + "|".join(scifi) + "\n"
         "2|Cité des enfants perdus, La (1995)|01-Jan-1995||http://y|" + "|".join(flags) + "\n"
         ).encode("latin-1"))
    (tmp_path / "u.data").write_text("7\t1\t5\t100\n7\t2\t3\t200\n")
    (tmp_path / "x.item").write_text(
        "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
        "1\tMatrix, The\t1999\tSci-Fi\n2\tCité des enfants perdus, La\tunkonwn\tunknown\n")
    (tmp_path / "x.inter").write_text(
        "user_id:token\titem_id:token\trating:float\ttimestamp:float\n7\t1\t5\t100\n7\t2\t3\t200\n")
    gl = parse_grouplens(tmp_path, "t")
    rb = parse_recbole(tmp_path / "x.inter", tmp_path / "x.item", "t")
    for ds in (gl, rb):
        assert ds.items["display_title"].tolist() == ["The Matrix", "La Cité des enfants perdus"]
        assert ds.items["genres"].tolist()[0] == ("Sci-Fi",)
        assert ds.interactions["item_id"].tolist() == [0, 1]
    assert gl.items["year"].tolist() == [1999, 1995]
    assert rb.items["year"].tolist()[0] == 1999 and pd.isna(rb.items["year"].tolist()[1])


def _write_csvs(folder: Path, items: str, interactions: str) -> tuple[Path, Path]:
    (folder / "items.csv").write_text(items, encoding="utf-8")
    (folder / "inter.csv").write_text(interactions, encoding="utf-8")
    return folder / "inter.csv", folder / "items.csv"


def test_users_csv_files_parse_with_optional_columns(tmp_path: Path):
    inter, items = _write_csvs(
        tmp_path,
        'id,title,year,genres,description\nb1,"Dune",1965,Sci-Fi|Adventure,Desert planet\n'
        "b2,Emma,,Romance,\n",
        "user,item,timestamp,rating\nann,b1,2024-05-01,4.5\nann,b2,1714600000,\nbob,b2,5,\n",
    )
    ds = parse_csv(inter, items, "books")
    assert ds.n_users == 2 and ds.n_items == 2
    assert ds.items["genres"].tolist() == [("Sci-Fi", "Adventure"), ("Romance",)]
    assert ds.items["description"].tolist()[0] == "Desert planet"
    assert ds.interactions["rating"].tolist()[:2] == [4.5, 1.0]


@pytest.mark.parametrize(
    ("items", "interactions", "message"),
    [
        ("id,title\nb1,Dune\n", "user,item\nann,b1\n", "inter.csv:1: header lacks column(s) "
         "['timestamp']"),
        ("id,title\nb1,Dune\n", "user,item,timestamp\nann,b9,5\n", "inter.csv:2: column 'item': "
         "item 'b9' is not in the items file"),
        ("id,title\nb1,Dune\n", "user,item,timestamp\nann,b1,yesterday\n",
         "inter.csv:2: column 'timestamp' must be seconds since 1970 or an ISO date"),
        ("id,title,year\nb1,Dune,nineteen\n", "user,item,timestamp\nann,b1,5\n",
         "items.csv:2: column 'year' must be a number"),
        ("id,title\nb1,\n", "user,item,timestamp\nann,b1,5\n", "items.csv:2: column 'title' is "
         "empty"),
        ("id,title\nb1,Dune\nb1,Emma\n", "user,item,timestamp\nann,b1,5\n", "item id 'b1' "
         "appears twice"),
        ("id,title\nb1,Dune\n", "user,item,timestamp\nann,b1,5,4,extra\n",
         "inter.csv:2: more fields than the header has columns"),
    ],
)
def test_bad_csv_input_names_file_line_and_column(tmp_path, items, interactions, message):
    inter, items_path = _write_csvs(tmp_path, items, interactions)
    with pytest.raises(DataError) as caught:
        parse_csv(inter, items_path, "x")
    assert message in str(caught.value)


def test_catalog_is_read_only(catalog: Catalog):
    import sqlite3

    with pytest.raises(sqlite3.OperationalError):
        catalog.execute("DELETE FROM items")
    assert len(catalog) == 1682
    assert catalog.item(126).label() == "The Godfather (1972)"


def test_catalog_title_search_uses_fts5(catalog: Catalog):
    rows = catalog.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid",
                           ["godfather"])
    assert [r[0] for r in rows] == [126, 186]


def _items(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"raw_id": ids, "title": ids, "display_title": ids,
                         "year": pd.array([None] * len(ids), dtype="Int64"),
                         "genres": [()] * len(ids), "description": [""] * len(ids)})


def _dataset(items: pd.DataFrame, rows: list[tuple[str, str, int]]):
    from convrec.recsys.data import build_dataset

    frame = pd.DataFrame(rows, columns=["user", "item", "timestamp"]).assign(rating=1.0)
    return build_dataset("t", items, frame)

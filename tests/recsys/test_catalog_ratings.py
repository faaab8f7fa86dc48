"""Ratings in the catalog from a user's own files, and the upgrade of a catalog built before
ratings (schema version 0) from the cached dataset files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from convrec.cli import main
from convrec.recsys import catalog as catalog_module
from convrec.recsys.catalog import (
    CATALOG_VERSION,
    Catalog,
    StaleCatalogError,
    catalog_version,
)
from convrec.recsys.fetch import dataset_dir, fetch, load_dataset, open_catalog
from convrec.tools import Toolkit

ITEMS = "id,title,genres\n1,Dune,Sci-Fi\n2,Emma,Romance\n3,Ulysses,Drama\n"
RATED = ("user,item,timestamp,rating\nann,1,5,4\nann,2,6,2\nbob,1,1,5\nbob,2,2,3\n"
         "cat,1,3,3\n")


def _fetch_own(tmp_path: Path, interactions: str) -> Path:
    (tmp_path / "items.csv").write_text(ITEMS)
    (tmp_path / "inter.csv").write_text(interactions)
    home = tmp_path / "home"
    fetch(home, "books", tmp_path / "inter.csv", tmp_path / "items.csv")
    return home


def _make_old(path: Path) -> None:
    """Turn a catalog into what the code before ratings built: no rating columns, version 0."""
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE items DROP COLUMN n_ratings")
    con.execute("ALTER TABLE items DROP COLUMN avg_rating")
    con.execute("PRAGMA user_version = 0")
    con.commit()
    con.close()


def _catalog_path(home: Path) -> Path:
    return dataset_dir(home, "books") / "catalog.sqlite"


def test_own_ratings_give_exact_counts_and_means(tmp_path: Path) -> None:
    catalog = open_catalog(_fetch_own(tmp_path, RATED), "books")
    assert catalog.has_ratings and catalog_version(catalog.path) == CATALOG_VERSION
    dune, emma, ulysses = catalog.items([0, 1, 2])
    assert (dune.n_ratings, dune.avg_rating) == (3, 4.0)
    assert (emma.n_ratings, emma.avg_rating) == (2, 2.5)
    assert (ulysses.n_ratings, ulysses.avg_rating) == (0, None)


def test_own_data_without_a_rating_column_has_no_ratings(tmp_path: Path) -> None:
    unrated = "user,item,timestamp\nann,1,5\nann,2,6\nbob,1,1\n"
    catalog = open_catalog(_fetch_own(tmp_path, unrated), "books")
    assert not catalog.has_ratings
    assert [(i.n_ratings, i.avg_rating) for i in catalog.items([0, 1])] == [(0, None)] * 2
    assert [i.popularity for i in catalog.items([0, 1])] == [2, 1]


def test_an_old_catalog_is_refused_with_the_fix_then_rebuilt_when_opened(tmp_path: Path) -> None:
    home = _fetch_own(tmp_path, RATED)
    path = _catalog_path(home)
    _make_old(path)
    assert catalog_version(path) == 0
    with pytest.raises(StaleCatalogError, match="run `convrec data fetch books`"):
        Catalog(path)

    catalog = open_catalog(home, "books")
    assert catalog_version(path) == CATALOG_VERSION and catalog.has_ratings
    assert catalog.item(0).avg_rating == 4.0
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "catalog.sqlite", "dataset.json", "interactions.csv", "items.jsonl", "manifest.json",
        "users.txt"]


def test_loading_the_dataset_the_toolkit_and_data_fetch_upgrade_an_old_catalog(
        tmp_path: Path, capsys) -> None:
    home = _fetch_own(tmp_path, RATED)
    path = _catalog_path(home)
    _make_old(path)
    load_dataset(home, "books")
    assert catalog_version(path) == CATALOG_VERSION

    _make_old(path)
    assert Toolkit.from_home(home, "books", train_missing=()).catalog.has_ratings

    _make_old(path)
    assert main(["--home", str(home), "data", "fetch", "books"]) == 0
    assert "already in the cache" in capsys.readouterr().out
    assert Catalog(path).item(1).n_ratings == 2


def test_a_failed_rebuild_leaves_the_old_catalog_whole(tmp_path: Path, monkeypatch) -> None:
    home = _fetch_own(tmp_path, RATED)
    path = _catalog_path(home)
    _make_old(path)
    before = path.read_bytes()

    def crash(*args: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(catalog_module, "item_text", crash)
    with pytest.raises(KeyboardInterrupt):
        open_catalog(home, "books")
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]

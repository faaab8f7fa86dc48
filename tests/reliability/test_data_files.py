"""`convrec data fetch` on malformed files: one readable error naming the file, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from convrec.cli import main
from convrec.recsys.fetch import is_fetched

ITEMS = "id,title,year,genres\n1,Toy Story,1995,Animation|Comedy\n2,Heat,1995,Action\n"
INTERACTIONS = "user,item,timestamp\nann,1,100\nann,2,200\nbob,1,150\n"

BROKEN: dict[str, tuple[str, bytes | str]] = {
    "empty items": ("items", ""),
    "empty interactions": ("interactions", ""),
    "header only": ("items", "id,title\n"),
    "no title column": ("items", "id,name\n1,Toy Story\n"),
    "empty title": ("items", "id,title\n1,\n"),
    "year in words": ("items", "id,title,year\n1,Toy Story,nineteen ninety-five\n"),
    "duplicate id": ("items", "id,title\n1,Toy Story\n1,Heat\n"),
    "extra fields": ("items", "id,title\n1,Toy Story,1995,Comedy,x\n"),
    "unknown item": ("interactions", "user,item,timestamp\nann,999,100\n"),
    "timestamp in words": ("interactions", "user,item,timestamp\nann,1,yesterday\n"),
    "rating in words": ("interactions", "user,item,timestamp,rating\nann,1,100,great\n"),
    "not UTF-8": ("items", b"id,title\n1,Caf\xe9 \xff\xfe\n"),
    "binary": ("interactions", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"),
    "SQL in a title": ("interactions", "user,item,timestamp\n'; DROP TABLE items; --,1,x\n"),
}


def write(path: Path, content: bytes | str) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def fetch(tmp_path: Path, items: Path, interactions: Path) -> int:
    return main(["--home", str(tmp_path / "home"), "data", "fetch", "mine",
                 "--items", str(items), "--interactions", str(interactions)])


@pytest.mark.parametrize("which, content", BROKEN.values(), ids=BROKEN.keys())
def test_a_malformed_file_is_one_error_line_naming_it(tmp_path, capsys, which, content):
    files = {"items": write(tmp_path / "items.csv", ITEMS),
             "interactions": write(tmp_path / "inter.csv", INTERACTIONS)}
    write(files[which], content)
    assert fetch(tmp_path, files["items"], files["interactions"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("convrec: error: ") and "Traceback" not in err
    assert str(files[which]) in err
    assert not is_fetched(tmp_path / "home", "mine")


@pytest.mark.parametrize("which", ["items", "interactions"])
@pytest.mark.parametrize("kind", ["missing", "a folder"])
def test_a_missing_file_or_a_folder_is_a_clear_error(tmp_path, capsys, which, kind):
    files = {"items": write(tmp_path / "items.csv", ITEMS),
             "interactions": write(tmp_path / "inter.csv", INTERACTIONS)}
    files[which].unlink()
    if kind == "a folder":
        files[which].mkdir()
    assert fetch(tmp_path, files["items"], files["interactions"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("convrec: error: ") and str(files[which]) in err


def test_after_a_failure_good_files_load(tmp_path, capsys):
    items = write(tmp_path / "items.csv", ITEMS)
    bad = write(tmp_path / "inter.csv", "user,item,timestamp\nann,999,100\n")
    assert fetch(tmp_path, items, bad) == 1
    write(bad, INTERACTIONS)
    assert fetch(tmp_path, items, bad) == 0
    assert "items         2" in capsys.readouterr().out
    assert is_fetched(tmp_path / "home", "mine")

"""`convrec ask`: one question with no memory unless --session is given."""

from __future__ import annotations

import json
from pathlib import Path

from convrec.cli import main
from convrec.memory.store import open_store


def ask(capsys, store: Path, *args: str) -> dict:
    code = main(["ask", *args, "--llm", "deterministic", "--store", str(store), "--json"])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def test_ask_without_a_session_remembers_nothing(capsys, home, tmp_path):
    store = tmp_path / "s.sqlite"
    ask(capsys, store, "some 90s sci-fi please")
    older = ask(capsys, store, "something older")
    assert older["items"] and all("Sci-Fi" not in i["genres"] or i["year"] < 1990
                                  for i in older["items"])
    assert not any(s["kind"] == "plan" and s["frame"].get("genres") == ["Sci-Fi"]
                   for s in older["trace"]["steps"])
    assert open_store(str(store)).list_users() == []


def test_ask_with_a_session_continues_it(capsys, home, tmp_path):
    store = tmp_path / "s.sqlite"
    ask(capsys, store, "some 90s sci-fi please", "--session", "ann")
    older = ask(capsys, store, "something older", "--session", "ann")
    assert older["items"] and all("Sci-Fi" in i["genres"] and i["year"] < 1990
                                  for i in older["items"])

"""Profiles and sessions outlive the process, even a killed one, in SQLite and in PostgreSQL;
nothing a tool runs can write the catalog."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from convrec.agent.core import RecAgent
from convrec.memory.sqlite_store import SQLiteStore
from convrec.memory.store import open_store

CHATTER = Path(__file__).with_name("chatter.py")
READS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}


def is_read(action: int, arg1=None, arg2=None, *_) -> bool:
    """A read, or one of the two statements FTS5 prepares when it opens its table."""
    return (action in READS or (action == sqlite3.SQLITE_PRAGMA and arg1 == "data_version"
                                and arg2 is None)
            or (action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master"))


def child(home: Path, store: str, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(CHATTER), str(home), store, mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "profiles.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.mark.slow
def test_profiles_survive_a_restart_of_the_process(agent, home, location):
    proc = child(home, location, "restart")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-2000:]
    assert out.strip() == "done"

    fargo = agent.parts.match_title("Fargo")[0]
    with open_store(location) as store:
        profile = store.get("ann")
        assert {0, 49, fargo} <= set(profile.seen) and {126, fargo} <= set(profile.liked)
        reborn = RecAgent(agent.parts, store, "deterministic")
        reply = reborn.chat("recommend crime films", "ann")
        assert reply.items and not {i.id for i in reply.items} & {0, 49, 126, fargo}
        assert store.get("someone-else").seen == []


@pytest.mark.slow
def test_a_process_killed_mid_turn_leaves_every_completed_turn_readable(agent, home, location):
    proc = child(home, location, "loop")
    watchdog = threading.Timer(90, proc.kill)
    watchdog.start()
    completed: dict[int, int] = {}
    kill_at = random.Random(8).randint(4, 8)
    try:
        for line in proc.stdout:
            word, n, *item = line.split()
            if word == "done":
                completed[int(n)] = int(item[0])
            elif int(n) == kill_at:
                time.sleep(random.Random(n).uniform(0.0, 0.25))  # in planning or in writing
                proc.send_signal(signal.SIGKILL)
                break
        rest, _ = proc.communicate(timeout=30)
    finally:
        watchdog.cancel()
    for line in rest.splitlines():  # a turn that finished just before the signal landed
        word, n, *item = line.split()
        if word == "done":
            completed[int(n)] = int(item[0])
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()[-2000:]
    assert len(completed) >= kill_at

    with open_store(location) as store:
        if isinstance(store, SQLiteStore):
            assert store.integrity_check() == "ok"
        seen, turns = store.get("kim").seen, store.session("kim").turns
        assert set(completed.values()) <= set(seen)
        assert len(seen) <= len(completed) + 1  # at most the turn that was cut short
        assert turns in (len(completed), len(completed) + 1) and turns == len(seen)
        reborn = RecAgent(agent.parts, store, "deterministic")  # the session is not left locked
        started = time.perf_counter()
        reborn.chat("something older", "kim")
        assert time.perf_counter() - started < 5.0
        assert store.session("kim").turns == turns + 1


WRITES = ["DELETE FROM items", "UPDATE items SET title = 'x'",
          "INSERT INTO genres VALUES (99, 'x')", "DROP TABLE items", "CREATE TABLE t (a)",
          "CREATE TEMP TABLE t (a)", "VACUUM",
          "PRAGMA query_only = OFF", "PRAGMA journal_mode = DELETE", "REINDEX",
          "ATTACH DATABASE '{tmp}/attached.db' AS x", "VACUUM INTO '{tmp}/copy.db'",
          "INSERT INTO items_fts(items_fts) VALUES ('rebuild')"]


@pytest.mark.usefixtures("catalog_unchanged")
@pytest.mark.parametrize("sql", WRITES)
def test_no_statement_through_the_catalog_can_write_anything(agent, tmp_path, sql):
    catalog = agent.parts.toolkit.catalog
    with pytest.raises(sqlite3.DatabaseError):
        catalog.execute(sql.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == []  # no file made on the side
    assert catalog.execute("SELECT COUNT(*) FROM items")[0][0] == 1682


@pytest.mark.usefixtures("catalog_unchanged")
def test_every_statement_tools_run_in_a_turn_is_a_read(agent):
    """A recording authorizer on this thread's catalog connection sees what the turn runs."""
    catalog = agent.parts.toolkit.catalog
    seen: list[tuple] = []

    def record(action: int, *args) -> int:
        seen.append((action, *args))
        return sqlite3.SQLITE_OK if is_read(action, *args) else sqlite3.SQLITE_DENY

    catalog.connection().set_authorizer(record)
    try:
        for message in ["recommend 90s sci-fi", "I loved The Godfather", "tell me about Fargo",
                        "films about a shark", "Star Wars", "'; DROP TABLE items; --"]:
            agent.chat(message, "authorizer")
        toolkit = agent.parts.toolkit
        for name, args in [("lookup_items", {"titles": ["Star Wars'); DROP TABLE items;--"]}),
                           ("search_items", {"query": "heist"}),
                           ("item_info", {"titles": ["Toy Story"]})]:
            toolkit.run(name, args, toolkit.new_bus())
    finally:
        catalog.connection().set_authorizer(None)
        catalog.close()  # the next use opens a connection with the catalog's own authorizer
    assert len(seen) > 10, "the turns' statements did not go through the recorder"
    assert all(is_read(*entry) for entry in seen)

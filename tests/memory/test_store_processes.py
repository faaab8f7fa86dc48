"""Stores across processes and server trouble: a real PostgreSQL server, killed, stopped and
restarted; a SQLite file shared by processes; a schema from the future; bad URLs."""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from convrec.memory.pg_cluster import TemporaryCluster
from convrec.memory.postgres_store import PostgresStore
from convrec.memory.profile_model import ProfileUpdate
from convrec.memory.sqlite_store import SQLiteStore
from convrec.memory.store import StoreError, StoreUnavailable, open_store, redact

HOLDER = """
import sys, time
from convrec.memory.store import open_store
store = open_store(sys.argv[1])
with store.turn("ann") as turn:
    print("locked", turn.state.turns, flush=True)
    time.sleep(float(sys.argv[2]))
    turn.save(turn.state.record("child", "child reply", None, [99], True))
    print("saved", flush=True)
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")


def holder(location: str, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, location, str(seconds)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("locked"), proc.stderr.read()[-2000:]
    return proc


def timed_turn(location: str) -> tuple[float, int, tuple[int, ...]]:
    with open_store(location) as store:
        started = time.perf_counter()
        with store.turn("ann") as turn:
            waited = time.perf_counter() - started
            turn.save(turn.state.record("parent", "reply", None, [1], True))
        state = store.session("ann")
    return waited, state.turns, state.shown


def test_a_turn_waits_for_another_process_s_turn_of_the_session(location: str) -> None:
    with open_store(location):  # the schema exists before the child starts
        pass
    proc = holder(location, 1.0)
    waited, turns, shown = timed_turn(location)
    assert proc.wait(30) == 0 and proc.stdout.read().strip() == "saved"
    assert waited > 0.5 and turns == 2 and shown == (99, 1)


def test_a_process_killed_in_a_turn_frees_the_session_and_writes_nothing(location: str) -> None:
    with open_store(location) as store:
        with store.turn("ann") as turn:
            turn.save(turn.state.record("first", "reply", None, [5], True))
    proc = holder(location, 60.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    waited, turns, shown = timed_turn(location)
    assert waited < 5.0 and turns == 2 and shown == (5, 1)


def test_a_restart_of_the_server_between_turns_loses_nothing(postgres: TemporaryCluster,
                                                             postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        store.mark_seen("ann", [3])
        with store.turn("ann") as turn:
            turn.save(turn.state.record("one", "reply", {"genres": ["Sci-Fi"]}, [1], True))
        postgres.restart()  # every pooled connection is dead now
        with store.turn("ann") as turn:
            assert turn.state.turns == 1 and turn.profile.seen == [3]
            turn.save(turn.state.record("two", "reply", None, [2], True))
        assert store.session("ann").shown == (1, 2)


def test_an_unreachable_server_is_a_quick_clear_error_and_loses_nothing(
        postgres: TemporaryCluster, postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        with store.turn("ann") as turn:
            turn.save(turn.state.record("one", "reply", None, [1], True))
        postgres.stop()
        try:
            started = time.perf_counter()
            with pytest.raises(StoreUnavailable, match="could not reach the PostgreSQL store"):
                with store.turn("ann"):
                    pass
            with pytest.raises(StoreUnavailable):
                store.like("ann", 4)
            assert time.perf_counter() - started < 5.0
        finally:
            postgres.start()
        assert store.session("ann").turns == 1
        with store.turn("ann") as turn:
            turn.save(turn.state.record("two", "reply", None, [2], True))
        assert store.session("ann").shown == (1, 2)


def test_the_server_going_away_mid_turn_fails_the_save_and_writes_nothing(
        postgres: TemporaryCluster, postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        with store.turn("ann") as turn:
            postgres.stop()
            postgres.start()
            with pytest.raises(StoreUnavailable):
                turn.save(turn.state.record("lost", "reply", None, [1], True))
        assert store.session("ann").turns == 0


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_bad_url_names_the_fix() -> None:
    url = f"postgresql://me:secret@127.0.0.1:{closed_port()}/convrec"
    started = time.perf_counter()
    with pytest.raises(StoreUnavailable, match="CONVREC_STORE") as caught:
        open_store(url)
    assert time.perf_counter() - started < 5.0
    assert "secret" not in str(caught.value) and "me:***@" in str(caught.value)
    assert redact(url) == url.replace("me:secret@", "me:***@")


def test_a_missing_database_is_named(postgres: TemporaryCluster) -> None:
    with pytest.raises(StoreUnavailable, match="nosuchdb"):
        PostgresStore(postgres.url().rsplit("/", 1)[0] + "/nosuchdb")


def test_a_schema_from_a_newer_convrec_is_refused(postgres_url: str, tmp_path: Path) -> None:
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE convrec_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer than this convrec"):
        open_store(postgres_url)
    path = tmp_path / "s.sqlite"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer than this convrec"):
        open_store(path)


def test_two_processes_creating_the_schema_at_once(postgres_url: str) -> None:
    errors: list[BaseException] = []

    def first_use() -> None:
        try:
            open_store(postgres_url).close()
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


def test_a_profile_file_from_before_sessions_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "profiles.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE profiles (user_id TEXT PRIMARY KEY, data TEXT NOT NULL,"
                   " updated_at REAL NOT NULL)")
        db.execute("""INSERT INTO profiles VALUES ('ann', '{"liked": [1]}', 0)""")
        db.execute("PRAGMA user_version = 1")
    with open_store(f"sqlite:///{path}") as store:
        assert store.get("ann").liked == [1]
        with store.turn("ann") as turn:
            turn.save(turn.state.record("hi", "hello", None, [2], True), ProfileUpdate())
        assert store.session("ann").shown == (2,)

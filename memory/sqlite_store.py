"""The default store: profiles and session states in one SQLite file (WAL mode).

A process killed in the middle of a turn leaves every committed turn readable; several
processes on one machine may share the file (writes take turns through SQLite's lock, and
`busy_timeout` makes them wait instead of failing).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from convrec.memory.keys import check_key
from convrec.memory.profile_model import ProfileChange, ProfileUpdate, UserProfile
from convrec.memory.store import (
    LOCK_WAIT_SECONDS,
    KeyedLocks,
    OpenTurn,
    SessionState,
    Store,
    StoreError,
    StoreUnavailable,
    apply_change,
    check_session,
)

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 1: profiles; 2: + sessions
LOCK_FILES = 1024


class SQLiteStore(Store):
    """Profiles and session states per id in one SQLite file, one transaction per change.

    Thread-safe: one connection behind a re-entrant lock (SQLite serialises writers anyway).
    A turn locks its session with flock on one of LOCK_FILES files beside the database: the
    kernel frees it when a process dies, and two sessions wait for each other only when
    their ids hash to the same file. Use as a context manager or call `close()`.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0, synchronous: str = "FULL",
                 lock_wait: float = LOCK_WAIT_SECONDS) -> None:
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous must be 'NORMAL' or 'FULL', got {synchronous!r}")
        self.path = Path(path)
        self.location = str(self.path)
        self.lock_wait = lock_wait
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_dir = self.path.with_name(self.path.name + ".locks")
        self._lock_dir.mkdir(exist_ok=True)
        self._sessions = KeyedLocks()
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            self._db.close()
            raise StoreError(
                f"{self.path}: SQLite refused WAL mode (got {mode!r}); put the profile "
                "database on a local filesystem"
            )
        self._db.execute(f"PRAGMA synchronous = {synchronous}")
        self._create_schema()
        logger.debug("store open at %s", self.path)

    def _create_schema(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has store schema {version}, newer than this convrec "
                    f"({SCHEMA_VERSION}); upgrade convrec or use another file"
                )
            db.execute(
                "CREATE TABLE IF NOT EXISTS profiles ("
                " user_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at REAL NOT NULL)"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS sessions ("
                " session_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at REAL NOT NULL)"
            )
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._db.in_transaction:
                raise RuntimeError(
                    "a store change is already running on this thread: an update() "
                    "callback must change the profile it is given, not call the store"
                )
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _session_lock(self, session_id: str) -> Iterator[None]:
        """The session, locked against other threads and other processes."""
        bucket = int.from_bytes(hashlib.blake2b(session_id.encode(), digest_size=4).digest())
        path = self._lock_dir / f"{bucket % LOCK_FILES:04d}.lock"
        with self._sessions.hold(session_id, self.lock_wait):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                deadline = time.monotonic() + self.lock_wait
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise StoreUnavailable(
                                f"session {session_id!r} stayed busy for {self.lock_wait:.0f} "
                                "s: another process is still running a turn of it") from None
                        time.sleep(0.005)
                yield
            finally:
                os.close(fd)  # releases the flock

    def _read(self, db: sqlite3.Connection, user_id: str) -> UserProfile:
        row = db.execute("SELECT data FROM profiles WHERE user_id = ?", (user_id,)).fetchone()
        return UserProfile() if row is None else UserProfile.from_dict(json.loads(row[0]))

    def _read_state(self, db: sqlite3.Connection, session_id: str) -> SessionState:
        row = db.execute("SELECT data FROM sessions WHERE session_id = ?",
                         (session_id,)).fetchone()
        return SessionState() if row is None else SessionState.from_dict(json.loads(row[0]))

    def _write_row(self, db: sqlite3.Connection, user_id: str, profile: UserProfile) -> None:
        db.execute(
            "INSERT INTO profiles (user_id, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (user_id, json.dumps(profile.to_dict()), time.time()),
        )

    # --- turns ------------------------------------------------------------------------------

    @contextmanager
    def turn(self, session_id: str) -> Iterator[OpenTurn]:
        session_id = check_session(session_id)
        with self._session_lock(session_id):
            try:
                with self._lock:
                    profile = self._read(self._db, session_id)
                    state = self._read_state(self._db, session_id)
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"could not read {self.path}: {exc}") from exc

            def commit(new: SessionState, update: ProfileUpdate) -> UserProfile:
                try:
                    with self._write() as db:
                        saved = apply_change(self._read(db, session_id), update)
                        self._write_row(db, session_id, saved)
                        db.execute(
                            "INSERT INTO sessions (session_id, data, updated_at) VALUES (?, ?, ?)"
                            " ON CONFLICT(session_id) DO UPDATE SET data = excluded.data,"
                            " updated_at = excluded.updated_at",
                            (session_id, json.dumps(new.to_dict()), time.time()))
                except sqlite3.OperationalError as exc:
                    raise StoreUnavailable(f"could not write {self.path}: {exc}") from exc
                return saved

            yield OpenTurn(session_id, profile, state, commit)

    def session(self, session_id: str) -> SessionState:
        session_id = check_session(session_id)
        with self._lock:
            return self._read_state(self._db, session_id)

    # --- profiles ---------------------------------------------------------------------------

    def get(self, user_id: str) -> UserProfile:
        user_id = check_key(user_id)
        with self._lock:
            return self._read(self._db, user_id)

    def save(self, user_id: str, profile: UserProfile) -> None:
        user_id = check_key(user_id)
        if not isinstance(profile, UserProfile):
            raise ValueError(f"save() takes a UserProfile, got {type(profile).__name__}")
        clean = UserProfile.from_dict(profile.to_dict())
        with self._write() as db:
            self._write_row(db, user_id, clean)

    def update(self, user_id: str, change: ProfileChange) -> UserProfile:
        user_id = check_key(user_id)
        with self._write() as db:
            profile = apply_change(self._read(db, user_id), change)
            self._write_row(db, user_id, profile)
        return profile

    def reset(self, user_id: str) -> UserProfile:
        user_id = check_key(user_id)
        with self._session_lock(user_id), self._write() as db:
            self._write_row(db, user_id, UserProfile())
            db.execute("DELETE FROM sessions WHERE session_id = ?", (user_id,))
        return UserProfile()

    def delete(self, user_id: str) -> bool:
        user_id = check_key(user_id)
        with self._write() as db:
            cursor = db.execute("DELETE FROM profiles WHERE user_id = ?", (user_id,))
            dropped = db.execute("DELETE FROM sessions WHERE session_id = ?", (user_id,))
        return cursor.rowcount + dropped.rowcount > 0

    def list_users(self) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT user_id FROM profiles ORDER BY user_id").fetchall()
        return [r[0] for r in rows]

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file: 'ok' when it is sound."""
        with self._lock:
            return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()

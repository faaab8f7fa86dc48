"""Profiles and session states in PostgreSQL (psycopg 3), for several agent processes.

`open_store("postgresql://user[:password]@host[:port]/database")` opens it; the tables
(`convrec_profiles`, `convrec_sessions`, `convrec_meta` with the schema version) are created
on first use. A turn runs in one transaction that starts with `pg_advisory_xact_lock` on the
session, so turns of one session from any number of processes never interleave, and a
process that dies mid-turn rolls back and frees the lock with its connection.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import psycopg
from psycopg import errors
from psycopg.pq import TransactionStatus
from psycopg.types.json import Jsonb

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
    redact,
)

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
# Advisory lock spaces (the first key of pg_advisory_xact_lock(int, int)): "cvrs" and "cvrp".
SESSION_LOCKS, PROFILE_LOCKS, SCHEMA_LOCK = 0x63767273, 0x63767270, (0x6376726D, 0)
FIX = ("start the server, or fix the URL in CONVREC_STORE / --store "
       "(postgresql://user[:password]@host[:port]/database)")
T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS convrec_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS convrec_profiles (
    user_id text PRIMARY KEY, data jsonb NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS convrec_sessions (
    session_id text PRIMARY KEY, data jsonb NOT NULL, updated_at timestamptz NOT NULL);
"""
UPSERT_PROFILE = (
    "INSERT INTO convrec_profiles (user_id, data, updated_at) VALUES (%s, %s, now())"
    " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated_at = now()")
UPSERT_SESSION = (
    "INSERT INTO convrec_sessions (session_id, data, updated_at) VALUES (%s, %s, now())"
    " ON CONFLICT (session_id) DO UPDATE SET data = excluded.data, updated_at = now()")
LOCK = "SELECT pg_advisory_xact_lock(%s, %s)"


def lock_key(space: int, key: str) -> tuple[int, int]:
    """The advisory lock of `key` in `space` (a 32-bit hash; a collision only makes two ids
    wait for each other)."""
    digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
    return space, int.from_bytes(digest, signed=True)


class _Connections:
    """A small pool: idle connections are reused; a dead one is replaced on first use.

    Not psycopg_pool: when the server is down, its getconn waits out its timeout, and a turn
    should instead answer at once without memory.
    """

    def __init__(self, url: str, max_idle: int, connect_timeout: float, lock_wait: float):
        self.url, self.max_idle = url, max_idle
        self.connect_timeout, self.lock_wait = connect_timeout, lock_wait
        self._idle: list[psycopg.Connection] = []
        self._lock = threading.Lock()

    def connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self.url, connect_timeout=max(1, round(self.connect_timeout)),
                               application_name="convrec")
        conn.execute(f"SET lock_timeout = '{int(self.lock_wait * 1000)}ms'")
        conn.commit()
        return conn

    def get(self) -> tuple[psycopg.Connection, bool]:
        """A connection, and whether it was idle in the pool (so may have died since)."""
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self.connect(), False

    def put(self, conn: psycopg.Connection) -> None:
        if conn.closed or conn.broken or conn.info.transaction_status != TransactionStatus.IDLE:
            conn.close()
            return
        with self._lock:
            if len(self._idle) < self.max_idle:
                self._idle.append(conn)
                return
        conn.close()

    def clear(self) -> None:
        """Close every idle connection (after one was found dead: the server restarted)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class PostgresStore(Store):
    """Profiles and session states in a PostgreSQL database; see the module docstring."""

    def __init__(self, url: str, *, max_idle: int = 16, connect_timeout: float = 5.0,
                 lock_wait: float = LOCK_WAIT_SECONDS) -> None:
        self.location = redact(url)
        self._sessions = KeyedLocks()
        self.lock_wait = lock_wait
        self._pool = _Connections(url, max_idle, connect_timeout, lock_wait)
        try:
            self._run(self._create_schema)
        except StoreUnavailable as exc:
            raise StoreUnavailable(f"{exc}; {FIX}") from exc.__cause__

    def _create_schema(self, conn: psycopg.Connection) -> None:
        conn.execute(LOCK, SCHEMA_LOCK)  # two processes starting at once create it once
        conn.execute(SCHEMA)
        conn.execute("INSERT INTO convrec_meta VALUES ('schema_version', %s)"
                     " ON CONFLICT (key) DO NOTHING", (str(SCHEMA_VERSION),))
        version = int(conn.execute("SELECT value FROM convrec_meta"
                                   " WHERE key = 'schema_version'").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.location} has store schema {version}, newer than this "
                             f"convrec ({SCHEMA_VERSION}); upgrade convrec or use another "
                             "database")

    # --- connections ------------------------------------------------------------------------

    def _unavailable(self, exc: psycopg.Error) -> StoreUnavailable:
        if isinstance(exc, errors.LockNotAvailable):
            return StoreUnavailable(f"a session stayed locked for {self.lock_wait:.0f} s: "
                                    "another turn of it is still running")
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return StoreUnavailable(f"could not reach the PostgreSQL store at {self.location}: "
                                f"{reason}")

    def _begin(self, first: Callable[[psycopg.Connection], T]
               ) -> tuple[psycopg.Connection, T]:
        """A connection inside a new transaction that ran `first`. An idle connection that
        turns out dead (the server restarted) is replaced once, by a new one."""
        for attempt in (0, 1):
            try:
                conn, reused = self._pool.get()
            except psycopg.OperationalError as exc:
                raise self._unavailable(exc) from exc
            try:
                return conn, first(conn)
            except psycopg.OperationalError as exc:
                dead = conn.broken
                self._finish(conn)
                if dead and reused and attempt == 0:
                    logger.info("a pooled connection to %s was dead; reconnecting",
                                self.location)
                    self._pool.clear()
                    continue
                raise self._unavailable(exc) from exc
            except BaseException:
                self._finish(conn)
                raise
        raise AssertionError("unreachable")

    def _finish(self, conn: psycopg.Connection) -> None:
        """Roll back whatever is open and hand the connection back to the pool."""
        try:
            if not conn.broken and not conn.closed:
                conn.rollback()
        except psycopg.OperationalError:
            conn.close()
        self._pool.put(conn)

    def _run(self, work: Callable[[psycopg.Connection], T]) -> T:
        """`work(conn)` in one transaction, committed."""
        conn, result = self._begin(work)
        try:
            conn.commit()
        except psycopg.OperationalError as exc:
            raise self._unavailable(exc) from exc
        finally:
            self._finish(conn)
        return result

    # --- turns ------------------------------------------------------------------------------

    @contextmanager
    def turn(self, session_id: str) -> Iterator[OpenTurn]:
        session_id = check_session(session_id)
        with self._sessions.hold(session_id, self.lock_wait):
            conn, (profile, state) = self._begin(lambda c: self._lock_and_load(c, session_id))
            try:
                def commit(new: SessionState, update: ProfileUpdate) -> UserProfile:
                    try:  # two round trips: lock and re-read the profile; write and commit
                        with conn.pipeline():
                            conn.execute(LOCK, lock_key(PROFILE_LOCKS, session_id))
                            saved = apply_change(self._read(conn, session_id), update)
                            conn.execute(UPSERT_PROFILE, (session_id, Jsonb(saved.to_dict())))
                            conn.execute(UPSERT_SESSION, (session_id, Jsonb(new.to_dict())))
                            conn.commit()
                    except psycopg.OperationalError as exc:
                        raise self._unavailable(exc) from exc
                    return saved

                yield OpenTurn(session_id, profile, state, commit)
            finally:
                self._finish(conn)

    def _lock_and_load(self, conn: psycopg.Connection, session_id: str
                       ) -> tuple[UserProfile, SessionState]:
        # one round trip; the load is a statement of its own, run once the lock is held, so
        # its snapshot sees the previous turn's commit
        with conn.pipeline():
            conn.execute(LOCK, lock_key(SESSION_LOCKS, session_id))
            row = conn.execute(
                "SELECT (SELECT data FROM convrec_profiles WHERE user_id = %s),"
                " (SELECT data FROM convrec_sessions WHERE session_id = %s)",
                (session_id, session_id)).fetchone()
        profile = UserProfile() if row[0] is None else UserProfile.from_dict(row[0])
        state = SessionState() if row[1] is None else SessionState.from_dict(row[1])
        return profile, state

    def session(self, session_id: str) -> SessionState:
        session_id = check_session(session_id)
        row = self._run(lambda c: c.execute(
            "SELECT data FROM convrec_sessions WHERE session_id = %s", (session_id,)).fetchone())
        return SessionState() if row is None else SessionState.from_dict(row[0])

    # --- profiles ---------------------------------------------------------------------------

    @staticmethod
    def _read(conn: psycopg.Connection, user_id: str) -> UserProfile:
        row = conn.execute("SELECT data FROM convrec_profiles WHERE user_id = %s",
                           (user_id,)).fetchone()
        return UserProfile() if row is None else UserProfile.from_dict(row[0])

    def get(self, user_id: str) -> UserProfile:
        user_id = check_key(user_id)
        return self._run(lambda c: self._read(c, user_id))

    def save(self, user_id: str, profile: UserProfile) -> None:
        user_id = check_key(user_id)
        if not isinstance(profile, UserProfile):
            raise ValueError(f"save() takes a UserProfile, got {type(profile).__name__}")
        data = Jsonb(UserProfile.from_dict(profile.to_dict()).to_dict())
        self._run(lambda c: c.execute(UPSERT_PROFILE, (user_id, data)))

    def update(self, user_id: str, change: ProfileChange) -> UserProfile:
        user_id = check_key(user_id)

        def work(conn: psycopg.Connection) -> UserProfile:
            conn.execute(LOCK, lock_key(PROFILE_LOCKS, user_id))
            profile = apply_change(self._read(conn, user_id), change)
            conn.execute(UPSERT_PROFILE, (user_id, Jsonb(profile.to_dict())))
            return profile

        return self._run(work)

    def reset(self, user_id: str) -> UserProfile:
        user_id = check_key(user_id)

        def work(conn: psycopg.Connection) -> None:
            conn.execute(LOCK, lock_key(SESSION_LOCKS, user_id))
            conn.execute(LOCK, lock_key(PROFILE_LOCKS, user_id))
            conn.execute(UPSERT_PROFILE, (user_id, Jsonb(UserProfile().to_dict())))
            conn.execute("DELETE FROM convrec_sessions WHERE session_id = %s", (user_id,))

        with self._sessions.hold(user_id, self.lock_wait):
            self._run(work)
        return UserProfile()

    def delete(self, user_id: str) -> bool:
        user_id = check_key(user_id)

        def work(conn: psycopg.Connection) -> int:
            profiles = conn.execute("DELETE FROM convrec_profiles WHERE user_id = %s",
                                    (user_id,)).rowcount
            return profiles + conn.execute("DELETE FROM convrec_sessions WHERE session_id = %s",
                                           (user_id,)).rowcount

        return self._run(work) > 0

    def list_users(self) -> list[str]:
        rows = self._run(lambda c: c.execute(
            "SELECT user_id FROM convrec_profiles ORDER BY user_id").fetchall())
        return [r[0] for r in rows]

    def close(self) -> None:
        self._pool.clear()

"""What each user likes, dislikes, has seen and expects, persisted in one SQLite file.

`UserProfile` is a plain value: the store hands out copies, and a change is written with
`ProfileStore.update` (read, change, write in ONE transaction) or `ProfileStore.save`.
The database runs in WAL mode, so a process killed in the middle of a turn leaves every
committed turn readable; other processes may share the file (writes take turns through
SQLite's lock, `busy_timeout` makes them wait instead of failing).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from convrec.memory.keys import check_key
from convrec.memory.profile_model import (
    Expectations,
    ProfileChange,
    ProfileUpdate,
    UserProfile,
    excluded_ids,
)

__all__ = [
    "Expectations",
    "ProfileChange",
    "ProfileStore",
    "ProfileUpdate",
    "UserProfile",
    "excluded_ids",
]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1



class ProfileStore:
    """Profiles per user id in one SQLite file (WAL), one transaction per change.

    Thread-safe: one connection behind a re-entrant lock (SQLite serialises writers anyway).
    Several processes may open the same file. Use as a context manager or call `close()`.
    """

    def __init__(
        self, path: str | Path, *, timeout: float = 30.0, synchronous: str = "FULL"
    ) -> None:
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous must be 'NORMAL' or 'FULL', got {synchronous!r}")
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            self._db.close()
            raise RuntimeError(
                f"{self.path}: SQLite refused WAL mode (got {mode!r}); put the profile "
                "database on a local filesystem"
            )
        self._db.execute(f"PRAGMA synchronous = {synchronous}")
        self._create_schema()
        logger.debug("profile store open at %s", self.path)

    def _create_schema(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has profile schema {version}, newer than this convrec "
                    f"({SCHEMA_VERSION}); upgrade convrec or use another file"
                )
            db.execute(
                "CREATE TABLE IF NOT EXISTS profiles ("
                " user_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at REAL NOT NULL)"
            )
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._db.in_transaction:
                raise RuntimeError(
                    "a ProfileStore change is already running on this thread: an update() "
                    "callback must change the profile it is given, not call the store"
                )
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, db: sqlite3.Connection, user_id: str) -> UserProfile:
        row = db.execute("SELECT data FROM profiles WHERE user_id = ?", (user_id,)).fetchone()
        return UserProfile() if row is None else UserProfile.from_dict(json.loads(row[0]))

    def _write_row(self, db: sqlite3.Connection, user_id: str, profile: UserProfile) -> None:
        db.execute(
            "INSERT INTO profiles (user_id, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (user_id, json.dumps(profile.to_dict()), time.time()),
        )

    def get(self, user_id: str) -> UserProfile:
        """A copy of the user's profile; an empty one for an id never seen."""
        user_id = check_key(user_id)
        with self._lock:
            return self._read(self._db, user_id)

    def save(self, user_id: str, profile: UserProfile) -> None:
        """Replace the user's profile with `profile` (one transaction)."""
        user_id = check_key(user_id)
        if not isinstance(profile, UserProfile):
            raise ValueError(f"save() takes a UserProfile, got {type(profile).__name__}")
        clean = UserProfile.from_dict(profile.to_dict())
        with self._write() as db:
            self._write_row(db, user_id, clean)

    def update(self, user_id: str, change: ProfileChange) -> UserProfile:
        """Read, change and write the profile in ONE transaction; return the saved profile.

        `change` is a ProfileUpdate, a dict of its fields, or a function that changes the
        profile it is given in place (or returns a new one). If it raises, nothing is written.
        """
        user_id = check_key(user_id)
        with self._write() as db:
            profile = self._read(db, user_id)
            if isinstance(change, ProfileUpdate):
                profile.apply(change)
            elif isinstance(change, Mapping):
                profile.apply(ProfileUpdate.from_mapping(change))
            elif callable(change):
                returned = change(profile)
                profile = profile if returned is None else returned
                if not isinstance(profile, UserProfile):
                    raise ValueError(
                        f"an update() function must return None or a UserProfile, got "
                        f"{type(profile).__name__}"
                    )
            else:
                raise ValueError(
                    "update() takes a ProfileUpdate, a dict of its fields or a function "
                    f"(profile) -> None, got {type(change).__name__}"
                )
            profile = UserProfile.from_dict(profile.to_dict())
            self._write_row(db, user_id, profile)
        return profile

    def like(self, user_id: str, item_id: int) -> UserProfile:
        """Record a like (removes a dislike of the same item)."""
        return self.update(user_id, lambda p: p.like(item_id))

    def dislike(self, user_id: str, item_id: int) -> UserProfile:
        """Record a dislike (removes a like of the same item)."""
        return self.update(user_id, lambda p: p.dislike(item_id))

    def mark_seen(self, user_id: str, item_ids: Iterable[int]) -> UserProfile:
        """Record items the user has already seen."""
        ids = list(item_ids)
        return self.update(user_id, lambda p: p.mark_seen(ids))

    def reset(self, user_id: str) -> UserProfile:
        """Forget everything about the user but keep the id listed; return the empty profile."""
        self.save(user_id, UserProfile())
        return UserProfile()

    def delete(self, user_id: str) -> bool:
        """Remove the user entirely; True if there was something to remove."""
        user_id = check_key(user_id)
        with self._write() as db:
            cursor = db.execute("DELETE FROM profiles WHERE user_id = ?", (user_id,))
        return cursor.rowcount > 0

    def list_users(self) -> list[str]:
        """Every stored user id, sorted."""
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

    def __enter__(self) -> ProfileStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from convrec.memory.keys import check_item_id, check_key

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MAX_NOTES = 20
MAX_NOTE_CHARS = 300

def _unique_ids(ids: Iterable[object]) -> list[int]:
    return list(dict.fromkeys(check_item_id(i) for i in ids))


def _genre_key(genre: str) -> str:
    return genre.strip().casefold()


def _clean_genres(genres: Iterable[str]) -> list[str]:
    kept: dict[str, str] = {}
    for genre in genres:
        if not isinstance(genre, str) or not genre.strip():
            raise ValueError(f"a genre must be a non-empty string, got {genre!r}")
        kept.setdefault(_genre_key(genre), genre.strip())
    return list(kept.values())


def _check_year(year: object, name: str) -> int | None:
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"{name} must be an int year or None, got {year!r}")
    return year


@dataclass
class Expectations:
    """What the user stated they want: genres to prefer or avoid, a year range, free notes.

    Names follow the planner's request frame: `genres` are preferred (soft), `exclude_genres`
    are never wanted ("no horror"), `year_min`/`year_max` are inclusive bounds.
    """

    genres: list[str] = field(default_factory=list)
    exclude_genres: list[str] = field(default_factory=list)
    year_min: int | None = None
    year_max: int | None = None
    notes: list[str] = field(default_factory=list)

    def prefer(self, genres: Iterable[str]) -> None:
        """Add preferred genres; a preferred genre is no longer excluded."""
        new = _clean_genres(genres)
        drop = {_genre_key(g) for g in new}
        self.exclude_genres = [g for g in self.exclude_genres if _genre_key(g) not in drop]
        self.genres = _clean_genres([*self.genres, *new])

    def exclude(self, genres: Iterable[str]) -> None:
        """Add excluded genres; an excluded genre is no longer preferred."""
        new = _clean_genres(genres)
        drop = {_genre_key(g) for g in new}
        self.genres = [g for g in self.genres if _genre_key(g) not in drop]
        self.exclude_genres = _clean_genres([*self.exclude_genres, *new])

    def forget(self, genres: Iterable[str]) -> None:
        """Drop genres from both lists ("actually, horror is fine")."""
        drop = {_genre_key(g) for g in _clean_genres(genres)}
        self.genres = [g for g in self.genres if _genre_key(g) not in drop]
        self.exclude_genres = [g for g in self.exclude_genres if _genre_key(g) not in drop]

    def set_years(self, year_min: int | None = None, year_max: int | None = None) -> None:
        """Set the given bounds; a new bound that contradicts the other one replaces it."""
        year_min = _check_year(year_min, "year_min")
        year_max = _check_year(year_max, "year_max")
        if year_min is not None and year_max is not None and year_min > year_max:
            raise ValueError(f"year_min {year_min} is after year_max {year_max}")
        if year_min is not None:
            self.year_min = year_min
            if self.year_max is not None and self.year_max < year_min and year_max is None:
                self.year_max = None
        if year_max is not None:
            self.year_max = year_max
            if self.year_min is not None and self.year_min > year_max:
                self.year_min = None

    def add_notes(self, notes: Iterable[str]) -> None:
        """Append free-text notes (trimmed, deduplicated; only the latest MAX_NOTES kept)."""
        cleaned = [n.strip()[:MAX_NOTE_CHARS] for n in notes if isinstance(n, str) and n.strip()]
        merged = list(dict.fromkeys([*self.notes, *cleaned]))
        self.notes = merged[-MAX_NOTES:]

    def is_empty(self) -> bool:
        return self == Expectations()


@dataclass
class UserProfile:
    """One user's memory: ordered, duplicate-free item id lists and stated expectations.

    `liked` and `disliked` never share an item (the later statement wins). A like does not
    mark the item seen: call `mark_seen` too when the user says they watched it.
    """

    liked: list[int] = field(default_factory=list)
    disliked: list[int] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)
    expectations: Expectations = field(default_factory=Expectations)

    def like(self, item_id: int) -> None:
        item = check_item_id(item_id)
        self.disliked = [i for i in self.disliked if i != item]
        if item not in self.liked:
            self.liked.append(item)

    def dislike(self, item_id: int) -> None:
        item = check_item_id(item_id)
        self.liked = [i for i in self.liked if i != item]
        if item not in self.disliked:
            self.disliked.append(item)

    def mark_seen(self, item_ids: Iterable[int]) -> None:
        self.seen = _unique_ids([*self.seen, *item_ids])

    def excluded_ids(self) -> set[int]:
        """Items never to recommend again: seen or disliked."""
        return set(self.seen) | set(self.disliked)

    def apply(self, update: ProfileUpdate) -> None:
        """Apply one turn's changes in place (see `ProfileUpdate`)."""
        clash = set(_unique_ids(update.liked)) & set(_unique_ids(update.disliked))
        if clash:
            raise ValueError(f"items both liked and disliked in one update: {sorted(clash)}")
        for item in update.liked:
            self.like(item)
        for item in update.disliked:
            self.dislike(item)
        self.mark_seen(update.seen)
        exp = self.expectations
        exp.forget(update.forget_genres)
        exp.prefer(update.genres)
        exp.exclude(update.exclude_genres)
        if update.clear_years:
            exp.year_min = exp.year_max = None
        exp.set_years(update.year_min, update.year_max)
        exp.add_notes(update.notes)

    def is_empty(self) -> bool:
        return self == UserProfile()

    def to_dict(self) -> dict[str, Any]:
        exp = self.expectations
        return {
            "liked": list(self.liked),
            "disliked": list(self.disliked),
            "seen": list(self.seen),
            "expectations": {
                "genres": list(exp.genres),
                "exclude_genres": list(exp.exclude_genres),
                "year_min": exp.year_min,
                "year_max": exp.year_max,
                "notes": list(exp.notes),
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UserProfile:
        exp = data.get("expectations") or {}
        expectations = Expectations(
            genres=_clean_genres(exp.get("genres", [])),
            exclude_genres=_clean_genres(exp.get("exclude_genres", [])),
            year_min=_check_year(exp.get("year_min"), "year_min"),
            year_max=_check_year(exp.get("year_max"), "year_max"),
        )
        expectations.add_notes(exp.get("notes", []))
        return cls(
            liked=_unique_ids(data.get("liked", [])),
            disliked=_unique_ids(data.get("disliked", [])),
            seen=_unique_ids(data.get("seen", [])),
            expectations=expectations,
        )


@dataclass(frozen=True)
class ProfileUpdate:
    """One turn's additions to a profile; every field is optional and additive.

    liked/disliked/seen: item ids; genres/exclude_genres: as in `Expectations.prefer` /
    `exclude`; forget_genres: dropped from both; year_min/year_max: new bounds;
    clear_years: drop both bounds first; notes: free text ("watches with kids").
    """

    liked: tuple[int, ...] = ()
    disliked: tuple[int, ...] = ()
    seen: tuple[int, ...] = ()
    genres: tuple[str, ...] = ()
    exclude_genres: tuple[str, ...] = ()
    forget_genres: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    clear_years: bool = False
    notes: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, changes: Mapping[str, Any]) -> ProfileUpdate:
        """Build from a dict such as {"liked": [49], "exclude_genres": ["Horror"]}."""
        known = {f.name for f in fields(cls)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(
                f"unknown profile change(s) {sorted(unknown)}; allowed: {sorted(known)}"
            )
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if cls.__dataclass_fields__[name].default == ():
                many = isinstance(value, Iterable) and not isinstance(value, str)
                value = tuple(value) if many else (value,)
            values[name] = value
        return cls(**values)


ProfileChange = Callable[[UserProfile], UserProfile | None] | ProfileUpdate | Mapping[str, Any]


def excluded_ids(profile: UserProfile) -> set[int]:
    """Items never to recommend to this user again: seen | disliked."""
    return profile.excluded_ids()


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

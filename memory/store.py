"""One store for what the agent keeps of a session: its profile and its conversation state.

A turn is

    with store.turn(session_id) as turn:      # the session is locked, across processes
        turn.profile, turn.state              # loaded under the lock
        ...                                   # the agent answers
        turn.save(new_state, profile_update)  # profile + state in ONE transaction

Leaving the block without `save` writes nothing. Turns of one session never interleave, in
one process or across several; turns of different sessions run side by side. Between turns
the profile changes through `update` (feedback), which applies a change to the stored
profile, so a Like given while a turn runs is kept. `open_store(location)` picks the
backend: a file path (SQLite, the default) or a `postgresql://` URL.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from convrec.memory.history import Turn
from convrec.memory.keys import check_item_id, check_key
from convrec.memory.profile_model import ProfileChange, ProfileUpdate, UserProfile

MAX_RECENT_TURNS = 6  # turns kept for the conversation history of a hosted planner's prompt
MAX_STORED_CHARS = 2000  # per stored message or reply
LOCK_WAIT_SECONDS = 120.0  # a turn waits this long for another turn of its session
POSTGRES_SCHEMES = ("postgresql", "postgres")


class StoreError(RuntimeError):
    """The store cannot be used as configured; the message says what to change."""


class StoreUnavailable(StoreError):
    """The store could not be reached (or stayed locked) just now; a later call may work."""


@dataclass(frozen=True)
class SessionState:
    """A session's conversation, as the next turn needs it.

    frame: the last recommendation request (a RequestFrame as a dict), for "something older";
    last_shown: the items of the last reply that had items, in their order, for "the second
    one" and "it"; shown: every item recommended in the session (not recommended again);
    turns: turns answered; recent: the last MAX_RECENT_TURNS turns, oldest first.
    """

    frame: dict[str, Any] | None = None
    last_shown: tuple[int, ...] = ()
    shown: tuple[int, ...] = ()
    turns: int = 0
    recent: tuple[Turn, ...] = field(default=())

    def record(self, user: str, reply: str, frame: dict[str, Any] | None,
               items: Sequence[int], request: bool) -> SessionState:
        """The state after one more turn. `request`: the turn was a recommendation, so its
        frame becomes the one to refine and its items count as shown."""
        items = tuple(check_item_id(i) for i in items)
        turn = Turn(user[:MAX_STORED_CHARS], reply[:MAX_STORED_CHARS], frame)
        return replace(
            self,
            frame=frame if request else self.frame,
            last_shown=items or self.last_shown,
            shown=tuple(dict.fromkeys((*self.shown, *items))) if request else self.shown,
            turns=self.turns + 1,
            recent=(*self.recent, turn)[-MAX_RECENT_TURNS:],
        )

    def to_dict(self) -> dict[str, Any]:
        return {"frame": self.frame, "last_shown": list(self.last_shown),
                "shown": list(self.shown), "turns": self.turns,
                "recent": [t.to_dict() for t in self.recent]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionState:
        frame, turns = data.get("frame"), data.get("turns", 0)
        if frame is not None and not isinstance(frame, dict):
            raise ValueError(f"a stored session frame must be a dict or None, got {frame!r}")
        if isinstance(turns, bool) or not isinstance(turns, int) or turns < 0:
            raise ValueError(f"a stored turn count must be a non-negative int, got {turns!r}")
        return cls(frame=frame,
                   last_shown=tuple(check_item_id(i) for i in data.get("last_shown", ())),
                   shown=tuple(check_item_id(i) for i in data.get("shown", ())),
                   turns=turns,
                   recent=tuple(Turn.from_dict(t) for t in data.get("recent", ())))


class OpenTurn:
    """A session locked for one turn: what was loaded, and `save` to finish the turn."""

    def __init__(self, session_id: str, profile: UserProfile, state: SessionState,
                 commit: Callable[[SessionState, ProfileUpdate], UserProfile]) -> None:
        self.session_id = session_id
        self.profile = profile
        self.state = state
        self._commit = commit
        self.saved = False

    def save(self, state: SessionState, update: ProfileUpdate = ProfileUpdate()) -> UserProfile:
        """Write the new state and apply `update` to the stored profile, in one transaction;
        returns the saved profile. Once per turn."""
        if self.saved:
            raise RuntimeError("this turn was already saved; open a new turn for the next one")
        if not isinstance(state, SessionState) or not isinstance(update, ProfileUpdate):
            raise ValueError("save() takes a SessionState and a ProfileUpdate")
        profile = self._commit(state, update)
        self.saved = True
        return profile


def apply_change(profile: UserProfile, change: ProfileChange) -> UserProfile:
    """`profile` changed by a ProfileUpdate, a dict of its fields, or a function that changes
    the profile in place (or returns a new one); a clean copy."""
    if isinstance(change, ProfileUpdate):
        profile.apply(change)
    elif isinstance(change, Mapping):
        profile.apply(ProfileUpdate.from_mapping(change))
    elif callable(change):
        returned = change(profile)
        profile = profile if returned is None else returned
        if not isinstance(profile, UserProfile):
            raise ValueError(f"an update() function must return None or a UserProfile, got "
                             f"{type(profile).__name__}")
    else:
        raise ValueError("update() takes a ProfileUpdate, a dict of its fields or a function "
                         f"(profile) -> None, got {type(change).__name__}")
    return UserProfile.from_dict(profile.to_dict())


class Store(ABC):
    """Profiles and session states by id. Thread-safe; several processes may share one."""

    location: str  # where it is, printable (no password)

    @abstractmethod
    def turn(self, session_id: str) -> AbstractContextManager[OpenTurn]:
        """Lock the session for one turn and load it (see the module docstring)."""

    @abstractmethod
    def session(self, session_id: str) -> SessionState:
        """The session's stored state; an empty one for an id never seen."""

    @abstractmethod
    def get(self, user_id: str) -> UserProfile:
        """A copy of the profile; an empty one for an id never seen."""

    @abstractmethod
    def save(self, user_id: str, profile: UserProfile) -> None:
        """Replace the profile (one transaction)."""

    @abstractmethod
    def update(self, user_id: str, change: ProfileChange) -> UserProfile:
        """Read, change (see `apply_change`) and write the profile in ONE transaction; return
        the saved profile. If the change raises, nothing is written."""

    @abstractmethod
    def reset(self, user_id: str) -> UserProfile:
        """Forget the profile and the conversation but keep the id listed; waits for a
        running turn of the session. Returns the empty profile."""

    @abstractmethod
    def delete(self, user_id: str) -> bool:
        """Remove the id entirely; True if there was something to remove."""

    @abstractmethod
    def list_users(self) -> list[str]:
        """Every id with a stored profile, sorted."""

    @abstractmethod
    def close(self) -> None: ...

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

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class KeyedLocks:
    """One lock per key within a process, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, list[int]]] = {}

    @contextmanager
    def hold(self, key: str, timeout: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.setdefault(key, (threading.Lock(), [0]))
            users[0] += 1
        try:
            if not lock.acquire(timeout=timeout):
                raise StoreUnavailable(f"session {key!r} stayed busy for {timeout:.0f} s: "
                                       "another turn of it is still running")
            try:
                yield
            finally:
                lock.release()
        finally:
            with self._guard:
                users[0] -= 1
                if users[0] == 0:
                    del self._locks[key]


def check_session(session_id: str) -> str:
    return check_key(session_id, "session id")


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def open_store(location: Store | str | Path, **options: Any) -> Store:
    """The store at `location`: a file path or `sqlite:///path` (SQLite), or a
    `postgresql://user[:password]@host[:port]/database` URL (PostgreSQL); a Store as is."""
    if isinstance(location, Store):
        return location
    text = str(location)
    scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    if scheme in POSTGRES_SCHEMES:
        from convrec.memory.postgres_store import PostgresStore

        return PostgresStore(text, **options)
    if scheme == "sqlite":
        text = text.split("://", 1)[1].removeprefix("/")  # sqlite:////abs, sqlite:///rel
    elif scheme:
        raise StoreError(f"unknown store {redact(text)!r}: give a file path (SQLite) or a "
                         "postgresql://user@host:port/database URL (CONVREC_STORE or --store)")
    from convrec.memory.sqlite_store import SQLiteStore

    return SQLiteStore(Path(text).expanduser(), **options)

"""What each user likes, dislikes, has seen and expects (`UserProfile`), and where it is kept.

`UserProfile` is a plain value: a store hands out copies, and a change is written with
`Store.update` (read, change, write in ONE transaction) or `Store.save`. The stores live in
`convrec.memory.store` (the interface), `sqlite_store` (the default) and `postgres_store`.
"""

from __future__ import annotations

from convrec.memory.profile_model import (
    Expectations,
    ProfileChange,
    ProfileUpdate,
    UserProfile,
    excluded_ids,
)
from convrec.memory.sqlite_store import SQLiteStore

# The SQLite store under the name it had when profiles were all it kept.
ProfileStore = SQLiteStore

__all__ = [
    "Expectations",
    "ProfileChange",
    "ProfileStore",
    "ProfileUpdate",
    "UserProfile",
    "excluded_ids",
]

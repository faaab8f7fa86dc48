"""Validation of the keys that separate users and sessions from one another."""

from __future__ import annotations

import operator

MAX_KEY_LENGTH = 128


def check_key(key: object, what: str = "user id") -> str:
    """Return `key` if it is a usable user/session id; raise a ValueError saying why not.

    A key is a non-empty string of at most MAX_KEY_LENGTH characters, not only whitespace,
    with no control characters (so it prints and logs as itself).
    """
    if not isinstance(key, str):
        raise ValueError(f"{what} must be a string, got {type(key).__name__}: {key!r}")
    if not key.strip():
        raise ValueError(f"{what} must be a non-empty string with a visible character, got {key!r}")
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(
            f"{what} must be at most {MAX_KEY_LENGTH} characters, got {len(key)}: {key[:40]!r}..."
        )
    if any(ch.isspace() and ch != " " or not ch.isprintable() for ch in key):
        raise ValueError(f"{what} must not contain control characters or newlines, got {key!r}")
    return key


def check_item_id(item_id: object) -> int:
    """Return `item_id` as a plain int if it is a non-negative integer (numpy ints welcome)."""
    if isinstance(item_id, bool):
        raise ValueError(f"item id must be an integer, got the bool {item_id!r}")
    try:
        value = operator.index(item_id)
    except TypeError:
        raise ValueError(
            f"item id must be an integer, got {type(item_id).__name__}: {item_id!r}"
        ) from None
    if value < 0:
        raise ValueError(f"item id must be non-negative, got {value}")
    return value

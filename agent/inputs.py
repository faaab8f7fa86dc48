"""Cleaning what a user types before anything reads it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 2000  # the agent reads this many characters; the UI refuses longer messages


@dataclass(frozen=True)
class CleanMessage:
    text: str
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.text


def clean_message(message: object, limit: int = MAX_MESSAGE_CHARS) -> CleanMessage:
    """NFC text with control characters and broken surrogates removed, cut at `limit` chars.

    Newlines and tabs become spaces. Raises TypeError for a non-string.
    """
    if not isinstance(message, str):
        raise TypeError(f"message must be a string, got {type(message).__name__}")
    text = message.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if ch in "\n\r\t" else ch for ch in text
                   if ch in "\n\r\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    text = " ".join(text.split())
    truncated = len(text) > limit
    return CleanMessage(text[:limit].rstrip() if truncated else text, truncated)

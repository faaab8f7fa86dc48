"""The title guard: a simulated user never says the title of the item it is looking for.

A message is checked against every form of the target's title ("Godfather, The", "The
Godfather", the part before an alternative title in brackets and the bracketed one). The
score is the best `rapidfuzz` ratio between a title form and any run of words of the
message of about the same length, so that "heat" inside "heartwarming" does not count but
"the godfather" inside "something like the godfather please" does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

THRESHOLD = 80.0
_WORD = re.compile(r"[a-z0-9]+")
_ARTICLES = {"the", "a", "an", "la", "le", "les", "el", "il"}


class TitleLeakError(RuntimeError):
    """No acceptable message could be written without naming the target."""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("'", ""))


def title_forms(titles: Iterable[str]) -> list[list[str]]:
    """Word lists of every form of the given titles, without leading/trailing articles."""
    forms: list[list[str]] = []
    for title in titles:
        main, _, alt = title.partition("(")
        for text in (title, main, alt.rstrip(")")):
            words = _words(text)
            while len(words) > 1 and words[0] in _ARTICLES:
                words = words[1:]
            while len(words) > 1 and words[-1] in _ARTICLES:
                words = words[:-1]
            if words and words not in forms:
                forms.append(words)
    return forms


def title_score(message: str, titles: Iterable[str]) -> float:
    """How closely `message` names one of `titles`, 0-100 (best window of similar length)."""
    words = _words(message)
    best = 0.0
    for form in title_forms(titles):
        target = " ".join(form)
        for size in {max(1, len(form) - 1), len(form), len(form) + 1}:
            for start in range(0, max(1, len(words) - size + 1)):
                window = " ".join(words[start:start + size])
                best = max(best, fuzz.ratio(window, target))
    return best


def names_title(message: str, titles: Iterable[str], threshold: float = THRESHOLD) -> bool:
    """True when the message fuzzy-matches a title with a score above `threshold`."""
    return title_score(message, titles) > threshold

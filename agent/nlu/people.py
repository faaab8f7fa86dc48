"""The catalog's people in a message: "games by Knizia", "anything from Uwe Rosenberg",
"books by le guin", "not Chvatil".

Built from `Catalog.people` (the names of its people columns: director, author, designer).
A full name is always recognised (accents, case and middle initials aside); a surname alone
("Knizia", "Le Guin") when it is capitalised, follows a cue such as "by" or "from", or is no
common English word; after a cue, a surname within two letters of a typo too. A surname
two people share names both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from convrec.agent.nlu.facets import phrase_regex
from convrec.recsys.titles import fold

PARTICLES = frozenset("de da del della der di du la le van von ten ter st".split())
TYPO_CUTOFF = 86.0
_CUE = re.compile(r"(?:\b(?:by|from|of|designer|designed by|written by|directed by|made by|"
                  r"author|director|creator|developer|artist)\s+)$")
_INITIAL = re.compile(r"\b[a-z]\.\s*")
_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(frozen=True)
class PersonHit:
    """A span of the message that names catalog people (more than one for a shared surname)."""

    start: int
    end: int
    names: tuple[str, ...]


def _keys(name: str) -> tuple[set[str], str | None]:
    """(full-name keys, surname key or None) of a catalog name."""
    folded = fold(name).strip()
    bare = re.sub(r"\s+", " ", _INITIAL.sub("", folded)).strip()
    words = bare.split()
    full = {folded, bare, folded.replace(".", "")}
    if len(words) < 2:
        return full, None
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    surname = " ".join(words[start:])
    return full, surname if len(surname) >= 4 else None


class CatalogPeople:
    """Finds the catalog's people in folded text."""

    def __init__(self, names: Sequence[str], common: Callable[[str], bool]):
        self.full: dict[str, list[str]] = {}
        self.surnames: dict[str, list[str]] = {}
        for name in names:
            full, surname = _keys(name)
            for key in full:
                self.full.setdefault(key, []).append(name)
            if surname:
                self.surnames.setdefault(surname, []).append(name)
        self._common = common
        self._full = phrase_regex(self.full)
        self._surname = phrase_regex(self.surnames)

    def __bool__(self) -> bool:
        return bool(self.full)

    def find(self, folded: str, original: str) -> list[PersonHit]:
        """People named in `folded` (positions as in `original`, which keeps the capitals)."""
        hits = [PersonHit(m.start(), m.end(), tuple(dict.fromkeys(self.full[m.group(1)])))
                for m in self._full.finditer(folded)]
        for m in self._surname.finditer(folded):
            if any(h.start <= m.start() < h.end for h in hits):
                continue
            if self._plausible(m.group(1), m.start(), folded, original):
                hits.append(PersonHit(m.start(), m.end(),
                                      tuple(dict.fromkeys(self.surnames[m.group(1)]))))
        hits += self._typos(folded, hits)
        return sorted(hits, key=lambda h: h.start)

    def _plausible(self, surname: str, start: int, folded: str, original: str) -> bool:
        capitalised = original[start:start + 1].isupper()
        cued = _CUE.search(folded[:start]) is not None
        return capitalised or cued or not all(self._common(w) for w in surname.split())

    def _typos(self, folded: str, hits: list[PersonHit]) -> list[PersonHit]:
        """A mistyped surname right after a cue ("by knizzia")."""
        found = []
        for m in _WORD.finditer(folded):
            word = m.group()
            if len(word) < 5 or any(h.start <= m.start() < h.end for h in hits) \
                    or _CUE.search(folded[:m.start()]) is None or self._common(word):
                continue
            best = max(((fuzz.ratio(word, key), key) for key in self.surnames
                        if " " not in key and key[0] == word[0]), default=(0.0, ""))
            if best[0] >= TYPO_CUTOFF:
                found.append(PersonHit(m.start(), m.end(),
                                       tuple(dict.fromkeys(self.surnames[best[1]]))))
        return found

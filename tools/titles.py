"""Titles as users write them -> catalog ids: fuzzy, article-, year-, accent- and typo-tolerant.

"The Godfather", "godfather, the", "The Godfather (1972)", "godfather 1972" and "godfahter"
all find The Godfather. Keys are built once per catalog; one query scores every title with
three rapidfuzz scorers at C speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from convrec.recsys.catalog import Catalog
from convrec.recsys.titles import (
    ARTICLES,
    ENGLISH_ARTICLE_KEYS,
    ROMAN_NUMERALS,
    search_key,
    strip_article,
)

MATCH = 80.0  # below this best score, nothing matches
AMBIGUOUS_MARGIN = 5.0  # a different title this close to the best makes it ambiguous
ALTERNATIVE_MARGIN = 15.0  # titles this close are listed as alternatives
YEAR_BONUS, YEAR_PENALTY = 5.0, 20.0

NUMBER_PENALTY = 10.0  # per number in the query that the title lacks ("Godfathr 5")

_TRAILING_ARTICLE = re.compile(
    r"^(?P<head>.+?),\s*(?P<article>" + "|".join(re.escape(a) for a in ARTICLES) + r")\.?$",
    re.IGNORECASE)
_NUMBER = re.compile(r"\b\d+\b")
_QUERY_YEAR = re.compile(r"^(?P<title>.*?)[\s,(\[]*\b(?P<year>1[89]\d\d|20\d\d)\b[)\]]?\s*$")


def title_key(text: str) -> str:
    """Comparable key: search_key, leading English article dropped, roman numerals as digits."""
    key = strip_article(search_key(text), ENGLISH_ARTICLE_KEYS)
    return " ".join(ROMAN_NUMERALS.get(token, token) for token in key.split())


def parse_query(text: str) -> tuple[str, int | None]:
    """"The Godfather (1972)" / "godfather 1972" -> ("godfather", 1972)."""
    text = " ".join(str(text).split()).strip(" \"'`“”‘’")
    year = None
    match = _QUERY_YEAR.match(text)
    if match and match.group("title").strip():
        text, year = match.group("title"), int(match.group("year"))
    moved = _TRAILING_ARTICLE.match(text.strip())
    if moved:
        text = f"{moved.group('article')} {moved.group('head')}"
    return title_key(text), year


@dataclass(frozen=True)
class Candidate:
    id: int
    title: str  # "The Godfather (1972)"
    confidence: float  # 0-1


@dataclass(frozen=True)
class TitleMatch:
    """What one written title resolved to. status: matched | ambiguous | no_match."""

    query: str
    status: str
    best: Candidate | None
    alternatives: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def id(self) -> int | None:
        return self.best.id if self.best and self.status != "no_match" else None


class TitleIndex:
    """The catalog's title index: a title as a user writes it -> catalog id (`match`).

    Prebuilt lower-case, article-free keys of every catalog title.
    """

    def __init__(self, catalog: Catalog):
        rows = catalog.title_rows()
        self.ids = np.array([r.id for r in rows], dtype=np.int64)
        self.labels = [f"{r.display_title} ({r.year})" if r.year else r.display_title
                       for r in rows]
        self.keys = [title_key(r.title) for r in rows]
        self.years = np.array([r.year if r.year is not None else -1 for r in rows],
                              dtype=np.int64)
        self.popularity = np.array([r.popularity for r in rows], dtype=np.float64)
        self._numbers: dict[str, np.ndarray] = {}

    def scores(self, key: str, year: int | None) -> np.ndarray:
        """0-100 score of every title for a parsed query."""
        if not key:
            return np.zeros(len(self.keys))
        kwargs = {"processor": None, "workers": 1, "dtype": np.float32}
        plain = process.cdist([key], self.keys, scorer=fuzz.ratio, **kwargs)[0]
        ordered = process.cdist([key], self.keys, scorer=fuzz.token_sort_ratio, **kwargs)[0]
        subset = process.cdist([key], self.keys, scorer=fuzz.token_set_ratio, **kwargs)[0]
        score = np.maximum(np.maximum(plain, ordered), 0.9 * subset).astype(np.float64)
        for number in set(_NUMBER.findall(key)):
            score -= NUMBER_PENALTY * ~self._has_number(number)
        if year is not None:
            gap = np.abs(self.years - year)
            score = np.where(gap == 0, np.minimum(score + YEAR_BONUS, 100.0),
                             np.where(gap == 1, score, score - YEAR_PENALTY))
        return score

    def _has_number(self, number: str) -> np.ndarray:
        cached = self._numbers.get(number)
        if cached is None:
            pattern = re.compile(rf"\b{number}\b")
            cached = np.array([bool(pattern.search(k)) for k in self.keys])
            if len(self._numbers) < 256:
                self._numbers[number] = cached
        return cached

    def match(self, text: str, n_alternatives: int = 4) -> TitleMatch:
        """Best title for `text`, its close alternatives, and whether it is a match at all."""
        key, year = self.parse(text)
        score = self.scores(key, year)
        order = np.lexsort((-self.popularity, -score))[: n_alternatives + 1]
        found = [Candidate(int(self.ids[i]), self.labels[i], round(float(score[i]) / 100, 3))
                 for i in order if score[i] > 0]
        if not found or found[0].confidence * 100 < MATCH:
            return TitleMatch(text, "no_match", found[0] if found else None, tuple(found[1:4]))
        best_score = found[0].confidence * 100
        floor = max(MATCH - 10, best_score - ALTERNATIVE_MARGIN)
        alternatives = tuple(c for c in found[1:] if c.confidence * 100 >= floor)
        rival = [c for c in alternatives if c.confidence * 100 >= best_score - AMBIGUOUS_MARGIN]
        exact = best_score >= 100 and not any(c.confidence >= 1.0 for c in rival)
        status = "ambiguous" if rival and not exact else "matched"
        return TitleMatch(text, status, found[0], alternatives)

    @staticmethod
    def parse(text: str) -> tuple[str, int | None]:
        return parse_query(text)

"""How many items the user asks for ("give me 10", "just one", "three westerns"), and
whether they ask for the best rated ("top rated", "the best").

Both read folded text; `find_count` returns the count and the span it used, so the
extractor can blank it before years are read ("top 20" is no year).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from convrec.agent.frame import MAX_COUNT

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19, "twenty": 20, "a dozen": 12, "dozen": 12, "half a dozen": 6,
          "a couple": 2, "a couple of": 2, "couple of": 2, "a pair of": 2,
          "a single": 1, "a handful of": 5, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4,
          "cinco": 5, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "zwei": 2, "drei": 3,
          "vier": 4, "fünf": 5, "funf": 5, "due": 2, "tre": 3, "quattro": 4, "cinque": 5}
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(sorted((re.escape(w) for w in _WORDS if w != "one"),
                                              key=len, reverse=True)) + ")"
_NOUNS = (r"movies?|films?|flicks?|picks?|recommendations?|recs?|suggestions?|titles?|"
          r"options?|ones|things|peliculas?|pelis|filme?")
_ASK = r"(?:give me|show me|gimme|get me|send me|list|recommend|suggest|pick|find|need|want|" \
       r"just|only|top|another|can i get|can i have|i'd like|id like|how about|solo|nur|" \
       r"seulement|solamente)"
_NOT_AFTER = re.compile(r"\s*(?:years?|yrs?|yo\b|-year|hours?|hrs?|minutes?|mins?|days?|"
                        r"weeks?|times?|people|persons|friends|kids\b(?!'? ?(?:movies|films))|"
                        r"children|of (?:us|my)|percent|%|am|pm|o'?clock|stars?\b|/)")
_MORE = re.compile(r"\b(?P<n>\d{1,2}|" + "|".join(re.escape(w) for w in _WORDS if " " not in w)
                   + r")\s+more\b")
_ONE = re.compile(r"\b(?:just|only|pick|give me|gimme|recommend|suggest|show me|need|want)\s+"
                  r"(?:me\s+)?(?:one|1)\b(?!\s*(?:of|more|with|that|which|where|like|day|"
                  r"thing|question))|\ba single\b|\bone (?:\w+ )?(?:movie|film|flick|pick|"
                  r"recommendation|suggestion)\b(?! (?:of|with|that|which|where))|"
                  r"\banother one\b(?! of)")


def _phrase(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def count_patterns(nouns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """A count before a noun ("10 comedies", "three westerns"), after an asking verb
    ("give me 10"), or before "more" ("8 more")."""
    noun = _NOUNS + ("|" + _phrase(nouns) if nouns else "")
    before_noun = re.compile(rf"(?<![\w.#-]){_NUMBER}(?![\w.]|,\d)"
                             rf"(?=(?:\s+[\w'-]+){{0,3}}?\s+(?:{noun})\b)")
    after_verb = re.compile(rf"\b{_ASK}\s+(?:me\s+)?(?:like\s+|about\s+|maybe\s+)?{_NUMBER}\b")
    return before_noun, after_verb, _MORE


_AGE_BEFORE = re.compile(r"\b(?:turning|turns|turned|aged?|ages)\s+$")


def find_count(folded: str, patterns: Sequence[re.Pattern[str]]
               ) -> tuple[int | None, list[tuple[int, int]]]:
    """(the number of items asked for, the spans read) -- (None, []) when none is asked."""
    for pattern in patterns:
        for match in pattern.finditer(folded):
            if _NOT_AFTER.match(folded, match.end("n")) or \
                    _AGE_BEFORE.search(folded, 0, match.start("n")):
                continue  # "4 players", "turning 10": not how many to show
            raw = match.group("n")
            value = int(raw) if raw.isdigit() else _WORDS[raw]
            if value >= 1:
                return min(value, MAX_COUNT), [match.span("n")]
    one = _ONE.search(folded)
    if one:
        return 1, [one.span()]
    return None, []


_QUALITY = re.compile(
    r"\b(?:top|highest|best|well|highly|critically|most highly|higher)[- ]rated\b|"
    r"\b(?:the )?(?:very )?best\b(?! (?:friend|friends|of luck|wishes|man|part|buddy|bud))|"
    r"\btop (?!\d|rated|of\b|\w+ \d)\b|\bgreatest\b|\bacclaimed\b|\bmasterpieces?\b|"
    r"\bmust[- ]sees?\b|\b(?:the )?good ones\b|"
    r"\b(?:rated|rating|ratings) (?:above|over|at least|higher than|of at least) \d|"
    r"\bonly (?:the )?good\b|\bgreat ones\b|\bof all time\b|\bfive[- ]star\b|\b5[- ]star\b|"
    r"\bbest reviewed\b|\bhighest scor\w*\b|\bpeople (?:really )?(?:liked|loved)\b|"
    r"\bmejor(?:es)? valorad\w*\b|\blas mejores\b|\bles meilleurs?\b|\bmieux notes?\b|"
    r"\bam besten bewertet\w*\b|\bdie besten\b")


def wants_quality(folded: str) -> tuple[bool, list[tuple[int, int]]]:
    """"top rated", "the best", "of all time", ... -> (True, spans read)."""
    spans = [m.span() for m in _QUALITY.finditer(folded)]
    return bool(spans), spans

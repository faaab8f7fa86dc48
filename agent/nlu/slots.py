"""Text-level slot finders for the extractor: genres, popularity, title roles, soft query.

Every function works on folded (lower-case, accent-free) text in which spans already used
by other slots may be blanked with spaces, so character positions stay comparable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from convrec.agent.nlu.lexicon import (
    DISLIKE,
    DISLIKE_AFTER,
    EXCLUDE_AFTER,
    GENRE_HINTS,
    GENRE_SYNONYMS,
    LIKE,
    LIKE_AFTER,
    MOODS,
    NEGATIONS,
    NOT_GENRE,
    OBSCURE,
    POPULAR,
    SEEN,
    STOPWORDS,
)
from convrec.agent.nlu.mentions import Mention

Role = Literal["similar", "exclude", "seen", "disliked"]
GENRE_FUZZY_CUTOFF = 85.0
_CLAUSE_END = re.compile(r"[.,;!?()]|(?<!anything )(?<!everything )(?<!all )\bbut\b(?!\s+not)")
_SENTENCE_END = re.compile(r"[.;!?]")
_CONNECTORS = frozenset({"and", "or", "nor", "plus", "&", "both", "as", "well"})


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])")


_GENRE_OF: dict[str, list[str]] = {}
for _genre, _words in GENRE_SYNONYMS.items():
    for _word in _words:
        _GENRE_OF.setdefault(_word, []).append(_genre)
_GENRES = _phrase_regex(_GENRE_OF)
_HINTS = _phrase_regex(GENRE_HINTS)
_NOT_GENRE = _phrase_regex(NOT_GENRE)
# "for my 6 year old", "two-year-olds": children of twelve or younger.
_CHILD_AGE = re.compile(r"(?<![\w-])(?:[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|"
                        r"nine|ten|eleven|twelve)[- ](?:year|yr)s?[- ]olds?(?![\w-])")
CHILDREN = "Children's"
_FUZZY_WORDS = [w for w in _GENRE_OF if " " not in w and len(w) >= 5 and w.isalpha()]
_NEGATION = re.compile(r"(?<![\w'])(" + "|".join(re.escape(n) for n in
                                                  sorted(NEGATIONS, key=len, reverse=True))
                       + r")(?![\w'])((?:\s+[\w'-]+){0,3})\s*$")
_POPULAR = _phrase_regex(POPULAR)
_OBSCURE = _phrase_regex(OBSCURE)
_LIKE = _phrase_regex(LIKE)
_SEEN = _phrase_regex(SEEN)
_NEG_ANY = _phrase_regex(NEGATIONS)
_LIKE_AFTER = _phrase_regex(LIKE_AFTER)
_EXCLUDE_AFTER = _phrase_regex(EXCLUDE_AFTER)
_DISLIKE = _phrase_regex(DISLIKE)
_DISLIKE_AFTER = _phrase_regex(DISLIKE_AFTER)
_WORDS = re.compile(r"[a-z0-9][a-z0-9'-]*")
_QUERY_LEADS = re.compile(r"(?<![\w-])(?:about|with|involving|featuring|starring|set in|"
                          r"set during|based on|fan of|where|more)\s+(?P<body>[^.,;!?]+)")
_QUERY_UNTIL = re.compile(r"\b(?:but|from|before|after|since|that|which|please|pls|like|"
                          r"and (?:not|no|nothing))\b")
_NOUN_BEFORE_MOVIE = re.compile(r"(?P<body>(?:[a-z][\w'-]*\s+){1,2})"
                                r"(?:movie|movies|film|films|flick|flicks|stuff)\b")
SHORT_MESSAGE_WORDS = 5


@dataclass(frozen=True)
class Hit:
    """A recognised phrase: span, what it means, and whether it is negated."""

    start: int
    end: int
    value: str
    negated: bool = False
    hint: bool = False  # the words also belong in the soft query ("kung fu")


def negated_at(text: str, start: int) -> bool:
    """Is the phrase starting at `start` inside a negation ("no", "not a", "I hate ...")?"""
    prefix = text[:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(prefix)), default=0)
    match = _NEGATION.search(prefix[cut:])
    if match is None or prefix[cut:match.start() + cut].rstrip().endswith(" if"):
        return False  # "if not, some sci-fi" is a condition, not a negation
    return not (match.group(1) == "nothing" and match.group(2).strip().startswith("but"))


def find_genres(text: str, genres: Sequence[str]) -> list[Hit]:
    """Genre mentions (synonyms, then typo-tolerant single words), each maybe negated."""
    text = _NOT_GENRE.sub(lambda m: " " * len(m.group()), text)
    hits = [Hit(m.start(), m.end(), genre, negated_at(text, m.start()))
            for m in _GENRES.finditer(text) for genre in _GENRE_OF[m.group(1)]
            if genre in genres]
    hits += [Hit(m.start(), m.end(), GENRE_HINTS[m.group(1)], negated_at(text, m.start()),
                 hint=True) for m in _HINTS.finditer(text) if GENRE_HINTS[m.group(1)] in genres]
    if CHILDREN in genres:
        hits += [Hit(m.start(), m.end(), CHILDREN) for m in _CHILD_AGE.finditer(text)]
    used = [(h.start, h.end) for h in hits]
    for match in _WORDS.finditer(text):
        word = match.group()
        if (len(word) < 5 or word in STOPWORDS or word in _GENRE_OF or not word.isalpha()
                or any(s <= match.start() < e for s, e in used)):
            continue
        best = max(((fuzz.ratio(word, cand), cand) for cand in _FUZZY_WORDS
                    if cand[0] == word[0]), default=(0.0, ""))
        if best[0] >= GENRE_FUZZY_CUTOFF:
            hits += [Hit(match.start(), match.end(), genre, negated_at(text, match.start()))
                     for genre in _GENRE_OF[best[1]] if genre in genres]
    return sorted(hits, key=lambda h: h.start)


def find_popularity(text: str) -> tuple[str | None, list[tuple[int, int]]]:
    """("popular" | "obscure" | None, spans used)."""
    obscure = list(_OBSCURE.finditer(text))
    popular = [m for m in _POPULAR.finditer(text)
               if not any(o.start() <= m.start() < o.end() for o in obscure)]
    spans = [m.span() for m in obscure + popular]
    if obscure or any(negated_at(text, m.start()) for m in popular):
        return "obscure", spans
    return ("popular" if popular else None), spans


_NEGATED_LIKE = re.compile(r"\b(?:nothing|not|none|no)\s+(?:\w+\s+){0,2}?(?:like|similar to)\b")


def title_roles(text: str, mentions: Sequence[Mention]) -> list[Role]:
    """What the user means by each mentioned title: liked, not wanted, already seen, or
    disliked."""
    roles: list[Role] = []
    previous_end = 0
    for index, mention in enumerate(mentions):
        gap = text[previous_end:mention.start]
        if roles and set(_WORDS.findall(gap)) <= _CONNECTORS and not _SENTENCE_END.search(gap):
            role = roles[-1]
        else:
            role = _role_before(gap) or _role_after(_after(text, mentions, index)) or "similar"
        if role == "seen":
            liked = _LIKE_AFTER.search(_after(text, mentions, index, sentence=True))
            role = "similar" if liked else "seen"
        roles.append(role)
        previous_end = mention.end
    return roles


def _role_before(gap: str) -> Role | None:
    tail = _SENTENCE_END.split(gap)[-1]
    cues = [(m.start(), m.end(), "exclude") for m in _NEG_ANY.finditer(tail)]
    cues += [(m.start(), m.end(), "disliked") for m in _DISLIKE.finditer(tail)]
    cues += [(m.start(), m.end(), "seen") for m in _SEEN.finditer(tail)]
    cues += [(m.start(), m.end(), "similar") for m in _LIKE.finditer(tail)]
    # a cue inside a longer one is part of it: "like" in "didn't like", "fan of" in "not a
    # fan of"; of cues with one span, "disliked" says the most
    cues = [c for c in cues if not any(o[0] <= c[0] and c[1] <= o[1] and o[1] - o[0] >
                                       c[1] - c[0] for o in cues)]
    if not cues:
        return None
    start, _, role = max(cues, key=lambda c: (c[0], c[2] == "disliked"))
    if role == "similar" and any(m.end() > start for m in _NEGATED_LIKE.finditer(tail)):
        return "exclude"  # "nothing like X", "not anything similar to X": X itself is out
    return role  # type: ignore[return-value]


def _role_after(after: str) -> Role | None:
    if _DISLIKE_AFTER.search(after):
        return "disliked"
    if _LIKE_AFTER.search(after):
        return "similar"
    if _EXCLUDE_AFTER.search(after):
        return "exclude"
    return None


def _after(text: str, mentions: Sequence[Mention], index: int, sentence: bool = False) -> str:
    """The rest of the clause after a title (or of the sentence, across later titles)."""
    if sentence:
        return _SENTENCE_END.split(text[mentions[index].end:])[0]
    end = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
    return _CLAUSE_END.split(text[mentions[index].end:end])[0]


def soft_query(text: str, original: str, n_words: int) -> str | None:
    """Content words left for semantic search, or None (conservative).

    Taken from phrases led by "about" / "with" / "set in" / "fan of" ..., from the words
    just before "movie(s)" / "film(s)", from names (capitalised words inside a sentence:
    "Tom Hanks", "Disney"), or, for a message of at most five words, from all that is left.
    Stop words (and their typos), negation words and negated phrases never count.
    """
    spans: list[tuple[int, int]] = []
    for match in _QUERY_LEADS.finditer(text):
        body = match.group("body")
        stop = _QUERY_UNTIL.search(body)
        spans.append((match.start("body"), match.start("body") + (stop.start() if stop
                                                                  else len(body))))
    spans += [m.span("body") for m in _NOUN_BEFORE_MOVIE.finditer(text)]
    spans += [m.span() for m in _NAME.finditer(original)
              if not _SENTENCE_START.search(original[:m.start()])]
    if not spans and n_words <= SHORT_MESSAGE_WORDS:
        spans.append((0, len(text)))
    words = []
    for start, end in sorted(spans):
        for match in _WORDS.finditer(text, start, end):
            if _is_content(match.group()) and not negated_at(text, match.start()):
                words.append(match.group())
    return " ".join(dict.fromkeys(words)) or None


_NAME = re.compile(r"(?<![\w'])[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*(?![\w'])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*|\bi\s*)$|^\W*$")
_NOT_CONTENT = frozenset(w for n in NEGATIONS for w in n.split())
_FUZZY_STOPWORDS = [w for w in STOPWORDS if len(w) >= 5]


def _is_content(word: str) -> bool:
    if word in STOPWORDS or word in _NOT_CONTENT or word.isdigit() or len(word) < 2 \
            or re.fullmatch(r"\d+(?:st|nd|rd|th)", word):
        return False
    if len(word) >= 5 and any(fuzz.ratio(word, w) >= GENRE_FUZZY_CUTOFF
                              for w in _FUZZY_STOPWORDS if w[0] == word[0]):
        return False  # a typo of a filler word ("recomend", "somethin")
    return True


_OR_GAP = re.compile(r"^\s*(?:movies?|films?|flicks?|ones?|stuff|or)?\s*,?\s*(?:or|/|either|"
                     r"o|ou|oder)\s+(?:(?:an?|some|maybe|perhaps|possibly|else)\s+)*$")


def any_of_genres(text: str, hits: Sequence[Hit]) -> list[str]:
    """Genres joined by "or" ("a western or a war movie", "comedy/romance"): any of them
    will do. Empty when no two wanted genres are joined that way."""
    wanted = [h for h in hits if not h.negated]
    group: list[str] = []
    for left, right in zip(wanted, wanted[1:]):
        if _OR_GAP.match(text[left.end:right.start]):
            for genre in (left.value, right.value):
                if genre not in group:
                    group.append(genre)
    return group


_MOODS = _phrase_regex(MOODS)


_MOOD_NEGATION = re.compile(r"(?:\b(?:not|no|nothing|less|without|never)\s+(?:too\s+|very\s+|so\s+|"
                            r"that\s+|overly\s+)?)$")


def find_moods(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Moods and content wishes in `text` ("uplifting", "not too violent"), as written, and
    their spans with any negation before them (so it negates no genre after them)."""
    moods, spans = [], []
    for match in _MOODS.finditer(text):
        negation = _MOOD_NEGATION.search(text[:match.start()])
        spans.append((negation.start() if negation else match.start(), match.end()))
        moods.append(match.group(1))
    return list(dict.fromkeys(moods)), spans

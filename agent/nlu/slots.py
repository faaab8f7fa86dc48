"""Text-level slot finders for the extractor: genres, popularity, title roles, soft query.

Every function works on folded (lower-case, accent-free) text in which spans already used
by other slots may be blanked with spaces, so character positions stay comparable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

from rapidfuzz import fuzz

from convrec.agent.nlu.facets import Hit, phrase_regex
from convrec.agent.nlu.lexicon import (
    DISLIKE,
    DISLIKE_AFTER,
    EXCLUDE_AFTER,
    ITEM_NOUN,
    ITEM_NOUNS,
    LIKE,
    LIKE_AFTER,
    MOODS,
    NEGATIONS,
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


_NEGATION = re.compile(r"(?<![\w'])(" + "|".join(re.escape(n) for n in
                                                  sorted(NEGATIONS, key=len, reverse=True))
                       + r")(?![\w'])((?:\s+[\w'-]+){0,3})\s*$")
_POPULAR = phrase_regex(POPULAR)
_OBSCURE = phrase_regex(OBSCURE)
_LIKE = phrase_regex(LIKE)
_SEEN = phrase_regex(SEEN)
_NEG_ANY = phrase_regex(NEGATIONS)
_LIKE_AFTER = phrase_regex(LIKE_AFTER)
_EXCLUDE_AFTER = phrase_regex(EXCLUDE_AFTER)
_DISLIKE = phrase_regex(DISLIKE)
_DISLIKE_AFTER = phrase_regex(DISLIKE_AFTER)
# A verdict on "it" later in the sentence of a title: "played Monopoly once and hated it".
_DISLIKED_IT = re.compile(r"\b(?:hated|hate|disliked|dislike|didn'?t like|did not like|"
                          r"can'?t stand|couldn'?t stand|"
                          r"didn'?t enjoy|did not enjoy|was not a fan of|wasn'?t a fan of) "
                          r"(?:it|that|that one|this one|them|both)\b")
_WORDS = re.compile(r"[a-z0-9][a-z0-9'-]*")
_QUERY_LEADS = re.compile(r"(?<![\w-])(?:about|with|involving|featuring|starring|set in|"
                          r"set during|based on|fan of|where|more)\s+(?P<body>[^.,;!?]+)")
_QUERY_UNTIL = re.compile(r"\b(?:but|from|before|after|since|that|which|please|pls|like|"
                          r"and (?:not|no|nothing))\b")
_NOUN_BEFORE_ITEM = re.compile(r"(?P<body>(?:[a-z][\w'-]*\s+){1,2})(?:" + ITEM_NOUN
                               + r"|stuff)\b")
SHORT_MESSAGE_WORDS = 5


def negated_at(text: str, start: int) -> bool:
    """Is the phrase starting at `start` inside a negation ("no", "not a", "I hate ...")?"""
    prefix = text[:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(prefix)), default=0)
    match = _NEGATION.search(prefix[cut:])
    if match is None or prefix[cut:match.start() + cut].rstrip().endswith(" if"):
        return False  # "if not, some sci-fi" is a condition, not a negation
    return not (match.group(1) == "nothing" and match.group(2).strip().startswith("but"))


Shadowed = Callable[[str], bool]  # is this cue phrase a facet of the catalog?


def _never(_: str) -> bool:
    return False


def find_popularity(text: str, shadowed: Shadowed = _never
                    ) -> tuple[str | None, list[tuple[int, int]]]:
    """("popular" | "obscure" | None, spans used); cue phrases `shadowed` (facets of the
    catalog, such as "indie") are left to the facets."""
    obscure = [m for m in _OBSCURE.finditer(text) if not shadowed(m.group(1))]
    popular = [m for m in _POPULAR.finditer(text)
               if not shadowed(m.group(1))
               and not any(o.start() <= m.start() < o.end() for o in obscure)]
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
        sentence = _after(text, mentions, index, sentence=True)
        if role in ("seen", "similar") and _DISLIKED_IT.search(sentence):
            role = "disliked"  # "I played Monopoly as a kid and hated it"
        elif role == "seen":
            role = "similar" if _LIKE_AFTER.search(sentence) else "seen"
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
    spans += [m.span("body") for m in _NOUN_BEFORE_ITEM.finditer(text)]
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
    if word in STOPWORDS or word in ITEM_NOUNS or word in _NOT_CONTENT or word.isdigit() \
            or len(word) < 3 \
            or re.fullmatch(r"\d+(?:st|nd|rd|th)", word):
        return False
    if len(word) >= 5 and any(fuzz.ratio(word, w) >= GENRE_FUZZY_CUTOFF
                              for w in _FUZZY_STOPWORDS if w[0] == word[0]):
        return False  # a typo of a filler word ("recomend", "somethin")
    return True


_OR_GAP = re.compile(r"^\s*(?:" + ITEM_NOUN[3:-1] + r"|ones?|stuff|or)?\s*,?\s*(?:or|/|either|"
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


_MOODS = phrase_regex(MOODS)


_MOOD_NEGATION = re.compile(r"(?:\b(?:not|no|nothing|less|without|never)\s+(?:too\s+|very\s+|so\s+|"
                            r"that\s+|overly\s+)?)$")


def find_moods(text: str, shadowed: Shadowed = _never
               ) -> tuple[list[str], list[tuple[int, int]]]:
    """Moods and content wishes in `text` ("uplifting", "not too violent"), as written, and
    their spans with any negation before them (so it negates no genre after them); moods
    that are a facet of the catalog (`shadowed`) are left to the facets."""
    moods, spans = [], []
    for match in _MOODS.finditer(text):
        if shadowed(match.group(1)):
            continue
        negation = _MOOD_NEGATION.search(text[:match.start()])
        spans.append((negation.start() if negation else match.start(), match.end()))
        moods.append(match.group(1))
    return list(dict.fromkeys(moods)), spans

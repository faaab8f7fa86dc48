"""The catalog's facet vocabulary: every facet value by its own name, its everyday forms and
the dataset's own synonyms, and the phrases that find them in a message.

Built once per catalog from `Catalog.genres` (every facet value) and `Catalog.info` (the
dataset's lexicon). A value is understood as the catalog writes it, in lower case, in the
plural and singular, with its hyphens as spaces or nothing ("Turn-Based", "turn based",
"turnbased"), with "&" for "and", and within two letters of a typo (single words of five
letters or more). Generic cue words (popular, obscure, moods, seen) that are also a facet
form are the facet's: a catalog with an "Indie" tag means the tag by "indie".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from convrec.agent.nlu import lexicon as L
from convrec.agent.nlu.lexicon import (
    CHAT_WORDS,
    ITEM_NOUN,
    ITEM_NOUNS,
    NOT_GENRE,
    REQUEST_WORDS,
    STOPWORDS,
)
from convrec.agent.nlu.normalise import Vocabulary, vocabulary_from
from convrec.recsys.schema import DatasetInfo, plural, singular
from convrec.recsys.titles import fold

FUZZY_CUTOFF = 85.0
# Everyday English words for common facet names, taken by any facet so named (a catalog's
# own lexicon adds more: MovieLens's "tearjerker" for Drama).
EVERYDAY = {"humor": ("funny", "funnier", "hilarious", "humorous", "comic", "comedic",
                      "laugh", "laughs", "laughing"),
            "comedy": ("funny", "funnier", "hilarious", "humorous", "comedic", "laugh",
                       "laughs"),
            "horror": ("scary", "scarier", "spooky", "creepy", "frightening"),
            "zombies": ("scary", "scarier", "creepy"),
            "fantasy": ("magic", "magical"),
            "science fiction": ("futuristic", "space opera"),
            "romance": ("romantic", "love story", "love stories"),
            "mystery": ("whodunit", "whodunnit", "detective"),
            "war": ("military",), "wargame": ("war game", "war games", "military"),
            "children's game": ("kids", "for kids", "children"),
            "children's": ("kids", "children"), "family": ("family friendly",),
            "tile placement": ("tile laying", "tile-laying", "tile layer", "tile layers"),
            "party": ("party game", "party games", "for a group", "big group", "laugh",
                      "laughs", "laughing"),
            "cooperative": ("cooperative", "co-operative", "team up against the game"),
            "historical fiction": ("historical",), "biography": ("biographies",),
            "poetry": ("poems",), "thriller": ("suspense", "suspenseful"),
            "animals": ("animal",), "trains": ("train", "railway", "railroad"),
            "strategy": ("thinky", "thinking", "brainy", "tactical"),
            "team play": ("teams", "team game", "team games", "in teams")}
# Everyday English short forms of label words, taken by any facet whose name they shorten.
ABBREVIATIONS = {"coop": "cooperative", "co-op": "cooperative", "co op": "cooperative",
                 "sci-fi": "science fiction", "sci fi": "science fiction",
                 "scifi": "science fiction", "rpg": "role playing", "rpgs": "role playing",
                 "doc": "documentary", "docs": "documentary", "bio": "biography",
                 "ya": "young adult", "nonfiction": "non-fiction", "lit fic": "literary fiction",
                 "deckbuilding": "deck building", "worker-placement": "worker placement"}
# "for my 6 year old", "two-year-olds": children of twelve or younger.
_CHILD_AGE = re.compile(r"(?<![\w-])(?:[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|"
                        r"nine|ten|eleven|twelve)[- ](?:year|yr)s?[- ]olds?(?![\w-])")
_CHILD_WORDS = ("kids", "children", "children's", "childrens", "kid")
_WORDS = re.compile(r"[a-z0-9][a-z0-9'-]*")
EVERYDAY_WORDS = frozenset(w for words in EVERYDAY.values() for w in words)
_NOUN_NEXT = re.compile(r"\s+" + ITEM_NOUN + r"\b")  # "dice games"


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    """Any of `phrases` at word boundaries, longest first (never matches when empty)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])")


def _agent_nouns(word: str) -> set[str]:
    """"building" -> builder, builders (the doer of an "-ing" label)."""
    if not word.endswith("ing") or len(word) < 6:
        return set()
    stem = word[:-3]
    return {stem + "er", stem + "ers"}


def _adjectives(word: str) -> set[str]:
    """"strategy" -> strategic; "economic" -> economy; "historical" -> history;
    "puzzle" -> puzzly, puzzle-y (how people turn a one-word label into an adjective)."""
    if len(word) < 5 or not word.isalpha():
        return set()
    if word.endswith("y"):
        return {word[:-1] + "ic", word[:-1] + "ical"}
    if word.endswith("ical"):
        return {word[:-4] + "y"}
    if word.endswith("ic"):
        return {word[:-2] + "y"}
    if word.endswith("le"):
        return {word[:-1] + "y", word + "-y"}
    return set()


def value_forms(value: str) -> set[str]:
    """How people write a facet value: "City Builder" -> city builder, city builders,
    city-builder, citybuilder; "Sci-Fi" -> sci-fi, sci fi, scifi; "Roll & Write" -> roll and
    write; "Deck Building" -> deckbuilder; plus common abbreviations ("co-op" for
    Cooperative)."""
    base = fold(value).strip()
    variants = {base, base.replace("&", "and"), base.replace(" and ", " & ")}
    forms: set[str] = set()
    for text in variants:
        words = text.split()
        if not words:
            continue
        last = words[-1]
        adjectives = _adjectives(last) if len(words) == 1 else set()
        for tail in {last, plural(last), singular(last), *_agent_nouns(last), *adjectives}:
            phrase = " ".join([*words[:-1], tail])
            forms |= {phrase, phrase.replace("-", " "), phrase.replace("-", ""),
                      phrase.replace("'", "")}
            if " " in phrase:
                forms |= {phrase.replace(" ", "-"), phrase.replace(" ", "")}
    forms |= {short for short, long in ABBREVIATIONS.items() if long in forms}
    return {re.sub(r"\s+", " ", f).strip() for f in forms if len(f) >= 2}


_NOT_FACET = phrase_regex(NOT_GENRE)


@dataclass(frozen=True)
class Hit:
    """A recognised facet phrase: span, the facet value, and whether it is negated."""

    start: int
    end: int
    value: str
    negated: bool = False
    hint: bool = False  # the words also belong in the soft query ("kung fu")


@dataclass
class FacetLexicon:
    """Phrase -> facet values for one catalog, and what it shadows of the generic cues."""

    values: tuple[str, ...]
    synonyms: Mapping[str, Sequence[str]] = field(default_factory=dict)
    hints: Mapping[str, str] = field(default_factory=dict)
    noun_words: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        known = set(self.values)
        self.phrases: dict[str, list[str]] = {}
        for value in self.values:
            own = {fold(w) for w in self.synonyms.get(value, ())}
            everyday = {fold(w) for w in EVERYDAY.get(fold(value), ())}
            for form in value_forms(value) | own | everyday:
                self.phrases.setdefault(form, []).append(value)
        self.wider = self._wider()
        self.hints = {fold(p): v for p, v in self.hints.items() if v in known}
        self._regex = phrase_regex(self.phrases)
        self._hints = phrase_regex(self.hints)
        self._fuzzy = [w for w in self.phrases if " " not in w and len(w) >= 5 and w.isalpha()]
        self.children = tuple(dict.fromkeys(v for w in _CHILD_WORDS
                                            for v in self.phrases.get(w, ())))
        self.plural_words = tuple(w for w in self.phrases if w.endswith("s"))

    def _wider(self) -> dict[str, tuple[str, ...]]:
        """A one-word value and the values it heads: "Dice" -> (Dice, Dice Rolling), so
        "games with dice" takes either."""
        heads: dict[str, tuple[str, ...]] = {}
        for value in self.values:
            if " " in value.strip():
                continue
            longer = [v for v in self.values if v.lower().startswith(value.lower() + " ")]
            if longer:
                heads[value] = (value, *longer)
        return heads

    def wider_any(self, text: str, hits: Sequence[Hit]) -> list[str]:
        """Values any of which will do, read from one wanted phrase: a one-word value that
        heads others ("with dice": Dice or Dice Rolling; but "dice games" names Dice), or an
        everyday word for several ("scary": Horror or Zombies; a dataset's own synonym for
        several, "rom-com", means all of them)."""
        wanted = [h for h in hits if not h.negated and not h.hint]
        wider = [self.wider[h.value] for h in wanted
                 if h.value in self.wider and not _NOUN_NEXT.match(text, h.end)]
        if len(wider) == 1:
            return list(wider[0])
        spans: dict[tuple[int, int], list[str]] = {}
        for hit in wanted:
            if text[hit.start:hit.end] in EVERYDAY_WORDS:
                spans.setdefault((hit.start, hit.end), []).append(hit.value)
        several = [values for values in spans.values() if len(values) > 1]
        return several[0] if len(several) == 1 else []

    @classmethod
    def from_catalog(cls, values: Sequence[str], info: DatasetInfo) -> FacetLexicon:
        nouns = {info.noun, info.nouns, *info.noun_words}
        return cls(tuple(values), info.synonyms, info.hints,
                   tuple(sorted(fold(n) for n in nouns if n)))

    def shadows(self, phrase: str) -> bool:
        """Is this (generic cue) phrase a facet of this catalog?"""
        return fold(phrase) in self.phrases

    def forms(self) -> dict[str, tuple[str, ...]]:
        """Facet value -> every phrase meaning it (for the normaliser's vocabulary)."""
        out: dict[str, list[str]] = {v: [] for v in self.values}
        for phrase, values in self.phrases.items():
            for value in values:
                out[value].append(phrase)
        return {v: tuple(p) for v, p in out.items()}

    def find(self, text: str, negated_at) -> list[Hit]:
        """Facet mentions in folded `text` (phrases, hints, child ages, then near-typos of
        single words); `negated_at(text, start)` says whether one is negated."""
        text = _NOT_FACET.sub(lambda m: " " * len(m.group()), text)
        hits = [Hit(m.start(), m.end(), value, negated_at(text, m.start()))
                for m in self._regex.finditer(text) for value in self.phrases[m.group(1)]]
        hits += [Hit(m.start(), m.end(), self.hints[m.group(1)],
                          negated_at(text, m.start()), hint=True)
                 for m in self._hints.finditer(text)]
        hits += [Hit(m.start(), m.end(), value) for m in _CHILD_AGE.finditer(text)
                 for value in self.children]
        used = [(h.start, h.end) for h in hits]
        for match in _WORDS.finditer(text):
            word = match.group()
            if (len(word) < 5 or word in STOPWORDS or word in self.phrases
                    or word in ITEM_NOUNS or not word.isalpha()
                    or any(s <= match.start() < e for s, e in used)):
                continue
            best = max(((fuzz.ratio(word, cand), cand) for cand in self._fuzzy
                        if cand[0] == word[0]), default=(0.0, ""))
            if best[0] >= FUZZY_CUTOFF:
                hits += [Hit(match.start(), match.end(), value,
                                  negated_at(text, match.start()))
                         for value in self.phrases[best[1]]]
        return sorted(hits, key=lambda h: h.start)


def extractor_vocabulary(facets: FacetLexicon) -> Vocabulary:
    """The words the extractor keys on, for the normaliser: the catalog's facet values with
    every form and synonym of them, its nouns, and the cue words of the L."""
    cues = (L.POPULAR, L.OBSCURE, L.NEGATIONS, L.SEEN, L.LIKE,
            L.LIKE_AFTER, L.EXCLUDE_AFTER, tuple(facets.hints))
    words = (set(STOPWORDS) | REQUEST_WORDS | CHAT_WORDS | L.CONTRACTIONS | ITEM_NOUNS
             | set(facets.noun_words))
    return vocabulary_from(facets.values, facets.forms(), words.union(*cues))

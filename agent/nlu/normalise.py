"""Normalisation pre-pass: rewrites a message into the English the slot extractor reads.

`normalise(text, vocabulary, keep)` runs before the extractor. A Spanish, French or German
message (told apart from English by its function words) is rewritten with the phrase tables
of `convrec.agent.nlu.languages`, longest phrase first, accents and case ignored: genre words
become the English word the dataset's vocabulary knows (never a facet the dataset lacks),
decades and years, "like X", negation, requests, popularity, old/recent, film nouns and
numbers before them. In an English message, a word that is neither English nor a vocabulary
word but one or two edits (Damerau-Levenshtein) from a vocabulary word is corrected; nothing
else changes. Spans in `keep` (titles found by the title finder) are never touched.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from convrec.agent.nlu.languages import CONCEPTS, ENGLISH_MARKERS, LANGUAGES, Language
from convrec.recsys.titles import fold as _fold_chars

ENGLISH_WORDS_FILE = "frequency_dictionary_en_82_765.txt"  # shipped by symspellpy
MIN_EVIDENCE = 1.5  # weight of a language's words a message needs to count as that language
_TOKEN = re.compile(r"\w+'|\w+")
_JOINABLE = re.compile(r"[\s-]*")  # what may separate the words of one phrase
_PREFIXES = ("re", "un", "non", "pre", "over", "mis", "super")
_ENDINGS = ("s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "y", "ish")
_ADJECTIVE_ENDINGS = "(|e|en|es|er|em)"  # of a German key ending in "*"
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"(])\s*$")


@dataclass(frozen=True)
class Vocabulary:
    """Words the extractor understands: facet values (genre names as the catalog spells them,
    e.g. "Sci-Fi", "Film-Noir", "Children's"), their synonyms, and cue words.

    Build one per catalog and reuse it: what `normalise` derives from it is kept on it.
    """

    facets: Mapping[str, Sequence[str]]  # facet value -> extra words/phrases meaning it (lower)
    words: frozenset[str]  # other words the extractor keys on (cue words)

    @cached_property
    def _index(self) -> _Index:
        return _Index(self)


@dataclass(frozen=True)
class Normalised:
    text: str  # the rewritten message
    language: str  # "en", "es", "fr" or "de" (best guess; "en" when unsure)
    changes: tuple[tuple[str, str], ...]  # (original, replacement) pairs, for the trace


def vocabulary_from(genres: Iterable[str], synonyms: Mapping[str, Sequence[str]],
                    words: Iterable[str] = ()) -> Vocabulary:
    """The vocabulary of a catalog's `genres`, with the `synonyms` of those genres only."""
    facets = {g: tuple(s.lower() for s in synonyms.get(g, ())) for g in genres}
    return Vocabulary(facets=facets, words=frozenset(w.lower() for w in words))


def normalise(text: str, vocabulary: Vocabulary,
              keep: Sequence[tuple[int, int]] = ()) -> Normalised:
    """`text` in the extractor's English; see the module docstring."""
    index = vocabulary._index
    composed, offsets = _composed(text)
    if offsets:
        keep = [(bisect_left(offsets, s), bisect_left(offsets, e)) for s, e in keep]
    folded = fold(composed)
    tokens = [_Token(m.group(), m.start(), m.end(), _inside(m.start(), m.end(), keep))
              for m in _TOKEN.finditer(folded)]
    language = _detect(folded, tokens, index)
    if language == "en":
        edits = _corrections(composed, tokens, index)
    else:
        edits = _translations(folded, tokens, _table(language), index, keep)
    if offsets:
        edits = [_Edit(offsets[e.start], offsets[e.end], e.text) for e in edits]
    return _apply(text, edits, language)


def fold(text: str) -> str:
    """Lower case without accents, one character for one (positions map back to `text`)."""
    return text.lower() if text.isascii() else _fold_chars(text)


def _composed(text: str) -> tuple[str, list[int] | None]:
    """`text` with accents composed ("e" + U+0301 is "é") and, if that changed it, the offset
    in `text` of each character of the result (and of its end)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text, None
    chars, offsets, start = [], [], 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        for char in unicodedata.normalize("NFC", text[start:end]):
            chars.append(char)
            offsets.append(start)
        start = end
    return "".join(chars), offsets + [len(text)]


@dataclass(frozen=True)
class _Token:
    text: str  # folded
    start: int
    end: int
    kept: bool  # inside a span of `keep`


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


# ---- language -------------------------------------------------------------------------------

def _detect(folded: str, tokens: Sequence[_Token], index: _Index) -> str:
    """The language whose words weigh most, if they weigh more than the English words and
    `MIN_EVIDENCE` (1 with no English word at all); "en" otherwise. Each word of a language's
    tables that is no English word weighs 1 (function words as in `Language.markers`), and
    so does each decade in its way of writing them ("los 80", "80er"). Titles (in `keep`)
    and the vocabulary's words do not count."""
    words = [t.text for t in tokens if not t.kept]
    english = sum(w in ENGLISH_MARKERS for w in words)
    scores = {}
    for code in LANGUAGES:
        table, evidence = _table(code), _evidence(code)
        scores[code] = sum(evidence.get(w, 0.0) for w in words
                           if w in table.markers or w not in index.known)
        scores[code] += len(table.decade.findall(folded))
    code, best = max(scores.items(), key=lambda item: item[1])
    enough = best >= (MIN_EVIDENCE if english else 1.0)
    return code if enough and best > english else "en"


@cache
def _evidence(code: str) -> dict[str, float]:
    """Weight of each word as evidence of the language `code`."""
    english = english_words()
    others = set().union(*(_table(c).tokens for c in LANGUAGES if c != code))
    weights = {t: 1.0 for t in _table(code).tokens
               if t not in english and t not in others and t.isalpha()}
    return weights | _table(code).markers


@cache
def english_words() -> frozenset[str]:
    """English words from symspellpy's frequency list (82,765 words), read once."""
    data = resources.files("symspellpy").joinpath(ENGLISH_WORDS_FILE).read_text("utf-8")
    return frozenset(line.split(" ", 1)[0] for line in data.splitlines())


def is_word(word: str) -> bool:
    """An English word of four letters or more (not a typo such as "gud", "frm")."""
    return len(word) >= 4 and word.lower() in english_words()


def capitalised_in(words: str, message: str) -> bool:
    """Is some word of `words` capitalised in `message` ("I love Hitchcock")?"""
    return any(re.search(rf"\b{re.escape(w.capitalize())}\b", message) for w in words.split())


# ---- translation ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


class _Table:
    """One language's tables compiled: phrases by their word tuples, and the time patterns."""

    def __init__(self, lang: Language):
        self.markers = {fold(k): w for k, w in lang.markers.items()}
        self.phrases: dict[tuple[str, ...], str | tuple[str, ...]] = {}
        for concepts, keys in lang.genres.items():  # first: a genre key wins over a phrase
            self._add(keys, tuple(concepts.split()), lang.code)
        self._add(lang.nouns, "movies", lang.code)
        for english, keys in lang.phrases.items():
            self._add(keys, english, lang.code)
        self.longest = max(len(k) for k in self.phrases)
        numbers = [fold(n) for n in lang.numbers.split()]
        self.numbers = {n: str(i) for i, n in enumerate(numbers, start=2)}
        nouns = _alternation(lang.nouns, lang.code)
        self.number = re.compile(rf"(?<![\w'])(?:{_regex(numbers)})(?=[\s-]+(?:[\w']+\s+){{0,2}}"
                                 rf"(?:{nouns})(?!\w))")
        self.preps = _inverse(lang.preps, lang.code)
        self.quals = _inverse(lang.quals, lang.code)
        self.decade_words = {fold(w): y for w, y in lang.decade_words.items()}
        preps, quals = _regex(self.preps), _regex(self.quals)
        decade = lang.decade.format(words=_regex(self.decade_words))
        self.decade = re.compile(rf"(?<![\w'])(?:(?P<prep>{preps})\s+)?(?:(?P<qual>{quals})\s+)?"
                                 rf"{decade}(?![\w'])")
        self.year = re.compile(rf"(?<![\w'])(?P<prep>{preps})\s+(?P<year>(?:18|19|20)\d\d)(?!\d)")
        self.starts = _inverse(lang.range_starts, lang.code)
        self.joins = _inverse(lang.range_joins, lang.code)
        self.range = re.compile(
            rf"(?<![\w'])(?:(?P<start>{_regex(self.starts)})\s+)?(?P<a>(?:18|19|20)\d\d)\s*"
            rf"(?P<join>{_regex(self.joins)})\s*(?P<b>(?:18|19|20)\d\d)(?!\d)")
        keys = [*self.phrases, *(tuple(_TOKEN.findall(k)) for k in (
            *numbers, *self.preps, *self.quals, *self.decade_words, *self.starts, *self.joins))]
        self.tokens = frozenset(t for key in keys for t in key)

    def _add(self, keys: str, value: str | tuple[str, ...], code: str) -> None:
        for key in _keys(keys, code):
            self.phrases.setdefault(tuple(_TOKEN.findall(key)), value)

    def time_edits(self, folded: str) -> list[_Edit]:
        edits = []
        for match in self.range.finditer(folded):
            between = self.starts.get(_space(match["start"])) == "between"
            text = (f"between {match['a']} and {match['b']}" if between
                    else f"from {match['a']} to {match['b']}")
            edits.append(_Edit(match.start(), match.end(), text))
        for match in self.decade.finditer(folded):
            decade = match["dec"] or str(self.decade_words[_space(match["word"])] % 100).zfill(2)
            prep = self.preps.get(_space(match["prep"]), "from")
            qual = self.quals[_space(match["qual"])] + " " if match["qual"] else ""
            edits.append(_Edit(match.start(), match.end(), f"{prep} the {qual}{decade}s"))
        edits += [_Edit(m.start(), m.end(), f"{self.preps[_space(m['prep'])]} {m['year']}")
                  for m in self.year.finditer(folded)]
        edits += [_Edit(m.start(), m.end(), self.numbers[_space(m.group()).replace(" ", "-")])
                  for m in self.number.finditer(folded)]
        return edits


@cache
def _table(code: str) -> _Table:
    return _Table(LANGUAGES[code])


def _space(text: str | None) -> str:
    return " ".join((text or "").split())


def _keys(keys: str, code: str) -> list[str]:
    """Folded spellings of ", "-separated keys: optional parts expanded, and for German the
    umlauts also written out ("komödie" is also "komoedie")."""
    out = []
    for key in keys.split(", "):
        key = key.strip()
        spellings = _expand(key[:-1] + _ADJECTIVE_ENDINGS if key.endswith("*") else key)
        if code == "de":
            spellings += [s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
                          .replace("ß", "ss") for s in spellings]
        out += [fold(s) for s in spellings]
    return list(dict.fromkeys(out))


def _expand(key: str) -> list[str]:
    match = re.search(r"\(([^()]*)\)", key)
    if match is None:
        return [key]
    choices = match.group(1).split("|")
    if len(choices) == 1:
        choices = ["", choices[0]]
    head, tail = key[:match.start()], key[match.end():]
    return [out for choice in choices for out in _expand(head + choice + tail)]


def _inverse(table: Mapping[str, str], code: str) -> dict[str, str]:
    return {key: english for english, keys in table.items() for key in _keys(keys, code)}


def _alternation(keys: str, code: str) -> str:
    return _regex(_keys(keys, code))


def _regex(phrases: Iterable[str]) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


def _translations(folded: str, tokens: Sequence[_Token], table: _Table, index: _Index,
                  keep: Sequence[tuple[int, int]]) -> list[_Edit]:
    """Non-overlapping rewrites, longest first, none touching `keep`."""
    candidates = [e for e in table.time_edits(folded) if not _inside(e.start, e.end, keep)]
    candidates += _phrase_edits(folded, tokens, table, index)
    chosen: list[_Edit] = []
    end = 0
    for edit in sorted(candidates, key=lambda e: (e.start, e.start - e.end)):
        if edit.start >= end:
            chosen.append(edit)
            end = edit.end
    return chosen


def _phrase_edits(folded: str, tokens: Sequence[_Token], table: _Table,
                  index: _Index) -> list[_Edit]:
    edits = []
    for i, first in enumerate(tokens):
        if first.kept:
            continue
        run = 1  # how many tokens from i may form one phrase
        while (run < table.longest and i + run < len(tokens) and not tokens[i + run].kept
               and _JOINABLE.fullmatch(folded, tokens[i + run - 1].end, tokens[i + run].start)):
            run += 1
        for length in range(run, 0, -1):
            value = table.phrases.get(tuple(t.text for t in tokens[i:i + length]))
            english = index.english(value) if isinstance(value, tuple) else value
            if english is not None:
                edits.append(_Edit(first.start, tokens[i + length - 1].end, english))
                break
    return edits


# ---- typos ----------------------------------------------------------------------------------

class _Index:
    """What `normalise` needs of a vocabulary: the English word of each genre concept it has,
    the words it knows, and the words a typo may be corrected to."""

    def __init__(self, vocabulary: Vocabulary):
        phrases = {f: {fold(f)} | {fold(s) for s in syns} for f, syns in
                   vocabulary.facets.items()}
        known_phrases = set().union(*phrases.values()) if phrases else set()
        self.concepts = {c: next(a for a in aliases if a in known_phrases)
                         for c, aliases in CONCEPTS.items()
                         if any(a in known_phrases for a in aliases)}
        facet_words = [w for p in sorted(known_phrases) for w in _TOKEN.findall(p)]
        cue_words = [w for p in sorted(vocabulary.words) for w in _TOKEN.findall(fold(p))]
        self.known = frozenset(facet_words + cue_words)
        self.targets = list(dict.fromkeys(w for w in facet_words + cue_words
                                          if len(w) >= 4 and w.isalpha()))
        self._corrected: dict[str, str | None] = {}

    def english(self, concepts: tuple[str, ...]) -> str | None:
        words = [self.concepts[c] for c in concepts if c in self.concepts]
        return " ".join(words) or None

    def is_known(self, word: str) -> bool:
        """A vocabulary or English word, or one with a common prefix or ending ("rewatched")."""
        english = english_words()
        stems = [word] + [word[len(p):] for p in _PREFIXES if word.startswith(p)]
        stems += [s[:-len(e)] for s in list(stems) for e in _ENDINGS if s.endswith(e)]
        return any(s in self.known or s in english for s in stems if len(s) >= 3)

    def correction(self, word: str) -> str | None:
        """The vocabulary word `word` is a typo of, if one is near enough."""
        if word not in self._corrected:
            limit = 2 if len(word) >= 8 else 1
            near = process.extract(word, self.targets, scorer=DamerauLevenshtein.distance,
                                   score_cutoff=limit, limit=None)
            # two edits only with the first letter right ("mockumentary" is no "documentary");
            # fewest edits, then the same first letter, then facet words before cue words
            near = [n for n in near if n[1] < 2 or n[0][0] == word[0]]
            best = min(near, key=lambda n: (n[1], n[0][0] != word[0], n[2]), default=None)
            self._corrected[word] = best[0] if best else None
        return self._corrected[word]


def _corrections(text: str, tokens: Sequence[_Token], index: _Index) -> list[_Edit]:
    edits = []
    for token in tokens:
        word = token.text
        if token.kept or len(word) < 4 or not word.isalpha() or index.is_known(word):
            continue
        original = text[token.start:token.end]
        if original[0].isupper() and original[1:].islower() and not _SENTENCE_START.search(
                text, 0, token.start):
            continue  # a capitalised word inside a sentence: a name
        corrected = index.correction(word)
        if corrected is not None:
            edits.append(_Edit(token.start, token.end, _same_case(corrected, original)))
    return edits


def _same_case(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    return word.capitalize() if like[0].isupper() else word


def _apply(text: str, edits: Sequence[_Edit], language: str) -> Normalised:
    parts, changes, at = [], [], 0
    for edit in edits:
        original = text[edit.start:edit.end]
        if fold(original) == edit.text:
            continue
        replacement = edit.text
        if edit.end < len(text) and text[edit.end].isalnum() and replacement[-1:].isalnum():
            replacement += " "  # an elided word: "d'horreur" -> "of horror"
        parts += [text[at:edit.start], replacement]
        changes.append((original, edit.text))
        at = edit.end
    parts.append(text[at:])
    return Normalised("".join(parts), language, tuple(changes))

"""Find catalog titles mentioned in free text.

`MentionFinder` maps search keys (`convrec.recsys.titles.search_key`) of display titles, original
titles and a few safe aliases (the title without its leading article, the part before a
colon, the parts outside and inside parentheses, and the short forms of
`convrec.agent.nlu.aliases`: "la confidential", "godfather 2", "t2") to display titles.
A message is scanned as n-gram windows of its words: exact key hits first, then fuzzy hits
(rapidfuzz ratio, same sequel numbers) for multi-word windows against keys with the same
word count and first letter. Titles that are one ordinary word ("Heat", "The Game") are
accepted only with evidence: quotes, a cue before or after them ("like X", "X fan here"),
capitalisation away from the start of a sentence, or a list that joins them to a title
already found ("Toy Story and Babe").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from convrec.agent.nlu.aliases import (
    alternative_head,
    initialism_aliases,
    numeral_aliases,
    numerals,
    sequel_short_forms,
)
from convrec.agent.nlu.lexicon import STOPWORDS
from convrec.agent.nlu.normalise import english_words
from convrec.recsys.titles import ARTICLE_KEYS, fold, search_key, strip_article

MAX_WINDOW = 10
FUZZY_CUTOFF = 88.0
MAX_SERIES = 3  # titles one capitalised first word may name ("Arkham")
SERIES_SCORE = 90.0
_WORD = re.compile(r"[a-z0-9]+|&")
# Words right before a one-word title that make it a title mention.
_CUES = frozenset("""
like liked likes love loved loves enjoyed enjoy enjoys adore adored adores seen saw watched
watching than about is was
of not except hated hate called named titled movie film besides did does directed starred
starring remake sequel prequel whats hows vs versus have got rated rate rates rating ratings
recommend recommended pick picked choose chose suggest suggested why know designed created
invented published wrote
""".split())
_TO_CUES = frozenset("similar compared compare comparable close".split())
# Words right after a sentence-initial one-word title that make it a title mention.
_AFTER_CUES = frozenset("was is and or were rocks but".split())
# Text right before / after a one-word title that makes it a title mention.
_CUE_BEFORE = re.compile(r"(?:\b(?:aren't|isn't|wasn't|weren't|arent|isnt|wasnt|werent)|"
                         r"\bwho(?:'s|s| is| was| are) in|"
                         r"\bwhich (?:one )?(?:came|come) (?:out )?(?:first|earlier|later)|"
                         r"\bwho (?:plays|played|stars|starred|directed|is|was)\b.{0,30}\bin|"
                         r"\b(?:other than|instead of|unlike|stuff like|such as))[,:]?\s+$")
_CUE_AFTER = re.compile(r"\s*(?:fans? here\b|(?:was|is|were|are) (?:so |really |just |"
                        r"absolutely )?(?:incredible|amazing|awesome|brilliant|fantastic|"
                        r"excellent|a masterpiece|boring|bad|awful|terrible|overrated|lame|"
                        r"dumb|meh|trash|the worst|horrible|(?:my |the )?(?:fav|favs|favorite|"
                        r"favorites|favourite|favourites|best))\b|about\W*$)")
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:(?:and|or|&)\s+)?|(?:and|or|nor|&|plus)\s+)$")
# Words capitalised by convention: capitals are no evidence of a title for these.
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december christmas
easter halloween""".split())


@dataclass(frozen=True)
class Mention:
    """A title found in a message: character span, display title and match score."""

    start: int
    end: int
    title: str
    score: float


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _tokens(folded: str) -> list[_Token]:
    return [_Token("and" if m.group() == "&" else m.group(), m.start(), m.end())
            for m in _WORD.finditer(folded)]


def _is_risky(key: str) -> bool:
    """A title that reads as an ordinary word or phrase ("heat", "the game", "only you").

    A word mixing letters and digits ("se7en", "id4", "t2") reads as no ordinary word; bare
    letters ("e t") do not make a title on their own.
    """
    words = key.split()
    if all(len(w) == 1 for w in words):
        return True
    if any(re.search(r"[a-z]", w) and re.search(r"\d", w) for w in words):
        return False
    if words and words[0] in ARTICLE_KEYS and len(words) > 1:
        words = words[1:]
    content = [w for w in words if w not in STOPWORDS]
    return len(content) <= 1 and len(words) <= 2 or not content


class MentionFinder:
    """Finds catalog titles mentioned in free text; search keys of every title, built once."""

    def __init__(self, titles: Iterable[tuple[str, str, int]],
                 unlistable: frozenset[str] = frozenset()):
        """`titles`: (original title, display title, popularity) per item; `unlistable`:
        everyday request words (the catalog's facet words), never taken as a title from a
        list of titles alone."""
        self.unlistable = unlistable
        ranked: dict[str, tuple[int, int, str]] = {}  # key -> (priority, popularity, title)
        keys_by_title: list[tuple[str, list[str]]] = []
        for original, display, popularity in titles:
            keys = self._keys(original, display)
            keys_by_title.append((display, [search_key(display.split(":")[0])]))
            for priority, key in enumerate(keys):
                old = ranked.get(key)
                if old is None or (priority, -popularity) < (old[0], -old[1]):
                    ranked[key] = (priority, popularity, display)
        for alias, display in sequel_short_forms(keys_by_title).items():
            ranked.setdefault(alias, (MAX_WINDOW, 0, display))
        self.titles: dict[str, str] = {k: v[2] for k, v in ranked.items() if len(k) >= 2}
        self.risky = frozenset(k for k in self.titles if _is_risky(k))
        buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for key in self.titles:
            if key not in self.risky and len(key.split()) >= 2:
                buckets[(len(key.split()), key[0])].append(key)
        self._buckets = dict(buckets)
        self._first_word = _series_words(self.titles)
        self.max_words = min(MAX_WINDOW, max(len(k.split()) for k in self.titles))

    @staticmethod
    def _keys(original: str, display: str) -> list[str]:
        """Keys in priority order: full titles first, then aliases."""
        full = [search_key(display), search_key(original)]
        aliases: list[str] = []
        for title in (display, original):
            outside = re.sub(r"\s*\([^)]*\)", "", title)
            aliases.append(search_key(outside))
            aliases.extend(search_key(inner) for inner in re.findall(r"\(([^)]*)\)", title))
            if ":" in outside:
                aliases.append(search_key(outside.split(":")[0]))
                aliases.append(search_key(alternative_head(outside) or ""))
            aliases.extend(initialism_aliases(outside))
            head = outside.split(" and the ")[0]
            if head != outside and len(head.split()) >= 2:
                aliases.append(search_key(head))
        keys = [k for k in full + aliases if k]
        keys += [alias for key in list(keys) for alias in numeral_aliases(key)]
        keys += [bare for key in list(keys) if (bare := strip_article(key, min_rest=4)) != key]
        return list(dict.fromkeys(keys))

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping title mentions in `text`, longest and best first, in text order.

        A one-word-like title without evidence of its own still counts when a list joins it
        to a title already found ("I loved Toy Story and Babe", "seen Speed, The Rock").
        """
        folded = fold(text)
        tokens = _tokens(folded)
        sure, unsure = self._candidates(text, folded, tokens)
        chosen: list[Mention] = []
        for cand in sorted(sure, key=lambda c: (-(c.end - c.start), -c.score)):
            if all(cand.end <= m.start or cand.start >= m.end for m in chosen):
                chosen.append(cand)
        unsure.sort(key=lambda c: c.start - c.end)
        while unsure:
            joined = next((c for c in unsure if _listed_with(folded, c, chosen)), None)
            if joined is None:
                break
            chosen.append(joined)
            unsure = [c for c in unsure if c.end <= joined.start or c.start >= joined.end]
        series = [Mention(m.start, m.end, other, m.score) for m in chosen
                  if m.score == SERIES_SCORE
                  for other in self._first_word.get(fold(text[m.start:m.end]), ())[1:]]
        return sorted([*chosen, *series], key=lambda m: m.start)

    def _candidates(self, text: str, folded: str,
                    tokens: list[_Token]) -> tuple[list[Mention], list[Mention]]:
        """(mentions with evidence, one-word-like titles that may join a list of titles)."""
        shouting = _mostly_upper(text)
        found, unsure = [], []
        for i in range(len(tokens)):
            for j in range(i + 1, min(len(tokens), i + self.max_words) + 1):
                words = [t.text for t in tokens[i:j]]
                key = " ".join(words)
                start, end = tokens[i].start, tokens[j - 1].end
                title = self.titles.get(key)
                if title is not None:
                    if key not in self.risky or self._evidence(text, folded, tokens, i, j,
                                                               shouting):
                        found.append(Mention(start, end, title, 100.0))
                    elif key not in self.unlistable and any(w not in STOPWORDS for w in words):
                        unsure.append(Mention(start, end, title, 100.0))
                    continue
                if j - i == 1 and (series := self._first_word.get(key)) and not shouting \
                        and text[start].isupper():
                    found.append(Mention(start, end, series[0], SERIES_SCORE))  # "the Arkham stuff"
                    continue
                if j - i >= 2 and words[0] not in STOPWORDS and words[-1] not in STOPWORDS:
                    hit = self._fuzzy(key, j - i)
                    if hit is not None:
                        found.append(Mention(start, end, *hit))
        return found, unsure

    def _fuzzy(self, key: str, n_words: int) -> tuple[str, float] | None:
        bucket = self._buckets.get((n_words, key[0]))
        if not bucket or len(key) < 6:
            return None
        hit = process.extractOne(key, bucket, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit is None or numerals(hit[0]) != numerals(key):
            return None  # "star trek ii" is not a typo of "star trek iii"
        return self.titles[hit[0]], float(hit[1])

    @staticmethod
    def _evidence(text: str, folded: str, tokens: list[_Token], i: int, j: int,
                  shouting: bool) -> bool:
        """Is a one-word-like title at tokens[i:j] really meant as a title?"""
        start, end = tokens[i].start, tokens[j - 1].end
        if len(tokens) == j - i:
            return True  # the whole message is the title
        before = folded[max(0, start - 1):start]
        after = folded[end:end + 1]
        if before in "\"'" and before and after in "\"'" and after:
            return True
        if _CUE_BEFORE.search(folded[:start]) or _CUE_AFTER.match(folded[end:]):
            return True
        previous = tokens[i - 1].text if i > 0 else ""
        if previous in _CUES or (previous == "to" and i > 1 and tokens[i - 2].text in _TO_CUES):
            return True
        if shouting or not text[start].isupper() or folded[start:end] in _CALENDAR:
            return False
        sentence_start = i == 0 or re.search(r"[.!?:;]\s*$", folded[:start]) is not None
        if not sentence_start:
            return True
        following = tokens[j].text if j < len(tokens) else ""
        return following in _AFTER_CUES


def _series_words(titles: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """The first word of many-word titles when it is no English word and starts at most
    `MAX_SERIES` titles ("arkham": Arkham Horror, Arkham Horror: The Card Game), shortest
    first, so that a capitalised "Arkham" names them."""
    english = english_words()
    firsts: dict[str, set[str]] = defaultdict(set)
    for key, title in titles.items():
        words = key.split()
        if len(words) >= 2:
            firsts[words[0]].add(title)
    return {word: tuple(sorted(found, key=len)) for word, found in firsts.items()
            if len(found) <= MAX_SERIES and len(word) >= 4 and word.isalpha()
            and word not in english and word not in titles and word not in STOPWORDS}


def _listed_with(folded: str, cand: Mention, chosen: list[Mention]) -> bool:
    """Is `cand` joined to a chosen mention by a list connector ("X and Y", "X, Y or Z")?"""
    for mention in chosen:
        if mention.end <= cand.start and _LIST_GAP.match(folded[mention.end:cand.start]):
            return True
        if cand.end <= mention.start and _LIST_GAP.match(folded[cand.end:mention.start]):
            return True
    return False


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)

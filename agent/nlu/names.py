"""Names the catalog may not know: people ("with Tom Hanks", "Hitchcock films") and titles
that are not in the catalog ("something like Inception", "do you have Shrek?").

Both are found by cue words around a phrase that no other slot explains; the extractor
passes the spans of catalog titles it already found, so a known title is never taken for a
person or an unknown title. What is found here is reported to the user honestly ("this
catalog has no cast or crew data", "'Inception' is not in the catalog"), never searched for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Common first names: "with tom hanks" names a person even when typed in lower case.
FIRST_NAMES = frozenset("""
al alan alfred andrew angelina anthony antonio arnold audrey ben bette bill billy brad
bruce burt cameron carrie cary catherine charlie charles chris christopher chuck clint colin
danny daniel david demi denzel diane dolph dustin eddie elizabeth emma ethan federico francis
frank fred gary gene george gerard ginger glenn grace greta gregory gwyneth halle harrison
helen henry hugh humphrey ingrid ingmar jack jackie james jane jean jeff jennifer jessica
jim jimmy joan jodie joe joel john johnny jon judy julia julie kate katharine keanu kevin
kirk kurt leonardo liam lucas marilyn mark marlon martin matt meg mel meryl michael
michelle morgan nicolas nicole oliver orson patrick paul penelope peter quentin ralph ray
reese richard ridley rob robert robin roman ron russell sally samuel sandra sean sergio
sharon sidney sigourney sophia spike stanley steve steven susan sylvester ted tim tom
tommy uma val vivien walt wes whoopi will william winona woody
""".split())
_PERSON_CUE = re.compile(r"\b(?:with|starring|featuring|feat\.?|by|directed by|made by|"
                         r"director|actor|actress|mit|con|avec|de|von|not|except|no|without|"
                         r"specifically|especially)\s+$")
# Cues after which a word unknown to the extractor names a person even in lower case.
_STRONG_CUE = re.compile(r"\b(?:starring|featuring|feat\.?|by|directed by|made by|director|"
                         r"actor|actress|(?:movies|films) (?:of|from))\s+$")
_PERSON_NOUN = re.compile(r"^\s*(?:'s\s+)?(?:movies?|films?|flicks?|ones|stuff|pictures?|games?|"
                          r"books?|novels?|designs?|"
                          r"classics?|westerns?|comedies|dramas?|thrillers?|sci[- ]?fi|"
                          r"horror|action|romance|musicals?)\b")
_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'-]*")
# Cues before a title the user names: liked ("like X"), asked about ("do you have X").
_TITLE_CUES = re.compile(
    r"\b(?P<cue>(?:something|anything|movies?|films?|stuff|more|ones?|others?)\s+(?:like|"
    r"similar to)|similar to|in the vein of|(?:i )?(?:loved|liked|enjoyed|adored)|"
    r"fav(?:ou?rite)?(?: movie| film)?(?: ever| of all time)? is|do you have|have you got|"
    r"you got|is there|what about|how about|what year (?:is|was|did)|when (?:did|was)|"
    r"tell me about|who (?:designed|created|made|invented|published|wrote|illustrated)|"
    r"(?:how many|number of) ratings (?:does|for|of)|rating (?:of|for)|how good is|^\W*is|"
    r"what(?:'s| is) the rating (?:of|for)|seen|watched)\s+(?P<title>[^,.;!?()]+)")
_TITLE_END = re.compile(r"\s+(?:or|but|if|in there|in the catalog|in your|come out|came out|"
                        r"have|any good|worth|from|for|with|because|since|so|and (?:something|"
                        r"anything|some|any|also)|recommend|is that|which|please|pls|plz|"
                        r"thanks|lol|haha|again|already|too|as well|my|otherwise|then)\b")
_SKIP = re.compile(r"^(?:of|by|from)\b|"  # "do you have of/by X": a person, not a title
                   r"^(?:it|that|this|those|these|them|one|ones|a|an|the|some|any|something|"
                   r"anything|more|that one|this one|those ones|to|you|me|him|her)$|"
                   r"^(?:the )?(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|"
                   r"seventh|eighth|ninth|tenth|last|#\s*\d+)(?: one| movie| film| pick)?$|"
                   r"^(?:movies?|films?|something|anything|also|more|any|some|other)\b")
MAX_TITLE_WORDS = 6
# "the exorcist or something like that", "avatar vs titanic"
_OR_SOMETHING = re.compile(r"(?:^|[,.;!?]\s*|\b(?:watch|see|want)\s+)(?P<title>[a-z0-9' :&-]+?)"
                           r"\s+or something (?:like (?:that|it)|similar)")
_VERSUS = re.compile(r"(?:^|[,.;!?:]\s*)(?P<a>[a-z0-9' :&-]+?)\s+(?:vs\.?|versus)\s+"
                     r"(?P<b>[a-z0-9' :&-]+?)(?=\s+(?:which|who|what)\b|\s*[,.;!?]|$)")


@dataclass(frozen=True)
class Name:
    """A phrase of the message (character span) and the name as written."""

    start: int
    end: int
    text: str
    cue: str = ""


def find_people(text: str, taken: Sequence[tuple[int, int]], known: Callable[[str], bool],
                common: Callable[[str], bool] = lambda word: True) -> list[Name]:
    """People named in `text` (original case): a capitalised or first-name phrase after
    "with" / "by" / "starring", or before "movies" / "films" ("Hitchcock films"); in lower
    case, a word that is no common word in those places ("spielberg sci-fi").

    `known(word)`: the word means something else to the extractor (a genre, a cue, a
    common word), so it ends a name; `common(word)`: an everyday word of the language.
    """
    words = [m for m in _WORD.finditer(text) if not _inside(m.span(), taken)]
    names: list[Name] = []
    i = 0
    while i < len(words):
        run = _name_run(text, words, i, known)
        if run:
            start, end = words[i].start(), words[i + run - 1].end()
            first = words[i].group().lower()
            cued = _PERSON_CUE.search(text[:start].lower()) is not None
            noun = _PERSON_NOUN.match(text[end:].lower()) is not None
            capital = all(w.group()[0].isupper() for w in words[i:i + run])
            strong = _STRONG_CUE.search(text[:start].lower()) is not None
            rare = not any(common(w.group().lower()) for w in words[i:i + run])
            paired = first in FIRST_NAMES and run >= 2 and not known(words[i + 1].group().lower())
            if (cued and (capital or first in FIRST_NAMES or rare)) or strong \
                    or (noun and (capital and i > 0 or rare)) \
                    or paired:
                if text[start:end].endswith(("'s", "’s")):  # "Vital Lacerda's games"
                    end -= 2
                names.append(Name(start, end, text[start:end]))
                i += run
                continue
        i += 1
    return names


def _name_run(text: str, words: list, i: int, known: Callable[[str], bool]) -> int:
    """How many words from `i` can form a name (at most 3, none known to the extractor)."""
    run = 0
    while i + run < len(words) and run < 3:
        word = words[i + run].group()
        lower = word.lower()
        if (known(lower) and lower not in FIRST_NAMES) or len(word) < 2:
            break
        if run and text[words[i + run - 1].end():words[i + run].start()].strip():
            break  # punctuation between the words
        run += 1
    return run


def find_unknown_titles(folded: str, taken: Sequence[tuple[int, int]],
                        explained: Callable[[str], bool]) -> list[Name]:
    """Phrases named like titles ("something like X", "do you have X?") that are not catalog
    titles: `taken` are the spans of titles found; `explained(phrase)` is true when the
    phrase means something else (a genre, a year, a mood, a reference)."""
    found: list[Name] = []
    for pattern, groups in ((_OR_SOMETHING, ("title",)), (_VERSUS, ("a", "b"))):
        for match in pattern.finditer(folded):
            for group in groups:
                start, end = match.span(group)
                body = match.group(group).strip()
                if body and not _SKIP.match(body) and len(body.split()) <= MAX_TITLE_WORDS \
                        and not _inside((start, end), taken, partly=True) \
                        and not explained(body):
                    found.append(Name(start, end, body, "like"))
    for match in _TITLE_CUES.finditer(folded):
        start = match.start("title")
        body = match.group("title")
        stop = _TITLE_END.search(body)
        body = (body[:stop.start()] if stop else body).strip()
        body = re.sub(r"^(?:the movie|the film|a movie called|a film called)\s+", "", body)
        end = start + match.group("title").find(body) + len(body) if body else start
        start = end - len(body)
        words = body.split()
        if words and words[0] in FIRST_NAMES and len(words) == 2 and match.group("cue") in (
                "what about", "how about"):
            continue  # "what about Meg Ryan": a person (said so by the people finder)
        if not words or len(words) > MAX_TITLE_WORDS or _SKIP.match(body) \
                or _inside((start, end), taken, partly=True) or explained(body):
            continue
        if not any(start < f.end and f.start < end for f in found):
            found.append(Name(start, end, body, match.group("cue").split()[-1]))
    return sorted(found, key=lambda n: n.start)


def _inside(span: tuple[int, int], taken: Sequence[tuple[int, int]], partly: bool = False
            ) -> bool:
    start, end = span
    if partly:
        return any(start < e and s < end for s, e in taken)
    return any(s <= start and end <= e for s, e in taken)

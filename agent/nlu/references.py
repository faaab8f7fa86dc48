"""References to what the agent showed: "the second one", "#3", "the last one", "it", "those".

`resolve_references(folded, shown, focus)` finds such phrases in a folded message and says
which shown titles each one names; the extractor then reads the message as if the titles
had been written there ("more like the second one" -> "more like Contact"). `shown` is the
list of the agent's last reply, in order; `focus` the title the conversation last talked
about (an item asked about), which "it" and "that one" name first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8,
    "8th": 8, "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "last": -1, "final": -1,
    "top": 1,
}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}
_NOUN = r"(?:one|ones|movie|film|flick|pick|option|suggestion|title|rec|recommendation|entry)"
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
# "the second one", "the 2nd movie", "the last one", "2nd one", "second pick"
_ORDINAL_NOUN = re.compile(rf"(?<![\w#])(?:the\s+)?(?P<ord>{_ORDINAL})\s+{_NOUN}(?![\w])")
# "the second", "the last" at the end of a clause ("why the second?", "loved the last!")
_ORDINAL_BARE = re.compile(rf"(?<![\w#])the\s+(?P<ord>{_ORDINAL})(?=\s*(?:[.,;!?)]|$|and\b|or\b|"
                           rf"already\b|again\b|too\b|is\b|was\b|sounds\b|looks\b|pls\b|"
                           rf"please\b|though\b))")
# "the first two", "the last two", "both"
_SEVERAL = re.compile(r"\b(?:the\s+)?(?P<end>first|last)\s+(?P<num>two|three|four|five|2|3|4|5)"
                      r"(?:\s+(?:ones|movies|films|picks))?\b|\bboth(?: of them)?\b"
                      r"(?!\s+[\w' :!-]+?\s+(?:and|&)\s)")  # not "both Uno and Connect Four"
# "the middle one"
_MIDDLE = re.compile(r"\bthe middle(?: one| movie| film| pick)?\b")
# a message that is only an ordinal: "3rd?", "the second", "#2 pls"
_ONLY_ORDINAL = re.compile(rf"^\W*(?P<ref>(?:the\s+)?(?P<ord>{_ORDINAL})(?:\s+{_NOUN})?)"
                           rf"\W*(?:pls|please)?\W*$")
# "#3", "number 3", "no. 3", "option 2", "nr 2"
_NUMBERED = re.compile(r"(?:#\s*|\b(?:number|no\.?|nr\.?|option|item|choice)\s+)"
                       r"(?P<num>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b")
# bare numbers after a verdict or "why": "hated 2 and 4", "seen 1, 3", "why 2?"
_VERB_NUMBERS = re.compile(r"\b(?:hated|hate|loved|love|liked|disliked|seen|saw|watched|played|"
                           r"read|why|picked|pick)\s+(?P<list>\d{1,2}(?:\s*(?:,|and|&|\+)\s*"
                           r"\d{1,2})*)(?!\s*(?:s\b|'|%|years?|movies|films|games|books|stars|"
                           r"times|people|minutes|hours|days|weeks))\b")
# ordinals joined: "the second and fourth", "2nd & 3rd"
_ORDINAL_LIST = re.compile(rf"(?<![\w#])(?:the\s+)?(?P<first>{_ORDINAL})"
                           rf"(?P<rest>(?:\s*(?:,|and|&|or)\s*(?:the\s+)?(?:{_ORDINAL})\b)+)")
_ORDINAL_WORD = re.compile(rf"\b({_ORDINAL})\b")
# the whole list: "those", "these", "them", "all of them", "the list"
_ALL = re.compile(r"(?<!none of )(?<!not )(?<!no )\b(?:like|about|pick|picked|choose|chose|"
                  r"recommend|recommended|suggest|suggested|loved|liked|hated|why|seen|"
                  r"watched|saw)\s+"
                  r"(?:all\s+(?:of\s+)?)?"
                  r"(?P<ref>those(?: ones| movies| films)?|these(?: ones| movies| films)?|"
                  r"them|the list|this list|that list)\b")
# the whole list as a set to choose from: "best of those", "which of these", "among them"
_AMONG = re.compile(r"(?<!none )(?<!most )(?<!some )(?<!any )(?<!all )\b(?:among|of|out of)\s+"
                    r"(?P<ref>those|these|them|the list|this list)\b")
# one item: "it", "that one", "this one", "that", "this movie"
_ONE = re.compile(r"\b(?P<cue>like|about|of|pick|picked|choose|chose|recommend|recommended|"
                  r"suggest|suggested|loved|love|liked|hated|hate|disliked|seen|saw|watched|"
                  r"in|directed|made|is|was|why|into|enjoyed|enjoy|adored|rated|rate|"
                  r"about|watch|recommend|suggest|from|out|has|have)\s+"
                  r"(?P<ref>it|that one|this one|that movie|this movie|that film|this film|"
                  r"that|this)(?=\s*(?:[.,;!?)]|$|\b(?:and|but|so|too|either|already|again|"
                  r"though|any|a lot|please|pls|lol|haha)\b))")


# a verdict on one item: "that one was great", "it sounds good"
_VERDICT = re.compile(r"^\W*(?:(?:oh|ok|hmm|wow|yeah|yes|nah|meh)\W+)?(?P<ref>that one|this one|"
                      r"that movie|that film|it)\s+(?:was|is|looks|sounds|seems)\b")
# a question about one item: "is it any good?", "does that one have ratings?"
_ASKED = re.compile(r"\b(?:is|was|does|did|has|how is|how was|what is|what's|whats)\s+"
                    r"(?P<ref>it|that one|this one|that movie|this movie|that film)\b")


@dataclass(frozen=True)
class Reference:
    """A phrase of the message (character span) and the shown titles it names."""

    start: int
    end: int
    titles: tuple[str, ...]


def resolve_references(folded: str, shown: Sequence[str], focus: str | None = None,
                       named: Sequence[int] = ()) -> list[Reference]:
    """Every reference in `folded` that names shown titles, in text order, not overlapping.

    An ordinal past the end of the list names nothing (and is left as text). `named`: where
    titles the message names end; "it" / "that" after one of them is that title ("I liked
    Quiz Show, more like that"), so it is left as text.
    """
    if not shown and focus is None:
        return []
    found: list[Reference] = []
    for pattern in (_ORDINAL_NOUN, _ORDINAL_BARE, _ONLY_ORDINAL):
        for match in pattern.finditer(folded):
            title = _nth(shown, _ORDINALS[match.group("ord")])
            span = match.span("ref") if "ref" in pattern.groupindex else match.span()
            if title is not None:
                found.append(Reference(*span, (title,)))
    for match in _VERB_NUMBERS.finditer(folded):
        for number in re.finditer(r"\d{1,2}", match.group("list")):
            title = _nth(shown, int(number.group()))
            if title is not None:
                start = match.start("list") + number.start()
                found.append(Reference(start, start + len(number.group()), (title,)))
    for match in _ORDINAL_LIST.finditer(folded):
        for word in _ORDINAL_WORD.finditer(match.group(), match.start("first") - match.start()):
            title = _nth(shown, _ORDINALS[word.group(1)])
            if title is not None:
                found.append(Reference(match.start() + word.start(), match.start() + word.end(),
                                       (title,)))
    for match in _NUMBERED.finditer(folded):
        raw = match.group("num")
        title = _nth(shown, int(raw) if raw.isdigit() else _NUMBER_WORDS[raw])
        if title is not None:
            found.append(Reference(match.start(), match.end(), (title,)))
    if shown:
        found += [Reference(m.start("ref"), m.end("ref"), tuple(shown))
                  for pattern in (_ALL, _AMONG) for m in pattern.finditer(folded)]
        found += [Reference(m.start(), m.end(), _several(shown, m)) for m in
                  _SEVERAL.finditer(folded) if len(shown) >= 2]
        found += [Reference(m.start(), m.end(), (shown[len(shown) // 2],))
                  for m in _MIDDLE.finditer(folded)]
    one = focus or (shown[0] if shown else None)
    named = [*named, *(r.end for r in found)]  # "the 2nd one - is it any good?"
    if one is not None:
        found += [Reference(m.start("ref"), m.end("ref"), (one,)) for m in _ONE.finditer(folded)
                  if not (m.group("cue") in ("is", "was", "in") and m.group("ref") in
                          ("that", "this")) and not any(end <= m.start() for end in named)]
        found += [Reference(m.start("ref"), m.end("ref"), (one,))
                  for pattern in (_ASKED, _VERDICT) for m in pattern.finditer(folded)
                  if not any(end <= m.start() for end in named)]
    return _without_overlaps(found)


def _several(shown: Sequence[str], match: re.Match[str]) -> tuple[str, ...]:
    raw = match.group("num")
    if raw is None:  # "both"
        return tuple(shown[:2])
    count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    return tuple(shown[-count:] if match.group("end") == "last" else shown[:count])


def _nth(shown: Sequence[str], position: int) -> str | None:
    if position == -1:
        return shown[-1] if shown else None
    return shown[position - 1] if 1 <= position <= len(shown) else None


def _without_overlaps(found: list[Reference]) -> list[Reference]:
    chosen: list[Reference] = []
    for ref in sorted(found, key=lambda r: (r.start, -(r.end - r.start))):
        if all(ref.start >= c.end or ref.end <= c.start for c in chosen):
            chosen.append(ref)
    return chosen

"""Year ranges in free text: decades, years, ranges, before/after, recent/old.

The rules are those of `convrec.agent.frame` (module docstring). `parse_years` works on
folded (lower-case) text and reports the character spans it used, so the caller can drop
them from the soft query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from convrec.agent.frame import OLD_YEAR_MAX, RECENT_SPAN, RequestFrame
from convrec.agent.nlu.spans import blank

_DECADE_WORDS = {"twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950,
                 "sixties": 1960, "seventies": 1970, "eighties": 1980, "nineties": 1990,
                 "ninties": 1990, "nintees": 1990, "eigthies": 1980, "eightees": 1980,
                 "seventys": 1970, "sixtys": 1960}
_Y = r"(?:18[89]\d|19\d\d|20\d\d|'\d\d(?!'?s\b))"  # '95 is 1995
_D = (r"(?:(?:18|19|20)?\d0\s?'?s|'\d0'?s|" + "|".join(_DECADE_WORDS) + ")")
_T = rf"(?:the\s+)?(?:(?:early|mid|middle|late)[- ]?)?(?:{_D}|{_Y})"
_B = r"(?<![\w'])"
_E = r"(?![\w])"

_BETWEEN = re.compile(rf"{_B}between\s+(?P<a>{_T})\s+and\s+(?P<b>{_T}){_E}")
_SPAN = re.compile(rf"{_B}(?:from\s+)?(?P<a>{_T})\s*(?:-|–|to|through|thru|until|till)\s*"
                   rf"(?P<b>{_T}){_E}")
_EITHER = re.compile(rf"{_B}(?P<a>{_T})\s+(?:or|and|&)\s+(?P<b>{_T}){_E}")
_DROP = r"(?:nothing|not|no\s+\w+|none|drop|remove|skip|cut)"
_NOT_BEFORE = re.compile(rf"{_B}{_DROP}\s+(?:\w+\s+)?(?:made\s+|released\s+|"
                         rf"from\s+)?(?:before|earlier than|older than|prior to|pre-?)\s*"
                         rf"(?P<a>{_T}){_E}")
_NOT_AFTER = re.compile(rf"{_B}{_DROP}\s+(?:\w+\s+)?(?:made\s+|released\s+|"
                        rf"from\s+)?(?:after|later than|newer than|post-?)\s*(?P<a>{_T}){_E}")
_BEFORE = re.compile(rf"{_B}(?:before|earlier than|older than|prior to|pre-?)\s*(?P<a>{_T}){_E}")
_AFTER = re.compile(rf"{_B}(?:after|later than|newer than|post-?)\s*(?P<a>{_T}){_E}")
_SINCE = re.compile(rf"{_B}(?:since\s+(?P<a>{_T})|(?:from\s+)?(?P<b>{_T})\s*(?:on|onwards?|"
                    rf"or later|and later|or after|or newer|or more recent|\+))(?!\w)")
_UNTIL = re.compile(rf"{_B}(?:(?:until|till|up to|through|thru|no later than)\s+(?P<a>{_T})|"
                    rf"(?P<b>{_T})\s+(?:or earlier|and earlier|or before|or older))(?!\w)")
_SINGLE = re.compile(rf"{_B}(?P<a>{_T}){_E}")
# "not from the 90s", "anything but the 80s", "no 70s stuff", "except 1995"
_EXCLUDED = re.compile(rf"{_B}(?<!if )(?:not|no|nothing|none|anything but|everything but|except|"
                       rf"excluding|other than|besides|but not|avoid|without|skip|tired of|"
                       rf"sick of|isn'?t|wasn'?t|aren'?t|weren'?t|ni|sin|pas|sans|nicht|"
                       rf"keine?|ohne)\s+(?:(?!(?:older|newer|earlier|later|before|after|than|since|until|prior|"
                       rf"pre|post)\b)[\w']+\s+){{0,3}}?(?:(?:from|form|in|of|de|des|"
                       rf"aus)\s+)?(?P<a>{_T})(?:\s*(?:or|and|&|/|,)\s*(?P<b>{_T}))?{_E}")
_NOT_OLD = re.compile(r"\b(?:not|nothing|isn't|isnt|no|less) (?:[\w']+ ){0,4}?(?:old(?:,? "
                      r"black[- ]and[- ]white)?|ancient|dated|vintage|black[- ]and[- ]white)\b")
# "ideally not something super recent": older than the recent window
_NOT_RECENT = re.compile(r"\b(?:not|nothing|isn't|isnt|no) (?:[\w']+ ){0,3}?(?:recent|new|"
                         r"modern|current|latest|brand new)\b")

_RECENT = re.compile(r"\b(?:recent|recently|newest|latest|modern|current|contemporary|"
                     r"new(?!\s+(?:york|jersey|orleans|zealand|england|mexico|wave|age|"
                     r"hampshire|delhi))(?!-))\b")
# "recently" is about the items only after these ("came out recently"); else it is about the
# user ("I recently enjoyed X", "recently I saw Heat").
_RELEASED = re.compile(r"\b(?:released|came out|come out|comes out|made|published|out|"
                       r"produced|premiered)\s+(?:\w+\s+)?$")
_NEWER = re.compile(r"\b(?:newer|more recent|more modern|later ones|fresher)\b")
_OLD = re.compile(r"(?<!year )(?<!years )(?<!year-)(?<!yr )(?<!yrs )(?<!yr-)(?<!too )(?<!not )"
                  r"\b(?:old(?!\s+(?:man|woman|lady|men|friend|friends|school))|oldies|"
                  r"classics?|golden age|vintage|"
                  r"black and white|black-and-white|the older the better)\b")
_PREFERRED = re.compile(r"\b(?:only|just|rather|prefer|preferably|ideally)\s+(?:\w+\s+)?$")
_OLDER = re.compile(r"(?<!the )\b(?:older|earlier|more classic|before that)\b|"
                    r"(?<=the )(?:older|earlier)(?= ones\b)")  # "only the older ones"


@dataclass
class YearSlots:
    """What the text says about years; `relative` is "older"/"newer" for comparatives."""

    year_min: int | None = None
    year_max: int | None = None
    relative: Literal["older", "newer"] | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    exclude: tuple[int, int] | None = None  # "not from the 90s"
    not_old: bool = False  # "not so old": newer than before, or not "old" at all
    not_recent: bool = False  # "not something super recent": before the recent window

    @property
    def found(self) -> bool:
        return self.year_min is not None or self.year_max is not None


def term_range(term: str) -> tuple[int, int]:
    """The inclusive year range of one term: "1995", "the 90s", "early 80s", "'70s"."""
    term = re.sub(r"^the\s+", "", term.strip())
    qualifier = re.match(r"(early|mid|middle|late)[- ]?", term)
    if qualifier:
        term = term[qualifier.end():]
    if re.fullmatch(_Y, term):
        year = _full_year(term)
        return year, year
    start = _decade_start(term)
    if qualifier is None:
        return start, start + 9
    return {"early": (start, start + 3), "late": (start + 7, start + 9)}.get(
        qualifier.group(1), (start + 4, start + 6))


def _full_year(term: str) -> int:
    """1995 from "1995" or "'95" (two digits below 20 are 20xx)."""
    if not term.startswith("'"):
        return int(term)
    value = int(term[1:])
    return (2000 if value < 20 else 1900) + value


def _decade_start(term: str) -> int:
    if term in _DECADE_WORDS:
        return _DECADE_WORDS[term]
    digits = re.sub(r"\D", "", term)
    if len(digits) == 4:
        return int(digits)
    value = int(digits)
    return (2000 if value < 20 else 1900) + value


_LAST = re.compile(r"\b(?:the\s+)?(?:last|past)\s+(?:(?P<n>\d{1,2}|two|three|four|five|ten|"
                   r"twenty|few|couple(?:\s+of)?)\s+)?(?P<unit>years|decades?)\b")
_LAST_SPANS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "twenty": 20, "few": 5,
               "couple": 3, "couple of": 3}


def parse_years(text: str, latest_year: int) -> YearSlots:
    """Year slots of folded `text` (see `convrec.agent.frame` for the rules)."""
    slots = YearSlots()
    bounds: list[tuple[int | None, int | None]] = []
    work = _excluded(text, slots)
    rules = (
        (_BETWEEN, lambda a, b: (a[0], b[1])),
        (_SPAN, lambda a, b: (a[0], b[1])),
        (_EITHER, lambda a, b: (min(a[0], b[0]), max(a[1], b[1]))),
        (_NOT_BEFORE, lambda a, b: (a[0], None)),
        (_NOT_AFTER, lambda a, b: (None, a[1])),
        (_BEFORE, lambda a, b: (None, a[0] - 1)),
        (_AFTER, lambda a, b: (a[1] + 1, None)),
        (_SINCE, lambda a, b: (a[0], None)),
        (_UNTIL, lambda a, b: (None, a[1])),
        (_SINGLE, lambda a, b: a),
    )
    for match in _LAST.finditer(work):  # "from the last decade", "the past 5 years"
        span = _LAST_SPANS.get(match.group("n") or "", None) or int(match.group("n") or 1)
        years = span * (10 if match.group("unit").startswith("decade") else 1)
        bounds.append((latest_year - years + 1, None))
        slots.spans.append(match.span())
    work = blank(work, slots.spans)
    for pattern, combine in rules:
        for match in pattern.finditer(work):
            terms = [g for g in match.groups() if g]
            ranges = [term_range(t) for t in terms]
            bounds.append(combine(ranges[0], ranges[-1]))
            slots.spans.append(match.span())
        work = blank(work, slots.spans)
    if slots.exclude is not None:  # "not 90s, so tired of 90s stuff": no 90s either way
        low, high = slots.exclude
        bounds = [(lo, hi) for lo, hi in bounds
                  if not (lo is not None and hi is not None and low <= lo and hi <= high)]
    if bounds:
        slots.year_min, slots.year_max = _intersect(bounds)
    _relative(work, slots, latest_year)
    return slots


def _excluded(text: str, slots: YearSlots) -> str:
    """Read "not from the 90s" into `slots.exclude` and "not so old" into `slots.not_old`;
    the text with those spans blanked."""
    for match in _EXCLUDED.finditer(text):
        low, high = term_range(match.group("a"))
        if match.group("b"):
            other = term_range(match.group("b"))
            low, high = min(low, other[0]), max(high, other[1])
        slots.exclude = (low, high)
        slots.spans.append(match.span())
        break
    for match in _NOT_OLD.finditer(text):
        slots.not_old = True
        slots.spans.append(match.span())
    for match in _NOT_RECENT.finditer(text):
        slots.not_recent = True
        slots.spans.append(match.span())
    return blank(text, slots.spans)


def _relative(work: str, slots: YearSlots, latest_year: int) -> None:
    found = sorted((m.span(), kind) for pattern, kind in ((_NEWER, "newer"), (_OLDER, "older"))
                   if (m := pattern.search(work)))
    if found:  # "older rather than newer": the first said, or the one "only" / "rather" picks
        chosen = [k for span, k in found if _PREFERRED.search(work[:span[0]])]
        slots.relative = (chosen or [found[0][1]])[0]  # type: ignore[assignment]
        slots.spans.extend(span for span, _ in found)
    if slots.found:
        return
    if slots.relative is not None:
        return
    if slots.not_recent:
        slots.year_max = latest_year - RECENT_SPAN - 1
        return
    recent = [m for m in _RECENT.finditer(work)
              if m.group() != "recently" or _RELEASED.search(work[:m.start()])]
    old = list(_OLD.finditer(work))
    if recent:
        slots.year_min = latest_year - RECENT_SPAN
    elif old:
        slots.year_max = OLD_YEAR_MAX
    slots.spans.extend(m.span() for m in recent + old)


def _intersect(bounds: list[tuple[int | None, int | None]]) -> tuple[int | None, int | None]:
    lows = [lo for lo, _ in bounds if lo is not None]
    highs = [hi for _, hi in bounds if hi is not None]
    low, high = (max(lows) if lows else None), (min(highs) if highs else None)
    if low is not None and high is not None and low > high:
        return bounds[-1]
    return low, high


# "older than Catan", "more recent than it": years relative to one item's
THAN = re.compile(r"\b(older|newer|earlier|later|more recent|before|after|younger)\s+"
                  r"(?:than\s+)?$")
THAN_IT = re.compile(r"\b(older|newer|earlier|later|more recent|younger)\s+than\s+"
                      r"(?:it|that|this)(?: one| game| film| book)?\b")


def anchored_years(frame: RequestFrame, years: YearSlots, title: str, year: int,
              direction: Literal["older", "newer"]) -> tuple[RequestFrame, YearSlots]:
    """The frame with years before / after `title`'s, which is no longer a liked title."""
    low, high = (None, year - 1) if direction == "older" else (year + 1, None)
    years.relative, years.year_min, years.year_max = None, low, high
    return frame.model_copy(update={
        "year_min": low, "year_max": high,
        "similar_to": [t for t in frame.similar_to if t != title],
        "exclude_titles": [*frame.exclude_titles, title]}), years


def narrowed_years(years: YearSlots, previous: RequestFrame) -> tuple[int | None, int | None]:
    """A one-sided bound inside the previous range narrows it ("only after 1995")."""
    low, high = years.year_min, years.year_max
    prev_low, prev_high = previous.year_min, previous.year_max
    if low is not None and high is None and prev_high is not None and low <= prev_high and (
            prev_low is None or low >= prev_low):
        return low, prev_high
    if high is not None and low is None and prev_low is not None and high >= prev_low and (
            prev_high is None or high <= prev_high):
        return prev_low, high
    return low, high


def year_anchor(folded: str, titles_at: Sequence[tuple[int, str]], focus: Sequence[str],
                year_of: Mapping[str, int]) -> tuple[str, int, Literal["older", "newer"]] | None:
    """(title, its year, direction) of "older than X" (`titles_at`: where titles start) or
    "more recent than it" (the first `focus` title)."""
    leads = [(THAN.search(folded[:start]), title) for start, title in titles_at]
    if focus:
        leads.append((THAN_IT.search(folded), focus[0]))
    for lead, title in leads:
        year = year_of.get(title)
        if lead and year:
            older = lead.group(1) in ("older", "earlier", "before")
            return title, year, "older" if older else "newer"
    return None

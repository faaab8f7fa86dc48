"""The checks of the conversation benchmark (docs/talk_bench.md): a turn's `expect` judged
against the agent's reply. Each check holds or gives a one-line reason.

The case format and its validation are in `convrec.eval.talk_cases`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from convrec.agent.trace import RecommendedItem, Reply
from convrec.eval.talk_cases import REFERENCE, Titles
from convrec.memory.profile_model import UserProfile
from convrec.recsys.catalog import Catalog

if TYPE_CHECKING:
    from convrec.agent.core import RecAgent

NEIGHBOURS = 50  # similar_to: the referenced item's nearest neighbours by the ALS model
SIMILARITY_MODEL = "als"
# admits: the reply says plainly that it does not have or know something.
ADMITS = re.compile(
    r"\b(?:don['’]t|do not|doesn['’]t|can['’]t|cannot|couldn['’]t|could not)\s+"
    r"(?:have|know|find|tell)\b|\bno information\b|\bnot in the catalog\b", re.IGNORECASE)


class Facts:
    """What checks look up beyond the reply: titles, ALS neighbours, average ratings."""

    def __init__(self, catalog: Catalog, neighbours: Callable[[int], Sequence[int]],
                 ratings: Callable[[], Mapping[int, float]]):
        self.catalog = catalog
        self.titles = Titles(catalog)
        self._neighbours = neighbours
        self._ratings = ratings
        self._near: dict[int, frozenset[int]] = {}
        self._mean: Mapping[int, float] | None = None

    @classmethod
    def for_agent(cls, agent: RecAgent, home: Path, dataset: str) -> Facts:
        """The facts of the agent's own catalog and ALS model, and the dataset's ratings."""
        toolkit = agent.parts.toolkit

        def neighbours(item_id: int) -> Sequence[int]:
            model = toolkit.models.get(SIMILARITY_MODEL)
            if model is None:
                raise LookupError(toolkit.models.reason(SIMILARITY_MODEL))
            ids, _ = model.similar_items(item_id, N=NEIGHBOURS)
            return [int(i) for i in ids if i >= 0]

        def ratings() -> Mapping[int, float]:
            from convrec.recsys.fetch import load_dataset

            rated = load_dataset(home, dataset).interactions.dropna(subset=["rating"])
            return rated.groupby("item_id")["rating"].mean().to_dict()

        return cls(toolkit.catalog, neighbours, ratings)

    def neighbours(self, item_id: int) -> frozenset[int]:
        """The NEIGHBOURS items nearest to `item_id`; LookupError when there is no model."""
        if item_id not in self._near:
            self._near[item_id] = frozenset(self._neighbours(item_id))
        return self._near[item_id]

    def average_rating(self, item_id: int) -> float | None:
        if self._mean is None:
            self._mean = self._ratings()
        return self._mean.get(item_id)


# --- judging ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Seen:
    """What one turn's checks see: the reply, the previous reply's items (None before the
    first reply), the session's profile after the turn (read on demand) and the facts."""

    reply: Reply
    previous: Sequence[RecommendedItem] | None
    profile: Callable[[], UserProfile]
    facts: Facts

    @property
    def items(self) -> tuple[RecommendedItem, ...]:
        return self.reply.items

    @property
    def ids(self) -> list[int]:
        return [item.id for item in self.reply.items]


class _Unresolved(Exception):
    """A "#N" with no such item in the previous reply."""


def judge(expect: Mapping[str, Any], seen: Seen) -> list[tuple[str, str]]:
    """(key, reason) for every check of `expect` that does not hold, in the given order."""
    failed = []
    for key, value in expect.items():
        try:
            reason = _CHECKS[key](value, seen)
        except _Unresolved as exc:
            reason = str(exc)
        if reason:
            failed.append((key, reason))
    return failed


def _resolve(ref: str, seen: Seen) -> tuple[tuple[int, ...], str]:
    """A title or "#N" -> (its item ids, a label for reasons)."""
    match = REFERENCE.fullmatch(ref)
    if not match:
        return seen.facts.titles.ids(ref), ref
    n = int(match.group(1))
    if seen.previous is None:
        raise _Unresolved(f"{ref}: there is no previous reply to refer to")
    if not 1 <= n <= len(seen.previous):
        raise _Unresolved(f"{ref}: the previous reply showed {_count(len(seen.previous))}")
    item = seen.previous[n - 1]
    return (item.id,), f"{ref} {item.label()}"


def _count(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _some(items: Sequence[RecommendedItem], detail: Callable[[RecommendedItem], str]) -> str:
    """"A (1990) [detail], B (1991) [detail]", at most three named."""
    named = ", ".join(f"{i.label()} [{detail(i)}]" for i in items[:3])
    return f"{named}{', ...' if len(items) > 3 else ''}"


def _offenders(seen: Seen, bad: Callable[[RecommendedItem], bool], what: str,
               detail: Callable[[RecommendedItem], str]) -> str | None:
    offending = [i for i in seen.items if bad(i)]
    if not offending:
        return None
    return f"{len(offending)} of {_count(len(seen.items))} {what}: {_some(offending, detail)}"


def _genres(item: RecommendedItem) -> str:
    return ", ".join(item.genres) or "no genres"


def _year(item: RecommendedItem) -> str:
    return str(item.year) if item.year else "no year"


def _act(value: str, seen: Seen) -> str | None:
    got = seen.reply.trace.act
    return None if got == value else f"act was {got!r}, expected {value!r}"


def _n_items(value: int, seen: Seen) -> str | None:
    n = len(seen.items)
    return None if n == value else f"showed {_count(n)}, expected exactly {value}"


def _min_items(value: int, seen: Seen) -> str | None:
    n = len(seen.items)
    return None if n >= value else f"showed {_count(n)}, expected at least {value}"


def _no_items(_: bool, seen: Seen) -> str | None:
    return _offenders(seen, lambda i: True, "shown, expected none", _genres)


def _genres_all(value: list[str], seen: Seen) -> str | None:
    return _offenders(seen, lambda i: not set(value) <= set(i.genres),
                      f"lack one of {', '.join(value)}", _genres)


def _genres_any(value: list[str], seen: Seen) -> str | None:
    return _offenders(seen, lambda i: not set(value) & set(i.genres),
                      f"have none of {', '.join(value)}", _genres)


def _genres_none(value: list[str], seen: Seen) -> str | None:
    return _offenders(seen, lambda i: bool(set(value) & set(i.genres)),
                      f"have one of {', '.join(value)}", _genres)


def _people_any(value: list[str], seen: Seen) -> str | None:
    return _offenders(seen, lambda i: not set(value) & {name for _, name in i.people},
                      f"are by none of {', '.join(value)}",
                      lambda i: ", ".join(name for _, name in i.people) or "nobody listed")


def _year_min(value: int, seen: Seen) -> str | None:
    return _offenders(seen, lambda i: not i.year or i.year < value,
                      f"are before {value} or have no year", _year)


def _year_max(value: int, seen: Seen) -> str | None:
    return _offenders(seen, lambda i: not i.year or i.year > value,
                      f"are after {value} or have no year", _year)


def _years_outside(value: list[int], seen: Seen) -> str | None:
    lo, hi = value
    return _offenders(seen, lambda i: bool(i.year) and lo <= i.year <= hi,
                      f"are from {lo}-{hi}", _year)


def _refs(value: list[str], seen: Seen) -> tuple[list[tuple[tuple[int, ...], str]], list[str]]:
    """The references that resolve, as (ids, label), and the reasons of those that do not."""
    resolved, unresolved = [], []
    for ref in value:
        try:
            resolved.append(_resolve(ref, seen))
        except _Unresolved as exc:
            unresolved.append(str(exc))
    return resolved, unresolved


def _listed(problems: list[str], what: str, unresolved: list[str]) -> str | None:
    parts = ([f"{what}: {'; '.join(problems)}"] if problems else []) + unresolved
    return "; ".join(parts) or None


def _titles_shown(value: list[str], seen: Seen) -> str | None:
    resolved, unresolved = _refs(value, seen)
    missing = [label for ids, label in resolved if not set(ids) & set(seen.ids)]
    return _listed(missing, "not shown", unresolved)


def _titles_not_shown(value: list[str], seen: Seen) -> str | None:
    resolved, unresolved = _refs(value, seen)
    shown = []
    for ids, label in resolved:
        at = [n for n, i in enumerate(seen.ids, 1) if i in ids]
        if at:
            shown.append(f"{label} at #{at[0]}")
    return _listed(shown, "shown", unresolved)


def _similar_to(value: str, seen: Seen) -> str | None:
    ids, label = _resolve(value, seen)
    if not seen.items:
        return f"no item shown to compare with {label}"
    try:
        near = frozenset().union(*(seen.facts.neighbours(i) for i in ids))
    except LookupError as exc:
        return f"no item similarity to check with: {exc}"
    close = sum(i in near for i in seen.ids)
    need = math.ceil(len(seen.ids) / 2)
    if close >= need:
        return None
    return (f"{close} of {_count(len(seen.ids))} among the {NEIGHBOURS} nearest neighbours of "
            f"{label}; need {need}")


def _mentions(value: list[str], seen: Seen) -> str | None:
    text = seen.reply.text.casefold()
    resolved, unresolved = _refs(value, seen)
    missing = [label for ids, label in resolved
               if not any(item.display_title.casefold() in text
                          for item in seen.facts.catalog.items(ids))]
    return _listed(missing, "not in the reply text", unresolved)


def _text_has(value: list[str], seen: Seen) -> str | None:
    text = seen.reply.text.casefold()
    missing = [entry for entry in value
               if not any(alt.strip().casefold() in text for alt in entry.split("|")
                          if alt.strip())]
    return f"the reply text has none of: {'; '.join(map(repr, missing))}" if missing else None


def _text_lacks(value: list[str], seen: Seen) -> str | None:
    text = seen.reply.text.casefold()
    found = [s for s in value if s.casefold() in text]
    return f"the reply text has: {'; '.join(map(repr, found))}" if found else None


def _admits(_: bool, seen: Seen) -> str | None:
    if ADMITS.search(seen.reply.text):
        return None
    return f"the reply does not say it lacks something: {_first_line(seen.reply.text)!r}"


def _first_line(text: str, limit: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _min_avg_rating(value: float, seen: Seen) -> str | None:
    def low(item: RecommendedItem) -> bool:
        mean = seen.facts.average_rating(item.id)
        return mean is None or mean < value

    def shown(item: RecommendedItem) -> str:
        mean = seen.facts.average_rating(item.id)
        return "no ratings" if mean is None else f"{mean:.2f}"

    return _offenders(seen, low, f"average below {value}", shown)


def _profile(field: str) -> Callable[[list[str], Seen], str | None]:
    def check(value: list[str], seen: Seen) -> str | None:
        listed = getattr(seen.profile(), field)
        resolved, unresolved = _refs(value, seen)
        missing = [label for ids, label in resolved if not set(ids) & set(listed)]
        if missing:
            held = ", ".join(i.label() for i in seen.facts.catalog.items(listed[:5]))
            missing[-1] += f" ({field}: {held or 'none'}{', ...' if len(listed) > 5 else ''})"
        return _listed(missing, f"not {field} in the profile", unresolved)

    return check


_CHECKS: dict[str, Callable[[Any, Seen], str | None]] = {
    "act": _act, "n_items": _n_items, "min_items": _min_items, "no_items": _no_items,
    "genres_all": _genres_all, "genres_any": _genres_any, "genres_none": _genres_none,
    "year_min": _year_min, "year_max": _year_max, "years_outside": _years_outside,
    "titles_shown": _titles_shown, "titles_not_shown": _titles_not_shown,
    "similar_to": _similar_to, "mentions": _mentions, "text_has": _text_has,
    "text_lacks": _text_lacks, "admits": _admits, "min_avg_rating": _min_avg_rating,
    "people_any": _people_any,
    "profile_liked": _profile("liked"), "profile_disliked": _profile("disliked"),
    "profile_seen": _profile("seen"),
}

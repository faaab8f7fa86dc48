"""Reflection: does the result answer the request? If not, say what to fix.

Two checks, both against the user's stated constraints as the deterministic slot extractor
reads them (the reference frame, grounded to the catalog):
- the RESULT: every item keeps the stated genres, exclusions and years; nothing seen,
  disliked, rejected or named as liked comes back; a recommendation is not empty;
- the PLAN: intent, years, genres and titles agree with the reference, and every title
  is in the catalog. A title the user stated must be in the plan; a genre or year nobody
  stated must not (small models copy values from their demonstrations). Extra titles are
  allowed: an LLM may resolve a description ("the one with the shark") to a title.
The problems read as advice for the re-plan. A planner that was shown the extractor's frame
as a draft (the tuned embedded planner) may overrule it: its result is reviewed against its
own frame (`Turn` passes that frame as the reference), so only the result checks remain.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from convrec.agent.frame import TITLE_SLOTS, RequestFrame
from convrec.agent.trace import RecommendedItem


@dataclass(frozen=True)
class Verdict:
    ok: bool
    problems: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Expectations:
    """What the result must respect: the reference frame plus ids that must not come back."""

    reference: RequestFrame
    forbidden_ids: Collection[int] = frozenset()
    unknown_titles: Sequence[str] = ()


def review(plan: RequestFrame, items: Sequence[RecommendedItem],
           expected: Expectations) -> Verdict:
    """Check a recommend-intent result; the problems read as advice for the planner."""
    problems = [*_plan_problems(plan, expected), *_item_problems(items, expected)]
    if plan.intent == "recommend" and not items:
        problems.append("the plan returned no items: relax a condition (fewer genres, a wider "
                        "year range, no query)")
    return Verdict(not problems, tuple(dict.fromkeys(problems)))


def _plan_problems(plan: RequestFrame, expected: Expectations) -> list[str]:
    ref = expected.reference
    problems = [f"'{t}' is not a title in the catalog; drop it or spell it as the user did"
                for t in expected.unknown_titles]
    if plan.intent != ref.intent:
        problems.append(f"the message is a {ref.intent} request; set intent to {ref.intent}")
    for name in ("year_min", "year_max"):
        want, got = getattr(ref, name), getattr(plan, name)
        if got != want:
            problems.append(f"set {name} to {want}" + (" (the user gave none)" if want is None
                                                        else " as the user said"))
    if plan.exclude_years != ref.exclude_years:
        problems.append(f"set exclude_years to {list(ref.exclude_years or []) or None}")
    for name in ("genres", "genres_any", "exclude_genres"):
        problems += _list_problems(name, getattr(ref, name), getattr(plan, name), extra=True)
    for name in TITLE_SLOTS:
        problems += _list_problems(name, getattr(ref, name), getattr(plan, name), extra=False)
    return problems


def _list_problems(name: str, want: list[str], got: list[str], extra: bool) -> list[str]:
    """Values the user stated that the plan lacks, and (if `extra`) values nobody stated."""
    have = {v.casefold() for v in got}
    stated = {v.casefold() for v in want}
    problems = [f"add {v!r} to {name}" for v in want if v.casefold() not in have]
    if extra:
        problems += [f"remove {v!r} from {name}: the user did not ask for it" for v in got
                     if v.casefold() not in stated]
    return problems


def _item_problems(items: Sequence[RecommendedItem], expected: Expectations) -> list[str]:
    return [problem for item in items for problem in violations(item, expected)]


def violations(item: RecommendedItem, expected: Expectations) -> list[str]:
    """What is wrong with one item: a stated constraint it breaks, or it may not come back."""
    ref = expected.reference
    problems = []
    if item.id in expected.forbidden_ids:
        problems.append(f"{item.label()} was already seen, rejected or named by the user")
    missing = [g for g in ref.genres if g not in item.genres]
    if missing:
        problems.append(f"{item.label()} is not {', '.join(missing)}, which the user asked for")
    banned = [g for g in ref.exclude_genres if g in item.genres]
    if banned:
        problems.append(f"{item.label()} is {', '.join(banned)}, which the user excluded")
    if ref.genres_any and not set(ref.genres_any) & set(item.genres):
        problems.append(f"{item.label()} is none of {' or '.join(ref.genres_any)}, which the "
                        "user asked for")
    if not _year_ok(item.year, ref.year_min, ref.year_max):
        problems.append(f"{item.label()} is outside the years {_range(ref)} the user asked for")
    if ref.exclude_years and item.year is not None and \
            ref.exclude_years[0] <= item.year <= ref.exclude_years[1]:
        problems.append(f"{item.label()} is from {ref.exclude_years[0]}-{ref.exclude_years[1]}, "
                        "which the user excluded")
    return problems


def _year_ok(year: int | None, low: int | None, high: int | None) -> bool:
    if low is None and high is None:
        return True
    if year is None:
        return False
    return (low is None or year >= low) and (high is None or year <= high)


def _range(frame: RequestFrame) -> str:
    return f"{frame.year_min or '...'}-{frame.year_max or '...'}"

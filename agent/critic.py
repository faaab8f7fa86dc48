"""Reflection: does the result answer the request? If not, say what to fix.

The critic judges the RESULT (the items), not the wording of the plan: the user's stated
constraints (the deterministic extractor's reference frame, grounded to catalog ids) must
hold on every item, nothing seen, disliked or rejected may come back, the result may not
be empty, and a plan may not name titles that are not in the catalog. Where the plan
contradicts the reference (a year range or genre the user did not state), that is said
too: small models copy values from their demonstrations.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from convrec.agent.frame import RequestFrame
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
    if ref.intent != plan.intent and ref.intent != "recommend":
        problems.append(f"the user's message is a {ref.intent} request, not {plan.intent}")
    if plan.intent == "chat" and ref.has_constraints():
        problems.append("the user asked for something; set intent to recommend or info")
    for name in ("year_min", "year_max"):
        want, got = getattr(ref, name), getattr(plan, name)
        if got is not None and want is not None and got != want:
            problems.append(f"{name} should be {want} as the user said, not {got}")
        if got is not None and want is None and (ref.year_min, ref.year_max) == (None, None):
            problems.append(f"the user gave no year; remove {name}={got}")
    unstated = [g for g in plan.genres if ref.genres and g not in ref.genres]
    if unstated:
        problems.append(f"the user did not ask for {', '.join(unstated)}; use genres "
                        f"{ref.genres}")
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
    if not _year_ok(item.year, ref.year_min, ref.year_max):
        problems.append(f"{item.label()} is outside the years {_range(ref)} the user asked for")
    return problems


def _year_ok(year: int | None, low: int | None, high: int | None) -> bool:
    if low is None and high is None:
        return True
    if year is None:
        return False
    return (low is None or year >= low) and (high is None or year <= high)


def _range(frame: RequestFrame) -> str:
    return f"{frame.year_min or '...'}-{frame.year_max or '...'}"

"""Frame accuracy: how many planner frames match the labeled ones, slot by slot.

Rules: list slots are compared as sets (titles by `search_key`, genres by name), years
exactly, `query` leniently (both None or both set; its wording is not graded), `intent`,
`popularity` and `refine` exactly. A frame is right when every slot is right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from convrec.agent.frame import FRAME_FIELDS, LIST_SLOTS, TITLE_SLOTS, RequestFrame
from convrec.recsys.titles import search_key


def slot_matches(name: str, predicted: RequestFrame, expected: RequestFrame) -> bool:
    """Is slot `name` of `predicted` right, by the rules above?"""
    got, want = getattr(predicted, name), getattr(expected, name)
    if name in TITLE_SLOTS:
        return {search_key(t) for t in got} == {search_key(t) for t in want}
    if name in LIST_SLOTS:
        return set(got) == set(want)
    if name == "query":
        return (got is None) == (want is None)
    return got == want


def wrong_slots(predicted: RequestFrame, expected: RequestFrame) -> list[str]:
    """The names of the slots `predicted` got wrong."""
    return [name for name in FRAME_FIELDS if not slot_matches(name, predicted, expected)]


@dataclass
class FrameScore:
    """Per-slot and all-slots accuracy over a set of (predicted, expected) frames."""

    n: int
    all_slots: float
    per_slot: dict[str, float]
    failures: list[tuple[int, list[str]]] = field(default_factory=list)  # (index, wrong slots)

    def table(self) -> str:
        """A plain-text table, one slot per line."""
        lines = [f"{'all slots':<16}{self.all_slots:7.1%}  (n={self.n})"]
        lines += [f"{name:<16}{value:7.1%}" for name, value in self.per_slot.items()]
        return "\n".join(lines)


def score_frames(predicted: Sequence[RequestFrame],
                 expected: Sequence[RequestFrame]) -> FrameScore:
    """Score aligned lists of predicted and expected frames."""
    if len(predicted) != len(expected):
        raise ValueError(f"got {len(predicted)} predicted frames for {len(expected)} expected "
                         "ones; pass one prediction per labeled example, in order")
    if not expected:
        raise ValueError("no frames to score; the labeled set is empty")
    failures = [(i, wrong) for i, (p, e) in enumerate(zip(predicted, expected))
                if (wrong := wrong_slots(p, e))]
    wrong_count = {name: 0 for name in FRAME_FIELDS}
    for _, wrong in failures:
        for name in wrong:
            wrong_count[name] += 1
    n = len(expected)
    return FrameScore(n=n, all_slots=1 - len(failures) / n,
                      per_slot={k: 1 - v / n for k, v in wrong_count.items()},
                      failures=failures)

"""The conversation benchmark (`convrec bench talk`, docs/talk_bench.md).

Labeled multi-turn cases, one JSON object a line, shipped in `convrec.eval` as
data/talk_<set>.jsonl: `dev` (read and tuned on) and `test` (held out). Each case runs
through the public API (`RecAgent.chat`, a fresh session per case, `RecAgent.profile` for
profile checks); a case is right when every check of every turn holds
(`convrec.eval.talk_checks`). Results are reported per category.
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from convrec.agent.core import RecAgent
from convrec.agent.trace import RecommendedItem
from convrec.eval.talk_cases import (
    CATEGORIES,
    TalkCase,
    Titles,
    load_set,
    select,
    set_name,
)
from convrec.eval.talk_checks import Facts, Seen, judge

log = logging.getLogger(__name__)


# --- running ---------------------------------------------------------------------------------

@dataclass
class TurnRecord:
    """One turn of a transcript and the checks of it that failed."""

    user: str
    text: str
    items: list[dict[str, Any]]
    act: str | None
    seconds: float
    failed: list[tuple[str, str]] = field(default_factory=list)  # (check key, reason)


@dataclass
class CaseResult:
    case: TalkCase
    turns: list[TurnRecord] = field(default_factory=list)
    error: str | None = None  # the agent raised; the case is wrong

    @property
    def right(self) -> bool:
        return self.error is None and not any(turn.failed for turn in self.turns)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.case.id, "category": self.case.category, "right": self.right,
                "error": self.error,
                "failed": [{"turn": n, "check": key, "reason": reason}
                           for n, turn in enumerate(self.turns, 1)
                           for key, reason in turn.failed],
                "transcript": [{"user": t.user, "text": t.text, "items": t.items,
                                "act": t.act, "seconds": round(t.seconds, 4)}
                               for t in self.turns]}


def run_case(agent: RecAgent, case: TalkCase, facts: Facts) -> CaseResult:
    """Chat the case's turns in a fresh session and judge each turn's checks."""
    session = f"talk-{uuid.uuid4().hex}"
    result = CaseResult(case)
    previous: tuple[RecommendedItem, ...] | None = None
    for n, turn in enumerate(case.turns, 1):
        start = time.perf_counter()
        try:
            reply = agent.chat(turn.user, session)
        except Exception as exc:  # recorded, so one broken case does not end the run
            log.exception("case %s turn %d raised", case.id, n)
            result.error = f"turn {n} raised {type(exc).__name__}: {exc}"
            return result
        seconds = time.perf_counter() - start
        record = TurnRecord(turn.user, reply.text,
                            [{"id": i.id, "title": i.title, "year": i.year} for i in reply.items],
                            reply.trace.act, seconds)
        if turn.expect:
            seen = Seen(reply, previous, lambda: agent.profile(session), facts)
            record.failed = judge(turn.expect, seen)
        result.turns.append(record)
        previous = reply.items
    return result


@dataclass
class SetResult:
    name: str
    cases: list[CaseResult]

    @property
    def turn_seconds(self) -> list[float]:
        return [turn.seconds for case in self.cases for turn in case.turns]

    @property
    def p50_seconds(self) -> float | None:
        seconds = self.turn_seconds
        return statistics.median(seconds) if seconds else None

    @property
    def p95_seconds(self) -> float | None:
        ordered = sorted(self.turn_seconds)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else None

    def by_category(self) -> dict[str, tuple[int, int]]:
        """category -> (cases, right), in the spec's order of categories."""
        counts = {c: [0, 0] for c in CATEGORIES}
        for case in self.cases:
            counts[case.case.category][0] += 1
            counts[case.case.category][1] += case.right
        return {c: (n, right) for c, (n, right) in counts.items() if n}

    def summary(self) -> dict[str, Any]:
        right = sum(case.right for case in self.cases)
        return {"cases": len(self.cases), "right": right,
                "share": right / len(self.cases) if self.cases else None,
                "errors": sum(case.error is not None for case in self.cases),
                "categories": {c: {"cases": n, "right": r}
                               for c, (n, r) in self.by_category().items()},
                "turns": len(self.turn_seconds),
                "p50_seconds": self.p50_seconds, "p95_seconds": self.p95_seconds}


def run_set(agent: RecAgent, name: str, cases: Sequence[TalkCase], facts: Facts) -> SetResult:
    return SetResult(name, [run_case(agent, case, facts) for case in cases])


def run(home: Path, dataset: str, agent_options: dict[str, Any] | str, sets: Sequence[str],
        categories: Sequence[str] | None = None, limit: int | None = None,
        progress: Callable[[str], None] = lambda note: None) -> list[SetResult]:
    """Load and validate every set, build one agent (sessions in a throwaway store), run.

    agent_options: `build_agent` keyword arguments (e.g. {"llm": "embedded"}), or an LLM spec.
    """
    from convrec.agent.assemble import build_agent
    from convrec.recsys.fetch import open_catalog

    catalog = open_catalog(home, dataset)
    try:
        titles = Titles(catalog)
        loaded = {name: select(load_set(name, titles, catalog.genres, catalog.people),
                               categories, limit) for name in sets}
    finally:
        catalog.close()
    with tempfile.TemporaryDirectory(prefix="convrec-talk-") as folder:
        options = {"llm": agent_options} if isinstance(agent_options, str) else agent_options
        agent = build_agent(home, dataset=dataset, store=Path(folder) / "sessions.sqlite",
                            **options)
        try:
            facts = Facts.for_agent(agent, home, dataset)
            results = []
            for name, cases in loaded.items():
                progress(f"talk set {set_name(name)}: {len(cases)} cases")
                results.append(run_set(agent, set_name(name), cases, facts))
            return results
        finally:
            agent.store.close()


# --- reporting -------------------------------------------------------------------------------

def report(result: SetResult, failures: int = 0) -> str:
    """The table of one set (category, cases, right, share; overall; p50/p95 per turn) and,
    optionally, the first `failures` wrong cases with their transcript."""
    summary = result.summary()
    lines = [f"== talk set {result.name}",
             f"{'category':<16}{'cases':>6}{'right':>7}{'share':>8}"]
    rows = [*result.by_category().items(), ("overall", (summary["cases"], summary["right"]))]
    for category, (n, right) in rows:
        share = f"{100 * right / n:7.1f}%" if n else "       -"
        lines.append(f"{category:<16}{n:>6}{right:>7}{share}")
    if summary["turns"]:
        lines.append(f"{'per turn':<16}p50 {result.p50_seconds:.3f} s, "
                     f"p95 {result.p95_seconds:.3f} s ({summary['turns']} turns)")
    if summary["errors"]:
        lines.append(f"{summary['errors']} case(s) stopped on an error (counted wrong)")
    wrong = [case for case in result.cases if not case.right]
    for case in wrong[:failures]:
        lines += failure_lines(case)
    return "\n".join(lines)


def failure_lines(case: CaseResult) -> list[str]:
    """A wrong case: its transcript, each failed check under the turn it belongs to."""
    lines = [f"-- {case.case.id} [{case.case.category}]"]
    for n, turn in enumerate(case.turns, 1):
        lines.append(f"  {n} user> {turn.user}")
        text = turn.text.strip().splitlines() or [""]
        lines.append(f"    agent [{turn.act}]> {text[0]}")
        lines += [f"      {line}" for line in text[1:]]
        if turn.items:
            lines.append("    items: " + "; ".join(
                f"{i['title']} ({i['year']})" if i["year"] else i["title"] for i in turn.items))
        lines += [f"    FAILED {key}: {reason}" for key, reason in turn.failed]
    if case.error:
        lines.append(f"  ERROR {case.error}")
    return lines


def to_json(results: Sequence[SetResult], llm: str) -> dict[str, Any]:
    return {"llm": llm, "sets": {r.name: {"summary": r.summary(),
                                          "cases": [c.to_dict() for c in r.cases]}
                                 for r in results}}

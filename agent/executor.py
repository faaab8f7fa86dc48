"""Runs a plan over the candidate bus, one traced step per tool call.

A tool that fails with `ToolError` (the model got something wrong, or nothing satisfies a
condition) is recorded and the plan stops there: later steps build on the failed one, so
the turn has no result and the critic asks for a re-plan. Any other exception is our bug
and propagates.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from convrec.agent.compiler import PlanStep
from convrec.agent.trace import ToolStep
from convrec.memory.bus import CandidateBus
from convrec.tools.base import ToolError, ToolResult
from convrec.tools.toolkit import Toolkit


@dataclass
class Execution:
    """What running a plan left behind: the bus and each tool's result by name."""

    bus: CandidateBus
    results: dict[str, ToolResult] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def execute(toolkit: Toolkit, plan: Sequence[PlanStep], bus: CandidateBus,
            attempt: int) -> Iterator[ToolStep | Execution]:
    """Yield a ToolStep per call, then the Execution."""
    execution = Execution(bus)
    for step in plan:
        n_in = len(bus)
        started = time.perf_counter()
        try:
            result = toolkit.run(step.tool, step.args, bus)
        except ToolError as exc:
            execution.errors.append(f"{step.tool}: {exc}")
            yield ToolStep(attempt, step.tool, step.args, n_in, len(bus),
                           time.perf_counter() - started, "", error=str(exc))
            break
        execution.results[step.tool] = result
        yield ToolStep(attempt, step.tool, step.args, n_in, len(bus),
                       time.perf_counter() - started, result.content)
    yield execution

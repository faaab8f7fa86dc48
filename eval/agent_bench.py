"""`convrec bench agent` and the LLM modes of `convrec bench planner`.

Planner modes, all scored on the same labeled sets:
- deterministic: the slot extractor alone;
- llm: one structured LLM call per message (what the model itself gets right);
- agent: the whole planning loop (LLM, critic, bounded re-plans, fallback) -- the frame
  the agent actually executes, with the share of turns that re-planned or fell back.
"""

from __future__ import annotations

import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from convrec.agent.assemble import build_agent
from convrec.agent.compiler import ground
from convrec.agent.core import RecAgent
from convrec.agent.frame import RequestFrame, merge_frames
from convrec.agent.planner import PlanRequest
from convrec.agent.turn import Turn, TurnInput
from convrec.eval.planner_bench import LabeledRequest, Plan


@dataclass
class LoopCounts:
    turns: int = 0
    replanned: int = 0
    fell_back: int = 0

    def line(self) -> str:
        n = max(1, self.turns)
        return (f"turns {self.turns}: re-planned {self.replanned / n:.0%}, "
                f"fell back {self.fell_back / n:.0%}")


def llm_plan(agent: RecAgent) -> Plan:
    """One LLM call per message, titles grounded to the catalog (no critic, no fallback)."""
    parts = agent.parts
    if parts.planner is None:
        raise ValueError("this agent has no LLM planner; use --planner deterministic")

    def plan(message: str, previous: RequestFrame | None) -> RequestFrame:
        try:
            request = PlanRequest(message, parts.read(message, previous), previous)
            frame = merge_frames(previous, parts.planner.plan(request))
        except ValueError:
            return RequestFrame(intent="chat")  # counted wrong, as an unusable answer is
        named = {*frame.people, *frame.exclude_people}  # the sets label names as read
        return ground(frame, parts.match_title, named).frame

    return plan


def loop_plan(agent: RecAgent, counts: LoopCounts) -> Plan:
    """The frame the agent executes after its planning loop, counting re-plans/fallbacks."""

    def plan(message: str, previous: RequestFrame | None) -> RequestFrame:
        given = TurnInput(message, previous, frozenset(), (), (), 5)
        turn = Turn(agent.parts, given, deadline=time.monotonic() + agent.deadline_seconds)
        steps = list(turn.run())
        plans = [s for s in steps if s.kind == "plan"]
        counts.turns += 1
        counts.replanned += len(plans) > 1
        counts.fell_back += any(p.source == "fallback" for p in plans)
        return turn.final.grounded.frame if turn.final else RequestFrame(intent="chat")

    return plan


@dataclass
class AgentBench:
    llm: str
    build_seconds: float
    first_turn_seconds: float
    turn_seconds: list[float]
    replans: int
    fallbacks: int
    peak_rss_mb: float

    def report(self) -> str:
        ordered = sorted(self.turn_seconds)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        n = len(self.turn_seconds)
        return "\n".join([
            f"== agent ({self.llm})",
            f"cold start      {self.build_seconds + self.first_turn_seconds:6.2f} s "
            f"(build {self.build_seconds:.2f} s + first turn {self.first_turn_seconds:.2f} s)",
            f"turn p50        {statistics.median(ordered):6.3f} s over {n} turns",
            f"turn p95        {p95:6.3f} s",
            f"re-planned      {self.replans / n:6.0%} of turns",
            f"fell back       {self.fallbacks / n:6.0%} of turns",
            f"peak memory     {self.peak_rss_mb:6.0f} MB (max RSS of this process)",
        ])


def run_agent_bench(home: Path, llm: str, examples: list[LabeledRequest],
                    turns: int = 30) -> AgentBench:
    """Cold start, then `turns` single-turn sessions from the labeled messages."""
    started = time.perf_counter()
    agent = build_agent(home, llm=llm, profiles_path=home / "bench-profiles.sqlite")
    built = time.perf_counter() - started
    started = time.perf_counter()
    agent.chat("hello, some good comedies please", "bench-cold")
    first = time.perf_counter() - started
    seconds, replans, fallbacks = [], 0, 0
    for index, example in enumerate(examples[:turns]):
        session = f"bench-{index}"
        agent.reset(session)
        started = time.perf_counter()
        reply = agent.chat(example.message, session)
        seconds.append(time.perf_counter() - started)
        replans += reply.trace.replans > 0
        fallbacks += reply.trace.fell_back
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return AgentBench(llm, built, first, seconds, replans, fallbacks, peak)

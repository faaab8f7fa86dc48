"""`convrec bench agent --sessions N --threads T`: many sessions at once, per store, side by side.

Each session is a short conversation (a dev-set request, then refinements) run turn after
turn; T threads run sessions at once. Every store gets the same agent parts and the same
conversations, after one untimed pass that warms the agent's caches. The table gives turns
per second, turn latency p50/p95, and the part of a turn spent in the store (lock, load,
save).
"""

from __future__ import annotations

import itertools
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from convrec.agent.assemble import build_agent
from convrec.agent.core import MEMORY_DOWN_NOTE, RecAgent
from convrec.memory.pg_cluster import TemporaryCluster
from convrec.memory.profile_model import ProfileUpdate, UserProfile
from convrec.memory.store import OpenTurn, SessionState, Store, open_store

FOLLOW_UPS = ("something older", "more", "any comedies instead?")
TEMPORARY_POSTGRES = "postgresql-temp"


class TimedStore:
    """A store that notes how long each turn spends in it (lock + load, and save)."""

    def __init__(self, store: Store) -> None:
        self.store, self.location = store, store.location
        self.seconds: list[float] = []

    @contextmanager
    def turn(self, session_id: str) -> Iterator[OpenTurn]:
        started = time.perf_counter()
        with self.store.turn(session_id) as opened:
            spent = [time.perf_counter() - started]

            def save(state: SessionState, update: ProfileUpdate) -> UserProfile:
                started = time.perf_counter()
                try:
                    return opened.save(state, update)
                finally:
                    spent.append(time.perf_counter() - started)

            yield OpenTurn(session_id, opened.profile, opened.state, save)
        self.seconds.append(sum(spent))

    def __getattr__(self, name: str):
        return getattr(self.store, name)


@dataclass
class StoreRun:
    label: str
    wall_seconds: float
    turn_seconds: list[float]
    store_seconds: list[float]
    without_memory: int

    def row(self) -> str:
        n = len(self.turn_seconds)
        return (f"{self.label:<24} {n:>6} {n / self.wall_seconds:>8.1f} "
                f"{ms(_p50(self.turn_seconds)):>8.1f} {ms(_p95(self.turn_seconds)):>8.1f} "
                f"{ms(_p50(self.store_seconds)):>9.2f} {ms(_p95(self.store_seconds)):>9.2f} "
                f"{self.without_memory:>6}")


def ms(seconds: float) -> float:
    return 1000 * seconds


def _p50(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] \
        if ordered else float("nan")


@dataclass
class SessionsBench:
    llm: str
    sessions: int
    threads: int
    turns: int
    runs: list[StoreRun]

    def report(self) -> str:
        lines = [f"== agent sessions ({self.llm}): {self.sessions} sessions x {self.turns} "
                 f"turns, {self.threads} threads",
                 f"{'store':<24} {'turns':>6} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
                 f"{'store p50':>9} {'store p95':>9} {'no mem':>6}"]
        lines += [run.row() for run in self.runs]
        base = self.runs[0]
        for run in self.runs[1:]:
            lines.append(f"{run.label} vs {base.label}: turn p50 "
                         f"{ms(_p50(run.turn_seconds) - _p50(base.turn_seconds)):+.1f} ms, "
                         f"store p50 {ms(_p50(run.store_seconds) - _p50(base.store_seconds)):+.2f}"
                         " ms")
        return "\n".join(lines)


def conversations(requests: Sequence[str], sessions: int, turns: int) -> list[list[str]]:
    """Per session: a request, then follow-ups that lean on the session's state."""
    return [[requests[k % len(requests)], *itertools.islice(itertools.cycle(FOLLOW_UPS),
                                                            turns - 1)]
            for k in range(sessions)]


def run_store(agent: RecAgent, store: Store, label: str, plan: list[list[str]],
              threads: int) -> StoreRun:
    timed = TimedStore(store)
    served = RecAgent(agent.parts, timed, agent.llm_name, agent.deadline_seconds)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    served.chat("some comedies please", f"{prefix}-warm")
    timed.seconds.clear()
    turn_seconds: list[float] = []
    down = [0]

    def converse(k: int) -> None:
        for message in plan[k]:
            started = time.perf_counter()
            reply = served.chat(message, f"{prefix}-{k}")
            turn_seconds.append(time.perf_counter() - started)
            down[0] += MEMORY_DOWN_NOTE in reply.text

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(converse, range(len(plan))))
    wall = time.perf_counter() - started
    return StoreRun(label, wall, turn_seconds, list(timed.seconds), down[0])


def run_sessions_bench(home: Path, llm: str, requests: Sequence[str], stores: Sequence[str],
                       sessions: int = 32, threads: int = 8, turns: int = 4) -> SessionsBench:
    """The same conversations on each store; `stores`: "sqlite" (a new temporary file),
    "postgresql-temp" (a throwaway server on loopback), or any store path or URL."""
    if sessions < 1 or threads < 1 or turns < 1:
        raise ValueError("--sessions, --threads and --turns-per-session must be at least 1")
    plan = conversations(requests, sessions, turns)
    runs = []
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="convrec-bench-")))
        opened = []
        for spec in stores:
            if spec == "sqlite":
                opened.append(("sqlite", open_store(folder / f"{len(opened)}.sqlite")))
            elif spec == TEMPORARY_POSTGRES:
                cluster = stack.enter_context(TemporaryCluster())
                opened.append(("postgresql (loopback)", open_store(cluster.url("bench"))))
            else:
                store = open_store(spec)
                opened.append((store.location[:24], store))
            stack.callback(opened[-1][1].close)
        agent = build_agent(home, llm=llm, store=opened[0][1])
        with open_store(folder / "warm-up.sqlite") as warm:  # caches filled for every store
            run_store(agent, warm, "warm-up", plan, threads)
        for label, store in opened:
            runs.append(run_store(agent, store, label, plan, threads))
    return SessionsBench(llm, sessions, threads, turns, runs)

"""Run simulated sessions against each method and keep one record per finished session.

One session: the user opens; the method gets the user's past (history "given", the
`set_history` protocol) or none (history "stated": the user names its recent titles in its
first message; a baseline, which cannot read, gets those titles as its history); each turn
the method shows its top `top` items; the session ends when the target is shown (success
at that turn) or after `max_turns`. Between turns the user dislikes every shown item that
is not the target (through the method's feedback API) and says so in its next message.
A stated session's record is named "<method>:stated".
"""

from __future__ import annotations

import logging
import resource
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from convrec.eval.methods import Method, Shown
from convrec.eval.simulator import SimulatedUser, UserFacts, UserTurn
from convrec.eval.store import RunFolder

log = logging.getLogger(__name__)

History = Literal["given", "stated"]
HISTORIES: tuple[History, ...] = ("given", "stated")


@dataclass(frozen=True)
class EvalConfig:
    """The protocol's knobs (the defaults are the issue's: 5 turns, top 5)."""

    users: int = 200
    seed: int = 0
    max_turns: int = 5
    top: int = 5
    user_llm: str | None = None
    dataset: str = "movielens-100k"
    histories: tuple[History, ...] = HISTORIES
    target: str = "test"  # "valid": the validation protocol (choose settings on it)

    def __post_init__(self) -> None:
        if self.users < 1 or self.max_turns < 1 or self.top < 1:
            raise ValueError("--users, --max-turns and --top must be at least 1")
        wrong = [h for h in self.histories if h not in HISTORIES]
        if wrong or not self.histories:
            raise ValueError(f"--history takes {', '.join(HISTORIES)} (comma-separated), got "
                             f"{','.join(self.histories) or 'nothing'}")
        if self.target not in ("test", "valid"):
            raise ValueError(f"--target is test or valid, got {self.target!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def session_id(method: str, user: int) -> str:
    return f"eval-{method.replace(':', '-')}-{user}"


def label(method: str, history: History) -> str:
    """The name a method's sessions are recorded under in one history mode."""
    return method if history == "given" else f"{method}:stated"


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_session(method: Method, user: SimulatedUser, config: EvalConfig,
                history: History = "given") -> dict[str, Any]:
    """Play one session to success or `max_turns`; returns its record (see module doc)."""
    facts = user.facts
    name = label(method.name, history)
    sid = session_id(name, facts.user_id)
    said = user.opening()
    if history == "given":
        method.start(sid, facts.history)
    else:
        method.start(sid, () if method.reads_messages else user.stated_ids)
    turns: list[dict[str, Any]] = []
    success: int | None = None
    try:
        for turn in range(1, config.max_turns + 1):
            shown, seconds, error = _respond(method, sid, said.message, config.top)
            hit = facts.target.id in shown.ids
            turns.append(_turn_record(turn, said, shown, seconds, error, facts.target.id))
            if hit:
                success = turn
                break
            if turn == config.max_turns:
                break
            said = user.react(shown.ids, shown.titles)
            for item in said.dislikes:
                method.feedback(sid, item, "dislike")
    finally:
        method.finish(sid)
    return {"method": name, "history": history, "user": facts.user_id, "session_id": sid,
            "target": {"id": facts.target.id, "title": facts.target.label(),
                       "genres": list(facts.target.genres)},
            "history_len": len(facts.history), "stated": list(user.stated_ids),
            "success_turn": success, "turns": turns,
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def _respond(method: Method, sid: str, message: str, top: int) -> tuple[Shown, float, str | None]:
    start = time.perf_counter()
    try:
        shown = method.respond(sid, message, top)
        error = None
    except Exception as exc:  # the method's failure is a measured outcome, not the end of the run
        log.warning("%s failed on %r: %s", method.name, message, exc, exc_info=True)
        shown, error = Shown((), ()), f"{type(exc).__name__}: {exc}"
    return shown, time.perf_counter() - start, error


def _turn_record(turn: int, said: UserTurn, shown: Shown, seconds: float, error: str | None,
                 target: int) -> dict[str, Any]:
    rank = shown.ids.index(target) + 1 if target in shown.ids else None
    return {"turn": turn, "message": said.message, "intent": said.intent,
            "guard_rejections": said.guard_rejections, "disliked_before": list(said.dislikes),
            "shown": list(shown.ids), "titles": list(shown.titles), "hit": rank is not None,
            "rank": rank, "seconds": round(seconds, 4), "replans": shown.replans,
            "fell_back": shown.fell_back, "error": error, "reply": shown.text,
            "plan": shown.plan}


def run_methods(
    methods: Sequence[str],
    build: Callable[[str], Method],
    people: Sequence[UserFacts],
    make_user: Callable[[UserFacts, History], SimulatedUser],
    config: EvalConfig,
    folder: RunFolder,
    progress: Callable[[Iterable[Any], int, int], Iterable[Any]] | None = None,
) -> list[dict[str, Any]]:
    """Run every (method, history, user) session not yet in `folder`, appending each as it
    ends.

    `build(name)` is called only for methods with sessions left. `progress(iterable, total,
    done)` may wrap the work (a progress bar). Returns all records of the run.
    """
    done = folder.done()
    todo = [(m, h, p) for m in methods for h in config.histories for p in people
            if (label(m, h), p.user_id) not in done]
    total = len(methods) * len(config.histories) * len(people)
    work: Iterable[tuple[str, History, UserFacts]] = todo
    if progress is not None:
        work = progress(todo, total, total - len(todo))
    current: Method | None = None
    for name, history, person in work:
        if current is None or current.name != name:
            current = None  # let the previous method (an agent, a model) be freed first
            current = build(name)
        folder.append(run_session(current, make_user(person, history), config, history))
    return folder.records()


def labels(methods: Sequence[str], config: EvalConfig) -> list[str]:
    """Every recorded method name of a run, method by method, given before stated."""
    return [label(m, h) for m in methods for h in config.histories]

"""What is evaluated: the agent (with one LLM backend) or a plain recommender baseline.

Names: "pop" and "sasrec" (a recommender ranking from the user's history alone, no
dialogue), "agent-deterministic" (the agent without an LLM), "agent-embedded" (the
embedded model) and "agent-<llm spec>" for any other backend ("agent-openai:gpt-4o-mini").

A baseline cannot read messages, but it does get the user's "dislike" clicks like any
recommender behind the same UI: each turn it shows its next top-n, without the rejected
items. So its Hit@T is the hit rate of its top T*n list.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from convrec.recsys.catalog import Catalog
from convrec.recsys.protocol import Recommender, UserContext

log = logging.getLogger(__name__)

BASELINES = ("pop", "sasrec")
AGENT_PREFIX = "agent-"
UNTUNED = "agent-embedded-untuned"  # the embedded model without the planner adapter
MAX_REPLY_CHARS = 600
WARM_UP_MESSAGES = ("any good comedies from the 90s?", "I liked Star Wars, more like that.")


@dataclass(frozen=True)
class Shown:
    """What a method showed in one turn."""

    ids: tuple[int, ...]
    titles: tuple[str, ...]
    text: str = ""
    replans: int = 0
    fell_back: bool = False
    plan: list[dict[str, Any]] = field(default_factory=list)


class Method(Protocol):
    """One evaluated recommender; sessions are independent and named by the caller."""

    name: str
    reads_messages: bool  # an agent; a baseline cannot read what the user says

    def start(self, session_id: str, history: Sequence[int]) -> None: ...

    def respond(self, session_id: str, message: str, n: int) -> Shown: ...

    def feedback(self, session_id: str, item_id: int, kind: str) -> None: ...

    def finish(self, session_id: str) -> None: ...


class AgentLike(Protocol):
    """The part of RecAgent's public interface the evaluation uses."""

    def chat(self, message: str, session_id: str = "default", n: int = 5) -> Any: ...

    def feedback(self, session_id: str, item_id: int, kind: str) -> Any: ...

    def reset(self, session_id: str) -> None: ...

    def set_history(self, session_id: str, item_ids: Sequence[int]) -> None: ...


@dataclass
class AgentMethod:
    """The conversational agent: reads every message, gets every dislike."""

    name: str
    agent: AgentLike
    reads_messages: bool = True

    def start(self, session_id: str, history: Sequence[int]) -> None:
        self.agent.reset(session_id)  # a resumed run may have left a half-done profile
        if len(history):
            self.agent.set_history(session_id, [int(i) for i in history])

    def respond(self, session_id: str, message: str, n: int) -> Shown:
        reply = self.agent.chat(message, session_id=session_id, n=n)
        items = tuple(reply.items)[:n]
        trace = reply.trace
        return Shown(tuple(int(i.id) for i in items), tuple(i.label() for i in items),
                     reply.text[:MAX_REPLY_CHARS], int(trace.replans), bool(trace.fell_back),
                     _plan_summary(trace))

    def feedback(self, session_id: str, item_id: int, kind: str) -> None:
        self.agent.feedback(session_id, item_id, kind)

    def finish(self, session_id: str) -> None:
        self.agent.reset(session_id)


def _plan_summary(trace: Any) -> list[dict[str, Any]]:
    """The frames the planner wrote and the tools that ran, small enough to keep per turn."""
    summary: list[dict[str, Any]] = []
    for step in getattr(trace, "steps", ()):
        kind = getattr(step, "kind", "")
        if kind == "plan":
            summary.append({"plan": step.source, "frame": step.frame, "error": step.error})
        elif kind == "tool":
            summary.append({"tool": step.tool, "args": step.args, "n_in": step.n_in,
                            "n_out": step.n_out, "error": step.error})
        elif kind == "critic":
            summary.append({"critic": step.ok, "problems": list(step.problems)})
    return summary


@dataclass
class RecommenderMethod:
    """A recommender ranking from the session's history; dislikes are never shown again."""

    name: str
    model: Recommender
    catalog: Catalog
    reads_messages: bool = False
    _history: dict[str, list[int]] = field(default_factory=dict)
    _disliked: dict[str, set[int]] = field(default_factory=dict)

    def start(self, session_id: str, history: Sequence[int]) -> None:
        self._history[session_id] = [int(i) for i in history]
        self._disliked[session_id] = set()

    def respond(self, session_id: str, message: str, n: int) -> Shown:
        context = UserContext(sequence=self._history[session_id])
        ids, _ = self.model.recommend(context, N=n,
                                      filter_items=sorted(self._disliked[session_id]) or None)
        ids = tuple(int(i) for i in ids if i >= 0)
        return Shown(ids, tuple(item.label() for item in self.catalog.items(ids)))

    def feedback(self, session_id: str, item_id: int, kind: str) -> None:
        if kind in ("dislike", "seen"):
            self._disliked[session_id].add(int(item_id))

    def finish(self, session_id: str) -> None:
        self._history.pop(session_id, None)
        self._disliked.pop(session_id, None)


def check_method_names(names: Sequence[str]) -> list[str]:
    """The names, validated; a wrong one raises a ValueError that lists the choices."""
    for name in names:
        if name not in BASELINES and not (name.startswith(AGENT_PREFIX) and
                                          len(name) > len(AGENT_PREFIX)):
            raise ValueError(f"unknown method {name!r}: choose among pop, sasrec, "
                             f"agent-deterministic, agent-embedded, {UNTUNED}, "
                             "agent-<llm spec>")
    return list(dict.fromkeys(names))


def build_method(name: str, home: Path, dataset: str, catalog: Catalog) -> Method:
    """Load (or train) what `name` needs; agents come from `RecAgent.default`."""
    if name in BASELINES:
        from convrec.recsys.train import load_or_train

        return RecommenderMethod(name, load_or_train(name, home, dataset), catalog)
    from convrec.agent.core import RecAgent

    start = time.perf_counter()
    if name == UNTUNED:
        agent = RecAgent.default(home=home, llm="embedded", dataset=dataset,
                                 planner_adapter="none")
    else:
        agent = RecAgent.default(home=home, llm=name[len(AGENT_PREFIX):], dataset=dataset)
    warm_up(agent)
    log.info("agent %s (LLM backend %s) loaded and warmed up in %.1fs", name,
             getattr(agent, "llm_name", "?"), time.perf_counter() - start)
    return AgentMethod(name, agent)


def warm_up(agent: AgentLike) -> None:
    """One throwaway turn, so that lazy loading is not counted as the first turn's latency."""
    session = "eval-warm-up"
    agent.reset(session)
    agent.set_history(session, [0])
    for message in WARM_UP_MESSAGES:
        agent.chat(message, session_id=session, n=5)
    agent.reset(session)

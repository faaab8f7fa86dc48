"""The stream adapter: a turn's trace steps, as they arrive, become chat messages.

`RecAgent.stream` yields typed steps (plan, tool, critic, reply). `turn_updates` turns them
into Gradio "messages" dicts: the reply text, then a collapsed "How I got this" thought in
words a person reads, with the raw steps one level deeper. Each update is the whole list of
assistant messages of the turn so far, so the chat can be redrawn after every step. Errors
become a readable chat message here, at the UI boundary, never a stack trace.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from convrec.agent.inputs import MAX_MESSAGE_CHARS
from convrec.agent.trace import (
    CriticStep,
    PlanningStep,
    RecommendedItem,
    ReplyStep,
    Step,
    ToolStep,
    Trace,
    summarize,
)

log = logging.getLogger(__name__)

Message = dict[str, Any]
INFO_ACTS = ("info", "compare")  # acts whose items are what was asked about, not picks

MAX_TOOL_CONTENT_CHARS = 600
MAX_ERROR_CHARS = 300


@dataclass(frozen=True)
class TurnUpdate:
    """The assistant's messages of the turn so far and, once the reply came, its items."""

    messages: list[Message]
    items: tuple[RecommendedItem, ...] = ()
    done: bool = False
    act: str | None = None  # the dialogue act answered ("recommend", "info", ...)

    @property
    def picks(self) -> bool:
        """Are the items picks (cards that replace the last ones), not items asked about?"""
        return bool(self.items) and self.act not in INFO_ACTS


def check_message(message: str) -> str | None:
    """Why a user message cannot be sent as is, or None when it is fine."""
    if not message.strip():
        return "Your message is empty. Tell me what you would like (see the examples)."
    if len(message) > MAX_MESSAGE_CHARS:
        return (f"Your message is {len(message):,} characters long; please keep it under "
                f"{MAX_MESSAGE_CHARS:,} characters and say what you would like.")
    return None


def error_text(exc: BaseException) -> str:
    """A one-line, user-readable description of a backend failure (no traceback)."""
    detail = " ".join(str(exc).split())[:MAX_ERROR_CHARS] or type(exc).__name__
    return (f"Sorry, something went wrong while answering ({type(exc).__name__}: {detail}). "
            "Your profile is unchanged; please try again or rephrase.")


def turn_updates(steps: Iterable[Step], turn: int = 0) -> Iterator[TurnUpdate]:
    """Render a streamed turn; yields an update after every step (and one on failure).

    While steps arrive: an open "Working on it" thought with the summary so far. Once the
    reply came: the reply first, then a collapsed "How I got this" thought (the summary),
    holding a collapsed "Details for developers" thought with each raw step. `turn` keeps
    message ids unique across the turns of one chat.
    """
    ids = (f"trace-{turn}", f"details-{turn}")
    seen: list[Step] = []
    started = time.perf_counter()
    reply: ReplyStep | None = None
    try:
        for step in steps:  # drained to the end: the agent saves the turn after its last yield
            if isinstance(step, ReplyStep):
                reply = step
                continue
            if reply is not None:
                continue
            seen.append(step)
            yield TurnUpdate(_trace(ids, seen, started, done=False))
    except Exception as exc:  # the UI boundary: show it, log it, keep the app alive
        log.exception("the agent failed during a turn")
        failed = {"role": "assistant", "content": error_text(exc)}
        yield TurnUpdate([failed, *_trace(ids, seen, started, done=True)], done=True)
        return
    if reply is None:
        missing = {"role": "assistant",
                   "content": "Sorry, the agent stopped without an answer; please try again."}
        yield TurnUpdate([missing, *_trace(ids, seen, started, done=True)], done=True)
        return
    act = Trace(list(seen)).act
    text = bubble_text(reply.text, reply.items if act not in INFO_ACTS else ())
    yield TurnUpdate([{"role": "assistant", "content": text},
                      *_trace(ids, seen, started, done=True)],
                     tuple(reply.items), done=True, act=act)


def bubble_text(text: str, items: Sequence[RecommendedItem]) -> str:
    """The reply without its numbered list of `items` (the cards carry them)."""
    listed = tuple(f"{n}. {item.label()}" for n, item in enumerate(items, 1))
    kept = [line for line in text.strip().splitlines() if not (listed and line.startswith(listed))]
    return "\n".join(kept).strip() or "Here is what I found."


def _trace(ids: tuple[str, str], steps: list[Step], started: float, done: bool
           ) -> list[Message]:
    """The summary thought, its details thought, and the raw steps under the details."""
    top, details = ids
    summary = "\n".join(f"- {line}" for line in summarize(steps)) or "- Reading your message…"
    status = "done" if done else "pending"
    head: dict[str, Any] = {"title": "How I got this" if done else "Working on it…",
                            "id": top, "status": status}
    if done:
        head["duration"] = round(time.perf_counter() - started, 3)
    trace = Trace(list(steps))
    tools = len(trace.tool_calls)
    log_line = f"{tools} tool call{'s' if tools != 1 else ''}"
    if trace.replans:
        log_line += f", {trace.replans} re-plan{'s' if trace.replans != 1 else ''}"
    inner = {"title": "Details for developers", "id": details, "parent_id": top,
             "status": "done", "log": log_line}
    return [{"role": "assistant", "content": summary, "metadata": head},
            {"role": "assistant", "content": "The raw plan, tool calls and checks of this turn.",
             "metadata": inner},
            *(step_message(step, details) for step in steps)]


def step_message(step: Step, parent: str) -> Message:
    """One trace step as a nested thought message under `parent`."""
    if isinstance(step, PlanningStep):
        return _plan_message(step, parent)
    if isinstance(step, ToolStep):
        return _tool_message(step, parent)
    if isinstance(step, CriticStep):
        return _critic_message(step, parent)
    raise TypeError(f"not a trace step the UI can show: {step!r}")


def _thought(parent: str, title: str, content: str, **meta: Any) -> Message:
    return {"role": "assistant", "content": content or " ",
            "metadata": {"title": title, "parent_id": parent, "status": "done", **meta}}


def _plan_message(step: PlanningStep, parent: str) -> Message:
    title = "Plan" if step.attempt == 0 else f"Re-plan {step.attempt}"
    body = _json_block({k: v for k, v in step.frame.items() if v not in (None, [], (), "", {})})
    if step.error:
        body = f"Planner error: {step.error}\n\n{body}"
    return _thought(parent, f"{title} ({step.source})", body, duration=step.seconds)


def _tool_message(step: ToolStep, parent: str) -> Message:
    content = step.content
    if len(content) > MAX_TOOL_CONTENT_CHARS:
        content = content[:MAX_TOOL_CONTENT_CHARS] + " …"
    body = f"args: {_json_block(step.args)}\n{content}"
    if step.error:
        body = f"Tool error: {step.error}\n\n{body}"
    sizes = "nothing matched" if step.error else f"{step.n_in} in → {step.n_out} out"
    return _thought(parent, f"Tool {step.tool}", body, duration=step.seconds, log=sizes)


def _critic_message(step: CriticStep, parent: str) -> Message:
    if step.ok:
        return _thought(parent, "Critic: looks right", "The result answers the request.")
    problems = "\n".join(f"- {p}" for p in step.problems) or "- (no details)"
    return _thought(parent, "Critic: needs another plan", problems)


def _json_block(value: Any) -> str:
    return "`" + json.dumps(value, ensure_ascii=False, default=str) + "`"

"""The stream adapter: a turn's trace steps, as they arrive, become chat messages.

`RecAgent.stream` yields typed steps (plan, tool, critic, reply). `turn_updates` turns them
into Gradio "messages" dicts: one collapsible "Trace" thought whose children are the steps,
then the reply text. Each update is the whole list of assistant messages of the turn so far,
so the chat can be redrawn after every step. Errors become a readable chat message here,
at the UI boundary, never a stack trace.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from convrec.agent.inputs import MAX_MESSAGE_CHARS
from convrec.agent.trace import (
    CriticStep,
    PlanningStep,
    RecommendedItem,
    ReplyStep,
    Step,
    ToolStep,
)
from convrec.memory.profile import UserProfile

log = logging.getLogger(__name__)

Message = dict[str, Any]
FeedbackKind = Literal["like", "dislike", "seen"]

MAX_TOOL_CONTENT_CHARS = 600
MAX_ERROR_CHARS = 300


class ChatAgent(Protocol):
    """The part of `RecAgent` the UI uses (and nothing else of the agent)."""

    @property
    def llm_name(self) -> str: ...

    def stream(self, message: str, session_id: str, n: int = 5) -> Iterator[Step]: ...

    def feedback(self, session_id: str, item_id: int, kind: FeedbackKind) -> UserProfile: ...

    def profile(self, session_id: str) -> UserProfile: ...

    def reset(self, session_id: str) -> None: ...


@dataclass(frozen=True)
class TurnUpdate:
    """The assistant's messages of the turn so far and, once the reply came, its items."""

    messages: list[Message]
    items: tuple[RecommendedItem, ...] = ()
    done: bool = False


def check_message(message: str) -> str | None:
    """Why a user message cannot be sent as is, or None when it is fine."""
    if not message.strip():
        return "Your message is empty. Tell me what you feel like watching, e.g. " \
               "\"some 90s sci-fi please\"."
    if len(message) > MAX_MESSAGE_CHARS:
        return (f"Your message is {len(message):,} characters long; please keep it under "
                f"{MAX_MESSAGE_CHARS:,} characters and say what you would like to watch.")
    return None


def error_text(exc: BaseException) -> str:
    """A one-line, user-readable description of a backend failure (no traceback)."""
    detail = " ".join(str(exc).split())[:MAX_ERROR_CHARS] or type(exc).__name__
    return (f"Sorry, something went wrong while answering ({type(exc).__name__}: {detail}). "
            "Your profile is unchanged; please try again or rephrase.")


def turn_updates(steps: Iterable[Step], turn: int = 0) -> Iterator[TurnUpdate]:
    """Render a streamed turn; yields an update after every step (and one on failure).

    `turn` keeps message ids unique across the turns of one chat.
    """
    parent = f"trace-{turn}"
    children: list[Message] = []
    replans = 0
    started = time.perf_counter()
    reply: ReplyStep | None = None
    try:
        for step in steps:  # drained to the end: the agent saves the turn after its last yield
            if isinstance(step, ReplyStep):
                reply = step
                continue
            if reply is not None:
                continue
            if isinstance(step, PlanningStep) and step.attempt > 0:
                replans += 1
            children.append(step_message(step, parent))
            yield TurnUpdate([_trace_header(parent, children, replans, started, done=False),
                              *children])
    except Exception as exc:  # the UI boundary: show it, log it, keep the app alive
        log.exception("the agent failed during a turn")
        header = _trace_header(parent, children, replans, started, done=True)
        yield TurnUpdate([header, *children, {"role": "assistant", "content": error_text(exc)}],
                         done=True)
        return
    header = _trace_header(parent, children, replans, started, done=True)
    if reply is None:
        missing = "Sorry, the agent stopped without an answer; please try again."
        yield TurnUpdate([header, *children, {"role": "assistant", "content": missing}],
                         done=True)
        return
    text = {"role": "assistant", "content": _reply_text(reply)}
    yield TurnUpdate([header, *children, text], tuple(reply.items), done=True)


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
    title = "Plan" if step.attempt == 0 else f"Re-plan (attempt {step.attempt + 1})"
    body = _json_block({k: v for k, v in step.frame.items() if v not in (None, [], (), "", {})})
    if step.error:
        body = f"Planner error: {step.error}\n\n{body}"
    return _thought(parent, f"{title} by {step.source}", body, duration=step.seconds)


def _tool_message(step: ToolStep, parent: str) -> Message:
    content = step.content
    if len(content) > MAX_TOOL_CONTENT_CHARS:
        content = content[:MAX_TOOL_CONTENT_CHARS] + " …"
    body = f"args: {_json_block(step.args)}\n{content}"
    if step.error:
        body = f"Tool error: {step.error}\n\n{body}"
    return _thought(parent, f"Tool {step.tool}", body, duration=step.seconds,
                    log=f"{step.n_in} in → {step.n_out} out")


def _critic_message(step: CriticStep, parent: str) -> Message:
    if step.ok:
        return _thought(parent, "Critic: looks right", "The result answers the request.")
    problems = "\n".join(f"- {p}" for p in step.problems) or "- (no details)"
    return _thought(parent, "Critic: needs another plan", problems)


def _trace_header(parent: str, children: Sequence[Message], replans: int, started: float,
                  done: bool) -> Message:
    tools = sum(1 for m in children if m["metadata"]["title"].startswith("Tool "))
    summary = f"{tools} tool call{'s' if tools != 1 else ''}"
    if replans:
        summary += f", {replans} re-plan{'s' if replans != 1 else ''}"
    meta: dict[str, Any] = {"title": "Trace", "id": parent, "log": summary,
                            "status": "done" if done else "pending"}
    if done:
        meta["duration"] = round(time.perf_counter() - started, 3)
    return {"role": "assistant", "content": "", "metadata": meta}


def _reply_text(step: ReplyStep) -> str:
    return step.text.strip() or "Here is what I found."


def _json_block(value: Any) -> str:
    return "`" + json.dumps(value, ensure_ascii=False, default=str) + "`"

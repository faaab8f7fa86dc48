"""The app's event functions, closed over the agents (one per configured LLM backend).

Each returns the new values of its outputs (or `gr.skip()` for those it leaves alone);
agent errors become a chat message here, never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import gradio as gr

from convrec.agent.trace import Step
from convrec.memory.profile import UserProfile
from convrec.ui.backend import ChatAgent, FeedbackKind
from convrec.ui.panels import Card, cards_for, marked, profile_ids, profile_markdown
from convrec.ui.stream import Message, check_message, error_text, turn_updates

log = logging.getLogger(__name__)

MAX_ECHO_CHARS = 300
PROFILE_UNREADABLE = "Your profile could not be read just now; it is shown again after the " \
                     "next answer."


@dataclass
class ChatHandlers:
    """Submit, feedback, undo, reset and backend switch over `agents` (by LLM name)."""

    agents: Mapping[str, ChatAgent]
    n: int

    def agent(self, name: str) -> ChatAgent:
        return self.agents.get(name) or next(iter(self.agents.values()))

    def respond(self, message: str, history: list[Message], sid: str, backend: str
                ) -> Iterator[tuple[Any, ...]]:
        """Submit: stream the turn into the chat; on the reply, refresh cards and profile.

        Outputs: box, chat, picks, about, profile. Picks replace the last picks; the items
        of an info question or a comparison go to `about`, beside the picks.
        """
        message = message or ""
        echo = message if len(message) <= MAX_ECHO_CHARS else message[:MAX_ECHO_CHARS] + " …"
        history = [*history, {"role": "user", "content": echo or " "}]
        problem = check_message(message)
        if problem:
            yield "", [*history, {"role": "assistant", "content": problem}], *_skip(3)
            return
        agent = self.agent(backend)
        turn = sum(1 for m in history if m.get("role") == "user")
        for update in turn_updates(_lazy_stream(agent, message, sid, self.n), turn):
            chat = [*history, *update.messages]
            if not update.done:
                yield "", chat, *_skip(3)
                continue
            profile = self._profile(agent, sid)
            cards = with_marks(cards_for(update.items, turn), profile or UserProfile())
            picks, about = (cards, []) if update.picks else (gr.skip(), cards or gr.skip())
            panel = PROFILE_UNREADABLE if profile is None else self._profile_md(agent, profile)
            yield "", chat, picks, about, panel

    def feedback(self, item_id: int, kind: FeedbackKind, sid: str, backend: str,
                 picks: list[Card], about: list[Card], history: list[Message]
                 ) -> tuple[Any, ...]:
        """A card button: tell the agent; the card shows the verdict, with an Undo.

        Outputs: picks, about, profile, chat."""
        return self._mark(item_id, kind, kind, sid, backend, picks, about, history)

    def undo(self, item_id: int, kind: FeedbackKind, sid: str, backend: str,
             picks: list[Card], about: list[Card], history: list[Message]) -> tuple[Any, ...]:
        """A card's Undo: take the feedback back; the card offers its buttons again."""
        return self._mark(item_id, kind, None, sid, backend, picks, about, history)

    def reset(self, sid: str, backend: str) -> tuple[Any, ...]:
        """Forget this session's conversation and profile. Outputs: chat, picks, about,
        profile."""
        agent = self.agent(backend)
        try:
            agent.reset(sid)
        except Exception as exc:  # the UI boundary
            log.exception("reset failed")
            return [{"role": "assistant", "content": error_text(exc)}], *_skip(3)
        return [], [], [], self._profile_md(agent, UserProfile())

    def switch(self, backend: str, sid: str) -> tuple[Any, ...]:
        """The backend selector: later turns go to that backend; the chat starts afresh.
        Outputs: backend, chat, picks, about, profile."""
        note = {"role": "assistant", "content": f"Now answering with the {backend} backend."}
        return backend, [note], [], [], self.show_profile(sid, backend)

    def show_profile(self, sid: str, backend: str) -> str:
        agent = self.agent(backend)
        profile = self._profile(agent, sid)
        return PROFILE_UNREADABLE if profile is None else self._profile_md(agent, profile)

    def _mark(self, item_id: int, kind: FeedbackKind, mark: FeedbackKind | None, sid: str,
              backend: str, picks: list[Card], about: list[Card], history: list[Message]
              ) -> tuple[Any, ...]:
        agent = self.agent(backend)
        try:
            profile = agent.feedback(sid, item_id, kind) if mark else \
                agent.undo_feedback(sid, item_id, kind)
        except Exception as exc:  # the UI boundary
            log.exception("feedback failed")
            note = {"role": "assistant", "content": error_text(exc)}
            return gr.skip(), gr.skip(), gr.skip(), [*history, note]
        return (marked(picks, item_id, mark), marked(about, item_id, mark),
                self._profile_md(agent, profile), gr.skip())

    @staticmethod
    def _profile(agent: ChatAgent, sid: str) -> UserProfile | None:
        try:
            return agent.profile(sid)
        except Exception:  # the UI boundary: the panel says so, the turn still shows
            log.exception("reading the profile failed")
            return None

    @staticmethod
    def _profile_md(agent: ChatAgent, profile: UserProfile) -> str:
        try:
            return profile_markdown(profile, agent.titles(profile_ids(profile)))
        except Exception as exc:  # the UI boundary
            log.exception("naming the profile's items failed")
            return error_text(exc)


def with_marks(cards: list[Card], profile: UserProfile) -> list[Card]:
    """Cards marked with what the profile already says about their items."""
    marks = {**{i: "seen" for i in profile.seen}, **{i: "dislike" for i in profile.disliked},
             **{i: "like" for i in profile.liked}}
    return [replace(c, mark=marks.get(c.id)) for c in cards]


def _skip(count: int) -> list[Any]:
    return [gr.skip() for _ in range(count)]


def _lazy_stream(agent: ChatAgent, message: str, sid: str, n: int) -> Iterator[Step]:
    """Defer the call to `agent.stream`, so that even its first error lands in the adapter."""
    yield from agent.stream(message, sid, n=n)

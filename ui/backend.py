"""What the UI asks of the agent (`ChatAgent`), and `AgentView`, which gives a `RecAgent` that.

`RecAgent` offers chat, feedback, profile and reset; the UI also needs titles for ids (the
profile panel names items), what the catalog can answer (the "what I can do here" panel)
and undoing a feedback. Until the agent offers those, `AgentView` is the one place that
reads them from the agent's parts and store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, Protocol

from convrec.agent.answers import CatalogFacts
from convrec.agent.core import RecAgent
from convrec.agent.trace import Step
from convrec.memory.profile import UserProfile

FeedbackKind = Literal["like", "dislike", "seen"]


class ChatAgent(Protocol):
    """The part of an agent the UI uses (and nothing else of it)."""

    @property
    def llm_name(self) -> str: ...

    def stream(self, message: str, session_id: str, n: int = 5) -> Iterator[Step]: ...

    def feedback(self, session_id: str, item_id: int, kind: FeedbackKind) -> UserProfile: ...

    def undo_feedback(self, session_id: str, item_id: int, kind: FeedbackKind
                      ) -> UserProfile: ...

    def profile(self, session_id: str) -> UserProfile: ...

    def reset(self, session_id: str) -> None: ...

    def titles(self, item_ids: Iterable[int]) -> dict[int, str]: ...

    def facts(self) -> CatalogFacts: ...


def forget(profile: UserProfile, item_id: int, kind: FeedbackKind) -> None:
    """Take back one Like / Not for me / Seen it on `item_id` (in place)."""
    lists = {"like": "liked", "dislike": "disliked", "seen": "seen"}
    name = lists[kind]
    setattr(profile, name, [i for i in getattr(profile, name) if i != item_id])


class AgentView:
    """A `RecAgent` as a `ChatAgent`: its own methods, plus titles, facts and undo."""

    def __init__(self, agent: RecAgent) -> None:
        self.agent = agent

    @property
    def llm_name(self) -> str:
        return self.agent.llm_name

    def stream(self, message: str, session_id: str, n: int = 5) -> Iterator[Step]:
        return self.agent.stream(message, session_id, n=n)

    def feedback(self, session_id: str, item_id: int, kind: FeedbackKind) -> UserProfile:
        return self.agent.feedback(session_id, item_id, kind)

    def undo_feedback(self, session_id: str, item_id: int, kind: FeedbackKind) -> UserProfile:
        if kind not in ("like", "dislike", "seen"):
            raise ValueError(f"feedback must be like, dislike or seen, got {kind!r}")
        return self.agent.store.update(session_id, lambda p: forget(p, int(item_id), kind))

    def profile(self, session_id: str) -> UserProfile:
        return self.agent.profile(session_id)

    def reset(self, session_id: str) -> None:
        self.agent.reset(session_id)

    def titles(self, item_ids: Iterable[int]) -> dict[int, str]:
        items = self.agent.parts.toolkit.catalog.items(list(dict.fromkeys(item_ids)))
        return {item.id: item.label() for item in items}

    def facts(self) -> CatalogFacts:
        return self.agent.parts.facts


def as_chat_agent(agent: RecAgent | ChatAgent) -> ChatAgent:
    """A `RecAgent` wrapped in an `AgentView`; anything else is taken as a `ChatAgent`."""
    return AgentView(agent) if isinstance(agent, RecAgent) else agent

"""`RecAgent`: the embeddable conversational recommender.

    from convrec import RecAgent
    agent = RecAgent.default()                      # embedded model, MovieLens-100K
    reply = agent.chat("some 90s sci-fi please", session_id="ann")
    reply.text, reply.items, reply.trace

Sessions are isolated (each has its own history, frame and profile) and the agent is
thread-safe: turns of one session run one at a time, different sessions run concurrently.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from convrec.agent.frame import RequestFrame
from convrec.agent.inputs import MAX_MESSAGE_CHARS, clean_message
from convrec.agent.parts import AgentParts
from convrec.agent.trace import Reply, ReplyStep, Step, Trace
from convrec.agent.turn import Turn, TurnInput
from convrec.memory.keys import check_key
from convrec.memory.profile import ProfileStore, ProfileUpdate, UserProfile

log = logging.getLogger(__name__)

Feedback = Literal["like", "dislike", "seen"]
EMPTY_MESSAGE_REPLY = ("Tell me what you would like to watch: a genre, a decade, or a film you "
                       "loved.")


@dataclass
class _Session:
    lock: threading.Lock = field(default_factory=threading.Lock)
    frame: RequestFrame | None = None
    shown: list[int] = field(default_factory=list)
    turns: int = 0


class RecAgent:
    """Plans with an LLM, recommends with real models over a real catalog."""

    def __init__(self, parts: AgentParts, profiles: ProfileStore, llm_name: str,
                 deadline_seconds: float = 30.0, max_sessions: int = 10_000):
        self.parts = parts
        self.profiles = profiles
        self.llm_name = llm_name
        self.deadline_seconds = deadline_seconds
        self.max_sessions = max_sessions
        self._sessions: dict[str, _Session] = {}
        self._sessions_lock = threading.Lock()

    @classmethod
    def default(cls, home: Path | str | None = None, llm: str = "embedded",
                dataset: str = "movielens-100k", **options) -> RecAgent:
        """The agent on a fetched dataset with the given LLM ("deterministic": none)."""
        from convrec.agent.assemble import build_agent

        return build_agent(home=home, llm=llm, dataset=dataset, **options)

    # --- conversation -----------------------------------------------------------------------

    def chat(self, message: str, session_id: str = "default", n: int = 5) -> Reply:
        """Answer one message; returns the reply text, the items and the trace."""
        trace = Trace()
        for step in self.stream(message, session_id, n):
            trace.add(step)
        final = trace.steps[-1]
        assert isinstance(final, ReplyStep)
        return Reply(final.text, final.items, trace)

    def stream(self, message: str, session_id: str = "default", n: int = 5) -> Iterator[Step]:
        """Run one turn, yielding each step as it happens; the last is a ReplyStep."""
        check_key(session_id, "session id")
        if not 1 <= n <= 50:
            raise ValueError(f"n must be between 1 and 50, got {n}")
        clean = clean_message(message)
        if clean.empty:
            yield ReplyStep(EMPTY_MESSAGE_REPLY, (), 0.0)
            return
        session = self._session(session_id)
        with session.lock:
            turn = Turn(self.parts, self._turn_input(session_id, session, clean.text, n,
                                                     clean.truncated),
                        deadline=time.monotonic() + self.deadline_seconds)
            yield from turn.run()
            self._remember(session_id, session, turn)

    # --- profile ----------------------------------------------------------------------------

    def feedback(self, session_id: str, item_id: int, kind: Feedback) -> UserProfile:
        """Record a Like / Not for me / Seen it on an item; the next turn respects it."""
        check_key(session_id, "session id")
        self.parts.toolkit.catalog.item(int(item_id))
        actions = {"like": self.profiles.like, "dislike": self.profiles.dislike,
                   "seen": lambda s, i: self.profiles.mark_seen(s, [i])}
        if kind not in actions:
            raise ValueError(f"feedback must be one of {sorted(actions)}, got {kind!r}")
        return actions[kind](session_id, int(item_id))

    def profile(self, session_id: str) -> UserProfile:
        return self.profiles.get(check_key(session_id, "session id"))

    def set_history(self, session_id: str, item_ids: Sequence[int]) -> None:
        """Give a session its past (oldest first): seen, and the basis of SASRec ranking."""
        check_key(session_id, "session id")
        self.parts.toolkit.catalog.items(item_ids)
        self.profiles.mark_seen(session_id, [int(i) for i in item_ids])

    def reset(self, session_id: str) -> None:
        """Forget the session: its conversation, last request and profile."""
        check_key(session_id, "session id")
        with self._sessions_lock:
            self._sessions.pop(session_id, None)
        self.profiles.reset(session_id)

    # --- internals --------------------------------------------------------------------------

    def _session(self, session_id: str) -> _Session:
        with self._sessions_lock:
            session = self._sessions.get(session_id)
            if session is None:
                if len(self._sessions) >= self.max_sessions:
                    self._sessions.pop(next(iter(self._sessions)))
                session = self._sessions[session_id] = _Session()
            return session

    def _turn_input(self, session_id: str, session: _Session, text: str, n: int,
                    truncated: bool) -> TurnInput:
        profile = self.profiles.get(session_id)
        excluded = frozenset({*profile.excluded_ids(), *profile.liked, *session.shown})
        seen = set(profile.seen)
        sequence = [*profile.seen, *(i for i in profile.liked if i not in seen)]
        notes = (f"(I read the first {MAX_MESSAGE_CHARS:,} characters of your message.)",) \
            if truncated else ()
        return TurnInput(text, session.frame, excluded, sequence,
                         tuple(profile.expectations.exclude_genres), n, notes)

    def _remember(self, session_id: str, session: _Session, turn: Turn) -> None:
        final = turn.final
        if final is None:
            return
        frame, grounded = final.frame, final.grounded
        session.turns += 1
        if frame.intent == "recommend":
            session.frame = frame
            session.shown.extend(item.id for item in final.items)
        update = ProfileUpdate(
            liked=grounded.similar_ids,
            seen=(*grounded.similar_ids, *grounded.exclude_ids),
            genres=tuple(frame.genres) if frame.intent == "recommend" else (),
            exclude_genres=tuple(frame.exclude_genres),
        )
        self.profiles.update(session_id, update)

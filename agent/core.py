"""`RecAgent`: the embeddable conversational recommender.

    from convrec import RecAgent
    agent = RecAgent.default()                      # embedded model, MovieLens-100K
    reply = agent.chat("some 90s sci-fi please", session_id="ann")
    reply.text, reply.items, reply.trace

Sessions are isolated (each has its own conversation, request and profile) and the agent
keeps no state of its own: a turn loads the session from the store under the session's lock
and saves it back in one transaction, so any process continues any session. Turns of one
session run one at a time, across threads and processes; different sessions run concurrently.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Literal

from convrec.agent.answers import empty_message_text
from convrec.agent.frame import RequestFrame
from convrec.agent.inputs import MAX_MESSAGE_CHARS, clean_message
from convrec.agent.parts import AgentParts
from convrec.agent.reply import counts_items
from convrec.agent.trace import Reply, ReplyStep, Step, Trace
from convrec.agent.turn import Turn, TurnInput
from convrec.memory.keys import check_key
from convrec.memory.profile_model import ProfileUpdate, UserProfile
from convrec.memory.store import OpenTurn, SessionState, Store, StoreUnavailable, open_store

log = logging.getLogger(__name__)

Feedback = Literal["like", "dislike", "seen"]
MEMORY_DOWN_NOTE = ("(My memory could not be reached, so I answered without what I know about "
                    "you, and this turn will not be remembered.)")
MEMORY_LOST_NOTE = "(My memory could not be reached, so this turn will not be remembered.)"


class RecAgent:
    """Plans with an LLM, recommends with real models over a real catalog."""

    def __init__(self, parts: AgentParts, store: Store, llm_name: str,
                 deadline_seconds: float = 30.0):
        self.parts = parts
        self.store = store
        self.llm_name = llm_name
        self.deadline_seconds = deadline_seconds

    @classmethod
    def default(cls, home: Path | str | None = None, llm: str = "embedded",
                dataset: str = "movielens-100k", store: Store | Path | str | None = None,
                **options) -> RecAgent:
        """The agent on a fetched dataset with the given LLM ("deterministic": none).

        store: where sessions and profiles live: a SQLite file or a `postgresql://` URL
        (default: $CONVREC_STORE, read now, else `$CONVREC_HOME/profiles.sqlite`).
        """
        from convrec.agent.assemble import build_agent

        store = store if store is not None else os.environ.get("CONVREC_STORE") or None
        opened = open_store(store) if store is not None else None  # a bad URL fails first
        return build_agent(home=home, llm=llm, dataset=dataset, store=opened, **options)

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
        """Run one turn, yielding each step as it happens; the last is a ReplyStep.

        The session is saved before the reply is yielded. If the store cannot be reached,
        the turn answers from an empty session, the reply says so, and the error is logged.
        """
        check_key(session_id, "session id")
        if not 1 <= n <= 50:
            raise ValueError(f"n must be between 1 and 50, got {n}")
        clean = clean_message(message)
        if clean.empty:
            yield ReplyStep(empty_message_text(self.parts.facts), (), 0.0)
            return
        with ExitStack() as stack:
            try:
                opened: OpenTurn | None = stack.enter_context(self.store.turn(session_id))
            except StoreUnavailable as exc:
                log.error("memory store %s unavailable; answering session %r without it: %s",
                          self.store.location, session_id, exc)
                opened = None
            notes = [f"(I read the first {MAX_MESSAGE_CHARS:,} characters of your message.)"] \
                if clean.truncated else []
            if opened is None:
                notes.append(MEMORY_DOWN_NOTE)
            profile = opened.profile if opened else UserProfile()
            state = opened.state if opened else SessionState()
            turn = Turn(self.parts, self._turn_input(profile, state, clean.text, n, notes),
                        deadline=time.monotonic() + self.deadline_seconds)
            for step in turn.run():
                if isinstance(step, ReplyStep) and opened is not None:
                    step = self._remember(opened, turn, clean.text, step)
                yield step

    # --- profile ----------------------------------------------------------------------------

    def feedback(self, session_id: str, item_id: int, kind: Feedback) -> UserProfile:
        """Record a Like / Not for me / Seen it on an item; the next turn respects it."""
        check_key(session_id, "session id")
        self.parts.toolkit.catalog.item(int(item_id))
        actions = {"like": self.store.like, "dislike": self.store.dislike,
                   "seen": lambda s, i: self.store.mark_seen(s, [i])}
        if kind not in actions:
            raise ValueError(f"feedback must be one of {sorted(actions)}, got {kind!r}")
        return actions[kind](session_id, int(item_id))

    def profile(self, session_id: str) -> UserProfile:
        return self.store.get(check_key(session_id, "session id"))

    def set_history(self, session_id: str, item_ids: Sequence[int]) -> None:
        """Give a session its past (oldest first): seen, and the basis of SASRec ranking."""
        check_key(session_id, "session id")
        self.parts.toolkit.catalog.items(item_ids)
        self.store.mark_seen(session_id, [int(i) for i in item_ids])

    def reset(self, session_id: str) -> None:
        """Forget the session: its conversation, last request and profile."""
        self.store.reset(check_key(session_id, "session id"))

    # --- internals --------------------------------------------------------------------------

    def _turn_input(self, profile: UserProfile, state: SessionState, text: str, n: int,
                    notes: Sequence[str]) -> TurnInput:
        excluded = frozenset({*profile.excluded_ids(), *profile.liked, *state.shown})
        seen = set(profile.seen)
        sequence = [*profile.seen, *(i for i in profile.liked if i not in seen)]
        previous = RequestFrame.model_validate(state.frame) if state.frame else None
        return TurnInput(text, previous, excluded, sequence,
                         tuple(profile.expectations.exclude_genres), n, tuple(notes),
                         shown=state.last_shown, focus=_focus(state),
                         disliked=tuple(profile.disliked), recent=state.recent,
                         earlier=max(0, state.turns - len(state.recent)))

    def _remember(self, opened: OpenTurn, turn: Turn, message: str, reply: ReplyStep
                  ) -> ReplyStep:
        """Save the turn (state and profile in one transaction); the reply, noted if that
        failed."""
        final = turn.final
        assert final is not None
        frame, grounded = final.frame, final.grounded
        # a request, feedback that liked a title and got picks like it, or a count of
        # items ("how many musicals?" ... "show me the best ones")
        counted = counts_items(frame)
        request = frame.intent == "recommend" or counted or (
            frame.intent == "feedback" and bool(reply.items))
        if request:
            frame = frame.model_copy(update={"intent": "recommend"} | (
                {"asks": []} if counted else {}))
        stored = frame.model_dump(mode="json") if request else \
            grounded.frame.model_dump(mode="json", exclude_defaults=True)
        listed = request or len(reply.items) >= 2  # "the 3rd one" of a series listed too
        state = opened.state.record(message, reply.text, stored,
                                    [item.id for item in reply.items] if listed else [],
                                    request)
        update = ProfileUpdate(
            liked=grounded.similar_ids,
            disliked=tuple(i for i in grounded.disliked_ids if i not in grounded.similar_ids),
            # a title named as liked was watched; one of the picks just shown was not
            seen=(*(i for i in grounded.similar_ids if i not in opened.state.last_shown),
                  *grounded.exclude_ids),
            genres=tuple(frame.genres) if request else (),
            exclude_genres=tuple(frame.exclude_genres),
        )
        try:
            opened.save(state, update)
        except StoreUnavailable as exc:
            log.error("memory store %s unavailable; session %r's turn was not saved: %s",
                      self.store.location, opened.session_id, exc)
            return dataclasses.replace(reply, text=f"{reply.text}\n{MEMORY_LOST_NOTE}")
        return reply


def _focus(state: SessionState) -> tuple[str, ...]:
    """The titles the last turn talked about, when it was not a list of picks ("tell me
    about Fargo" -> "who directed it?", "compare X and Y" -> "which is better?")."""
    last = state.recent[-1].frame if state.recent else None
    if not last or last.get("intent", "recommend") == "recommend":
        return ()
    for slot in ("about", "similar_to", "disliked", "exclude_titles"):
        if last.get(slot):
            return tuple(str(t) for t in last[slot])
    return ()

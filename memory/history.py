"""The turns of a conversation, trimmed to a token budget (oldest dropped first).

`ConversationHistory.messages()` is what goes into the prompt: an optional one-line summary
of the dropped turns, then user/assistant pairs; its size, counted by the given
`TokenCounter` plus a fixed overhead per message, never exceeds `budget_tokens`.
A session's recent turns are persisted with its state (`convrec.memory.store.SessionState`),
so any process rebuilds its history with `ConversationHistory.from_turns`. `HistoryCache`
keeps one history per session id in one process's memory, evicting the least recently used.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from convrec.memory.keys import check_key
from convrec.memory.tokens import TokenCounter

DEFAULT_BUDGET = 2000
MESSAGE_OVERHEAD = 4  # role and separators per chat message, as OpenAI counts them
SNIPPET_TOKENS = 12
SNIPPETS_KEPT = 5


@dataclass(frozen=True)
class Turn:
    """One exchange: the user's message, the assistant's reply, and the turn's request frame."""

    user: str
    assistant: str
    frame: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"user": self.user, "assistant": self.assistant, "frame": self.frame}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        user, assistant, frame = data.get("user"), data.get("assistant"), data.get("frame")
        if not isinstance(user, str) or not isinstance(assistant, str):
            raise ValueError(f"a stored turn needs user and assistant strings, got {data!r}")
        if frame is not None and not isinstance(frame, dict):
            raise ValueError(f"a stored turn's frame must be a dict or None, got {frame!r}")
        return cls(user, assistant, copy.deepcopy(frame))


class ConversationHistory:
    """A session's turns within `budget_tokens`; thread-safe."""

    def __init__(
        self,
        counter: TokenCounter,
        budget_tokens: int = DEFAULT_BUDGET,
        *,
        summarize_dropped: bool = True,
        summary_tokens: int = 60,
        message_overhead: int = MESSAGE_OVERHEAD,
    ) -> None:
        floor = summary_tokens + 3 * message_overhead + 16
        if budget_tokens < floor:
            raise ValueError(
                f"budget_tokens={budget_tokens} leaves no room for a turn; use at least {floor}"
            )
        self.counter = counter
        self.budget_tokens = budget_tokens
        self.summarize_dropped = summarize_dropped
        self.summary_tokens = summary_tokens
        self.message_overhead = message_overhead
        self._lock = threading.RLock()
        self._turns: deque[tuple[Turn, int]] = deque()
        self._dropped = 0
        self._snippets: deque[str] = deque(maxlen=SNIPPETS_KEPT)
        self._summary: str | None = None
        self._summary_cost = 0

    @classmethod
    def from_turns(cls, counter: TokenCounter, turns: Iterable[Turn], earlier: int = 0,
                   budget_tokens: int = DEFAULT_BUDGET, **options: Any) -> ConversationHistory:
        """A history rebuilt from stored turns (oldest first), trimmed to the budget.

        earlier: turns of the session that were not stored; the summary line counts them.
        """
        if earlier < 0:
            raise ValueError(f"earlier must be a count of turns, got {earlier}")
        history = cls(counter, budget_tokens, **options)
        history._dropped = earlier
        for turn in turns:
            history.add(turn.user, turn.assistant, turn.frame)
        if earlier and history._summary is None and history.summarize_dropped:
            line = f"[{history._dropped} earlier turn(s) not shown.]"
            history._summary = counter.truncate(line, history.summary_tokens)
            history._summary_cost = counter.count(history._summary) + history.message_overhead
            while history._total() > budget_tokens and len(history._turns) > 1:
                history._drop_oldest()
        return history

    def add(self, user: str, assistant: str, frame: dict[str, Any] | None = None) -> Turn:
        """Append a turn, then drop the oldest turns until the budget holds; return the kept turn.

        A turn too long for the budget on its own is cut (reply and message shortened).
        """
        if not isinstance(user, str) or not isinstance(assistant, str):
            raise ValueError("a turn's user message and assistant reply must be strings")
        turn = Turn(user, assistant, copy.deepcopy(frame) if frame is not None else None)
        with self._lock:
            self._turns.append((turn, self._cost(turn)))
            while self._total() > self.budget_tokens and len(self._turns) > 1:
                self._drop_oldest()
            if self._total() > self.budget_tokens:
                self._turns[-1] = self._fit(self._turns[-1][0])
            return self._turns[-1][0]

    def _cost(self, turn: Turn) -> int:
        count = self.counter.count
        return count(turn.user) + count(turn.assistant) + 2 * self.message_overhead

    def _total(self) -> int:
        return self._summary_cost + sum(cost for _, cost in self._turns)

    def _drop_oldest(self) -> None:
        turn, _ = self._turns.popleft()
        self._dropped += 1
        if not self.summarize_dropped:
            return
        snippet = self.counter.truncate(" ".join(turn.user.split()), SNIPPET_TOKENS)
        if snippet:
            self._snippets.append(snippet)
        asked = "; ".join(f'"{s}"' for s in self._snippets)
        line = f"[{self._dropped} earlier turn(s) not shown. The user had asked: {asked}]"
        self._summary = self.counter.truncate(line, self.summary_tokens)
        self._summary_cost = self.counter.count(self._summary) + self.message_overhead

    def _fit(self, turn: Turn) -> tuple[Turn, int]:
        limit = self.budget_tokens - self._summary_cost
        room = limit - 2 * self.message_overhead
        while room > 0:
            user = self.counter.truncate(turn.user, min(self.counter.count(turn.user), room // 2))
            assistant = self.counter.truncate(turn.assistant, room - self.counter.count(user))
            fitted = Turn(user, assistant, turn.frame)
            cost = self._cost(fitted)
            if cost <= limit:
                return fitted, cost
            room -= cost - limit  # re-encoding a cut text can count a little differently
        empty = Turn("", "", turn.frame)
        return empty, self._cost(empty)

    @property
    def turns(self) -> list[Turn]:
        """The kept turns, oldest first."""
        with self._lock:
            return [turn for turn, _ in self._turns]

    @property
    def dropped(self) -> int:
        """How many turns were dropped to stay within the budget."""
        return self._dropped

    @property
    def summary(self) -> str | None:
        """One line about the dropped turns (None if none dropped or summaries are off)."""
        return self._summary

    def last_frame(self) -> dict[str, Any] | None:
        """The request frame of the latest turn that had one (a copy), for refinements."""
        with self._lock:
            for turn, _ in reversed(self._turns):
                if turn.frame is not None:
                    return copy.deepcopy(turn.frame)
            return None

    def messages(self) -> list[dict[str, str]]:
        """Chat messages for the prompt: the summary (as a system message), then the turns."""
        with self._lock:
            out = [{"role": "system", "content": self._summary}] if self._summary else []
            for turn, _ in self._turns:
                out.append({"role": "user", "content": turn.user})
                out.append({"role": "assistant", "content": turn.assistant})
            return out

    def tokens(self) -> int:
        """Tokens that `messages()` takes, as counted against the budget."""
        with self._lock:
            return self._total()

    def clear(self) -> None:
        with self._lock:
            self._turns.clear()
            self._snippets.clear()
            self._dropped = 0
            self._summary = None
            self._summary_cost = 0

    def __len__(self) -> int:
        return len(self._turns)


class HistoryCache:
    """One `ConversationHistory` per session id, in memory, at most `max_sessions` of them.

    The least recently used session is evicted when a new one would exceed the bound.
    The counter is shared by all sessions (tiktoken and HFTokenizerCounter are thread-safe).
    """

    def __init__(
        self,
        counter: TokenCounter,
        budget_tokens: int = DEFAULT_BUDGET,
        *,
        max_sessions: int = 1000,
        summarize_dropped: bool = True,
    ) -> None:
        if max_sessions < 1:
            raise ValueError(f"max_sessions must be at least 1, got {max_sessions}")
        ConversationHistory(counter, budget_tokens)  # validate the budget now, not per session
        self.counter = counter
        self.budget_tokens = budget_tokens
        self.max_sessions = max_sessions
        self.summarize_dropped = summarize_dropped
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, ConversationHistory] = OrderedDict()
        self.evicted = 0

    def get(self, session_id: str) -> ConversationHistory:
        """The session's history, created empty for a new id; marks it most recently used."""
        session_id = check_key(session_id, "session id")
        with self._lock:
            history = self._sessions.get(session_id)
            if history is not None:
                self._sessions.move_to_end(session_id)
                return history
            history = ConversationHistory(
                self.counter, self.budget_tokens, summarize_dropped=self.summarize_dropped
            )
            self._sessions[session_id] = history
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
                self.evicted += 1
            return history

    def drop(self, session_id: str) -> bool:
        """Forget a session; True if it existed."""
        session_id = check_key(session_id, "session id")
        with self._lock:
            return self._sessions.pop(session_id, None) is not None

    def session_ids(self) -> list[str]:
        """Live session ids, least recently used first."""
        with self._lock:
            return list(self._sessions)

    def __contains__(self, session_id: object) -> bool:
        with self._lock:
            return session_id in self._sessions

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

"""An LLM-driven simulated user: the scripted user decides what to say, an LLM says it.

The facts revealed each turn, their order and the items disliked are exactly the scripted
user's (so both kinds of user are the same protocol); only the wording changes, which
measures the agent on language it was not written against. The same title guard applies:
a message that names the target is asked for again, and after `retries` failures the
scripted wording is used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from langchain_core.language_models import BaseChatModel

from convrec.eval.guard import names_title
from convrec.eval.simulator import ScriptedUser, UserFacts, UserTurn

log = logging.getLogger(__name__)

SYSTEM = (
    "You play a person chatting with a movie recommender. You are looking for one movie, "
    "but you never say its title. You are told what to say and shown one way to say it; "
    "write the same request as ONE short, casual chat message in your own words, keeping "
    "every genre, decade, year and film it mentions. Output only the message."
)
PROMPT = "What to say: {intent}\nOne way to say it: {message}\nYour message:"
MAX_SENTENCES = 2
MAX_CHARS = 300
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class LLMUser:
    """A simulated user whose messages an LLM writes from the scripted user's intents."""

    scripted: ScriptedUser
    model: BaseChatModel
    retries: int = 2

    @property
    def facts(self) -> UserFacts:
        return self.scripted.facts

    @property
    def stated_ids(self) -> tuple[int, ...]:
        return self.scripted.stated_ids

    def opening(self) -> UserTurn:
        return self._say(self.scripted.opening())

    def react(self, shown: Sequence[int], titles: Sequence[str]) -> UserTurn:
        return self._say(self.scripted.react(shown, titles))

    def _say(self, turn: UserTurn) -> UserTurn:
        rejected = 0
        for _ in range(self.retries + 1):
            prompt = PROMPT.format(intent=turn.intent, message=turn.message)
            reply = self.model.invoke([("system", SYSTEM), ("human", prompt)])
            text = _first_sentences(str(reply.content))
            if text and not names_title(text, self.facts.target_titles):
                return replace(turn, message=text, guard_rejections=turn.guard_rejections
                               + rejected)
            rejected += 1
        log.info("LLM user for %d kept naming the target; scripted wording used",
                 self.facts.user_id)
        return replace(turn, guard_rejections=turn.guard_rejections + rejected)


def _first_sentences(text: str) -> str:
    """The reply on one line, cut to MAX_SENTENCES sentences and MAX_CHARS characters."""
    flat = " ".join(text.split()).strip().strip('"')
    return " ".join(_SENTENCE_END.split(flat)[:MAX_SENTENCES])[:MAX_CHARS].strip()

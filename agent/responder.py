"""The reply: the item list is rendered from data; the LLM only adds one short sentence.

The sentence is checked before it is shown: if it names a catalog title that the tools did
not return, it is replaced by a template sentence. So the reply never names an item that
is not among the results.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from convrec.agent.describe import describe_frame
from convrec.agent.frame import RequestFrame
from convrec.agent.llm.registry import invoke_short
from convrec.agent.trace import RecommendedItem

log = logging.getLogger(__name__)

INTRO_PROMPT = (
    "You are a friendly recommender of {nouns}. Write ONE short sentence (at most 20 words) "
    "that introduces the picks for the request. Do not name any title. No lists, no quotes."
)
MAX_SENTENCE_CHARS = 200
SENTENCE_TOKENS = 64  # the one intro sentence; a server without a limit writes 1,024

TitleFinder = Callable[[str], Collection[str]]  # text -> display titles it mentions


class Responder:
    """Writes the reply text for a turn. `llm=None` gives template sentences only."""

    def __init__(self, llm: BaseChatModel | None = None, find_titles: TitleFinder | None = None,
                 nouns: str = "items"):
        """`nouns`: what the catalog's items are called ("films", "games")."""
        self.llm = llm
        self.find_titles = find_titles
        self.nouns = nouns

    def templates_only(self) -> Responder:
        """The same responder without its LLM: template sentences only."""
        return Responder(None, self.find_titles, self.nouns)

    def recommend(self, message: str, frame: RequestFrame, items: Sequence[RecommendedItem],
                  notes: Sequence[str] = ()) -> str:
        if not items and _only_more_by(frame):  # "has she made anything else?"
            return "\n".join([f"I have no other {self.nouns} by {' and '.join(frame.people)} "
                              f"in this catalog than {' and '.join(frame.exclude_titles)}.",
                              *notes])
        if not items:
            return "\n".join(["I could not find anything that fits " + (
                describe_frame(frame, self.nouns) or "that") + ". Try fewer conditions.", *notes])
        wanted = describe_frame(frame, self.nouns)
        head = "Here is 1 pick" if len(items) == 1 else f"Here are {len(items)} picks"
        fallback = head + (f" for {wanted}." if wanted else ".")
        picks = ", ".join(i.label() for i in items)
        intro = self._sentence(INTRO_PROMPT.format(nouns=self.nouns),
                               f"Request: {message}\nPicks: {picks}", allowed=items) or fallback
        lines = [intro, *notes, *(f"{n}. {_item_line(item)}" for n, item in enumerate(items, 1))]
        return "\n".join(lines)

    def _sentence(self, system: str, user: str, allowed: Sequence[RecommendedItem]
                  ) -> str | None:
        if self.llm is None:
            return None
        try:
            answer = invoke_short(self.llm, [SystemMessage(system), HumanMessage(user)],
                                  SENTENCE_TOKENS)
        except Exception as exc:  # the reply must not fail because the small talk did
            log.warning("responder LLM failed, using the template: %s", exc)
            return None
        text = str(answer.content).strip().splitlines()[0].strip() if answer.content else ""
        text = text[:MAX_SENTENCE_CHARS].strip(" \"'")
        if not text:
            return None
        if not self._grounded(text, allowed):
            log.info("responder sentence named a title or year outside the results: %r", text)
            return None
        return text

    def _grounded(self, text: str, allowed: Sequence[RecommendedItem]) -> bool:
        """No title and no year in `text` that the results do not have."""
        years = {str(i.year) for i in allowed if i.year}
        if any(year not in years for year in re.findall(r"\b(?:1[89]|20)\d\d\b", text)):
            return False
        if self.find_titles is None:
            return True
        titles = {i.title.casefold() for i in allowed}
        return all(t.casefold() in titles for t in self.find_titles(text))


def _item_line(item: RecommendedItem) -> str:
    genres = ", ".join(item.genres)
    line = item.label() + (f" - {genres}" if genres else "")
    return line + (f" ({item.reason})" if item.reason else "")


def _only_more_by(frame: RequestFrame) -> bool:
    """Only "more by these people, not these titles" (the titles they made that were named)."""
    rest = frame.model_copy(update={"people": [], "exclude_titles": [], "count": None})
    return bool(frame.people and frame.exclude_titles) and not rest.has_constraints()

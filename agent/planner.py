"""Plan-first planning: one LLM call fills the whole request frame.

Every planner gets the turn's one reading of the message (`Reading`: the slot extractor's
frame, its titles grounded to catalog ids) in its `PlanRequest`; none reads the message
again. `DemonstrationPlanner` asks a chat model for a `RequestFrame` under the catalog's frame
schema (constrained decoding on local models, structured output on hosted ones) with the k
demonstrations most similar to the message. `DraftCheckingPlanner` is the tuned embedded
model: no demonstrations, the reading's frame as a draft that it checks and completes (it
was fine-tuned on that task). `ExtractorPlanner` is the deterministic planner: the reading
itself, used alone or as the fallback. A re-plan sends the critic's problems back with the
previous frame.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from rapidfuzz import fuzz

from convrec.agent.compiler import Grounded
from convrec.agent.frame import TITLE_SLOTS, RequestFrame, frame_schema
from convrec.agent.guard import GuardThresholds, ScoresTokens, guarded_plan
from convrec.agent.llm.registry import generate_structured
from convrec.memory.history import ConversationHistory, Turn
from convrec.memory.tokens import TokenCounter
from convrec.recsys.schema import DatasetInfo
from convrec.recsys.titles import search_key

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """You turn a request for {nouns} into a JSON frame for a recommender.
Slots (leave a slot empty unless the message says it):
intent: recommend, info (a question about named {nouns}), compare (two named {nouns}),
explain (why {nouns} were picked), feedback (only an opinion: "I hated X", "seen it"), help,
or chat (greeting, thanks, off-topic).
genres: {facets} the {nouns} must all have; genres_any: any of them will do ("a X or a Y");
exclude_genres: ones to avoid. Values: {genres}.
year_min, year_max: years asked for ("90s" = 1990-1999, "before 1970" = max 1969);
exclude_years: [first, last] years not wanted ("not from the 80s" = [1980, 1989]).
similar_to: {nouns} the user liked; exclude_titles: {nouns} seen or not wanted; disliked:
{nouns} the user disliked; about: {nouns} asked about. query: other wishes in a few words.
people: people named{people}; exclude_people: people not wanted. count: how many (1-20).
quality: true for "top rated" / "the best". popularity: popular or obscure. refine: true
when the message changes the previous request; then write the whole updated request."""

# The tuned planner's format (agent/data/planner_adapter): this one line, no demonstrations,
# and the slot extractor's reading of the message as a draft to check and correct.
TUNED_SYSTEM = "Check the draft against the message; write the request as a compact JSON frame."

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Reading:
    """The turn's one reading of a message: the slot extractor's frame as it read it, and
    the same frame with its titles grounded to catalog ids."""

    frame: RequestFrame
    grounded: Grounded
    open_words: tuple[str, ...] | None = None  # words that may name a title it missed

    @property
    def complete(self) -> bool:
        """Every word of the message is accounted for (no title can have been missed)."""
        return self.open_words == ()


@dataclass(frozen=True)
class PlanRequest:
    """What a planner sees for one attempt."""

    message: str
    reading: Reading
    previous: RequestFrame | None = None
    feedback: tuple[str, ...] = ()
    last_plan: RequestFrame | None = None
    history: tuple[Turn, ...] = ()  # the session's last stored turns, oldest first
    earlier: int = 0  # the session's turns before those (not stored)


@dataclass(frozen=True)
class Demo:
    message: str
    frame: RequestFrame
    previous: RequestFrame | None = None


def load_demos() -> list[Demo]:
    """The (request, frame) demonstrations shipped with the package."""
    text = resources.files("convrec.agent").joinpath("data/demos.jsonl").read_text("utf-8")
    demos = []
    for line in text.splitlines():
        if line.strip():
            row = json.loads(line)
            previous = row.get("previous")
            demos.append(Demo(row["message"], RequestFrame.model_validate(row["frame"]),
                              RequestFrame.model_validate(previous) if previous else None))
    return demos


@dataclass
class DemoPicker:
    """Picks the k demonstrations most similar to a message (cosine of embeddings)."""

    demos: list[Demo]
    embed: Embed
    _vectors: np.ndarray | None = field(default=None, init=False, repr=False)

    def pick(self, message: str, k: int) -> list[Demo]:
        if k <= 0 or not self.demos:
            return []
        if self._vectors is None:
            self._vectors = _normalise(self.embed([d.message for d in self.demos]))
        query = _normalise(self.embed([message]))[0]
        order = np.argsort(-(self._vectors @ query), kind="stable")[:k]
        return [self.demos[i] for i in order[::-1]]  # most similar last, nearest the question


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)


HISTORY_TOKENS = 600  # the conversation so far, in the demonstration planner's prompt


class DemonstrationPlanner:
    """An LLM that writes the frame after the k demonstrations most similar to the message;
    it takes the critic's advice on a re-plan.

    With a `counter` (the model's own tokenizer, or tiktoken for hosted models) it also sees
    the conversation so far, trimmed to `history_tokens` by `ConversationHistory` (oldest
    turns dropped first, with a one-line summary of what they asked).
    """

    source = "llm"
    accepts_feedback = True
    checks_draft = False

    def __init__(self, llm: BaseChatModel, genres: Sequence[str],
                 picker: DemoPicker | None = None, k: int = 3, max_new_tokens: int = 96,
                 info: DatasetInfo | None = None, counter: TokenCounter | None = None,
                 history_tokens: int = HISTORY_TOKENS):
        """`info`: the dataset's noun, facet names and people roles, for the prompt."""
        self.llm = llm
        self.schema = frame_schema(genres)
        info = info or DatasetInfo(noun="film")
        roles = f" ({', '.join(info.roles)})" if info.roles else ""
        self.system = SYSTEM_PROMPT.format(genres=", ".join(genres), nouns=info.nouns,
                                           facets=info.facet_label.replace(" or ", "/") + "s",
                                           people=roles)
        self.picker = picker
        self.k = k
        self.max_new_tokens = max_new_tokens
        self.counter = counter
        self.history_tokens = history_tokens

    def messages(self, request: PlanRequest) -> list[BaseMessage]:
        messages: list[BaseMessage] = [SystemMessage(self.system)]
        for demo in self.picker.pick(request.message, self.k) if self.picker else []:
            messages.append(HumanMessage(_user_text(demo.message, demo.previous)))
            messages.append(AIMessage(_frame_json(demo.frame)))
        messages.append(HumanMessage(self.conversation(request) + _with_feedback(
            _user_text(request.message, request.previous), request)))
        return messages

    def conversation(self, request: PlanRequest) -> str:
        """The conversation so far within the token budget, as text before the message."""
        if self.counter is None or not request.history:
            return ""
        history = ConversationHistory.from_turns(self.counter, request.history,
                                                 request.earlier, self.history_tokens)
        lines = [history.summary] if history.summary else []
        for turn in history.turns:
            lines += [f"User: {turn.user}", f"Assistant: {turn.assistant}"]
        return "Conversation so far:\n" + "\n".join(lines) + "\n\n"

    def plan(self, request: PlanRequest) -> RequestFrame:
        frame = generate_structured(self.llm, self.messages(request), self.schema,
                                    max_new_tokens=self.max_new_tokens)
        return RequestFrame.model_validate(frame.model_dump())


class DraftCheckingPlanner:
    """The tuned embedded model: checks the reading's frame (the draft) against the message
    in its own short prompt (`tuned_prompt`), no demonstrations.

    It read the extractor's frame and may overrule it, so the critic reviews its result
    against its own frame. It never saw the critic's advice in training: a re-plan with it
    only leaves its training distribution (measured: the re-plans invented years and
    genres), so a failed plan goes straight to the deterministic fallback. `guard`: keep the
    draft except where the model is sure of something else (`convrec.agent.guard`: the
    probabilities of the tokens it chose, against `thresholds`, else those chosen for its
    adapter); a model that reports no probabilities or whose adapter has no thresholds may
    only add titles (`add_to_draft`). With the guard, the model is asked only where it can
    change the answer: the reading left words unaccounted for, or (with thresholds) it named
    titles, whose act the extractor misreads most ("why Heat?", "Fargo was a waste of
    time"); `ask_always` asks it on every message.
    """

    source = "llm"
    accepts_feedback = False
    checks_draft = True

    def __init__(self, llm: BaseChatModel, genres: Sequence[str], max_new_tokens: int = 96,
                 guard: bool = True, thresholds: GuardThresholds | None = None,
                 ask_always: bool = False):
        self.llm = llm
        self.schema = frame_schema(genres)
        self.max_new_tokens = max_new_tokens
        self.guard = guard
        chosen = llm.guard_thresholds if isinstance(llm, ScoresTokens) else None
        self.thresholds = thresholds if thresholds is not None or chosen is None else \
            GuardThresholds.from_values(chosen)
        self.scores = isinstance(llm, ScoresTokens) and self.thresholds is not None
        self.ask_always = ask_always

    def messages(self, request: PlanRequest) -> list[BaseMessage]:
        system, user = tuned_prompt(request.message, request.previous, request.reading.frame)
        return [SystemMessage(system), HumanMessage(_with_feedback(user, request))]

    def plan(self, request: PlanRequest) -> RequestFrame:
        draft = request.reading.frame
        names_titles = any(getattr(draft, slot) for slot in TITLE_SLOTS)
        if self.guard and request.reading.complete and not self.ask_always and not (
                self.scores and names_titles):
            return draft
        if self.guard and self.scores:
            frame, _ = guarded_plan(self.llm, self.messages(request), self.schema, draft,
                                    request.message, self.max_new_tokens, self.thresholds)
            return frame
        frame = generate_structured(self.llm, self.messages(request), self.schema,
                                    max_new_tokens=self.max_new_tokens)
        frame = RequestFrame.model_validate(frame.model_dump())
        return add_to_draft(draft, frame, request.message) if self.guard else frame


class ExtractorPlanner:
    """The deterministic planner: the slot extractor's frame, as the turn read it."""

    source = "extractor"
    accepts_feedback = False
    checks_draft = False

    def plan(self, request: PlanRequest) -> RequestFrame:
        return request.reading.frame


def tuned_prompt(message: str, previous: RequestFrame | None,
                 draft: RequestFrame | None = None) -> tuple[str, str]:
    """(system, user) texts of the tuned planner, as trained:
    "Previous: {...}\\nMessage: ...\\nDraft: {...}" (previous and draft when there are)."""
    context = f"Previous: {_frame_json(previous)}\n" if previous else ""
    hint = f"\nDraft: {_frame_json(draft)}" if draft is not None else ""
    return TUNED_SYSTEM, f"{context}Message: {message}{hint}"


def _with_feedback(text: str, request: PlanRequest) -> str:
    """The prompt text, with the critic's problems when this is a re-plan."""
    if request.feedback and request.last_plan is not None:
        text += (f"\nYour last frame was {_frame_json(request.last_plan)}; it was wrong: "
                 + "; ".join(request.feedback) + ". Write a corrected frame.")
    return text


def _user_text(message: str, previous: RequestFrame | None) -> str:
    context = f"Previous request: {_frame_json(previous)}\n" if previous else ""
    return f"{context}Message: {message}"


def _frame_json(frame: RequestFrame) -> str:
    return json.dumps(frame.compact(), ensure_ascii=False, separators=(",", ":"))


def add_to_draft(draft: RequestFrame, frame: RequestFrame, message: str | None = None
                 ) -> RequestFrame:
    """`draft` plus the titles of `frame` it lacks that `message` (when given) spells, near
    enough; `frame` when `draft` read nothing.

    The guard on the tuned planner. The slot extractor is precise on what it reads but
    misses wording it has no rule for; the tuned model reads more kinds of wording but,
    measured on dev and tune, also drops right values of the draft ("recent sci-fi" without
    its years) and adds genres, years and popularity nobody asked for. Titles it adds are
    checked against the catalog when the frame is grounded, so those are kept; everything
    else comes from the draft, unless the draft is an empty recommendation ("a movie about
    boxing"), where the model's frame stands. Acts the model was not trained on (help,
    feedback, compare, explain, chat) keep the draft. A title the message does not spell
    (partial similarity below `SPELLED`) is the model's invention ("films similar to it" ->
    It Happened One Night) and is not added.
    """
    if draft.intent == "recommend" and not draft.has_constraints():
        return frame
    if draft.intent not in ("recommend", "info"):
        return draft
    slots = draft.model_dump()
    named = {search_key(t) for slot in TITLE_SLOTS for t in slots[slot]}
    for slot in ("about",) if draft.intent == "info" else ("similar_to", "exclude_titles"):
        for title in getattr(frame, slot):
            if search_key(title) not in named and _spelled(title, message):
                slots[slot].append(title)
                named.add(search_key(title))
    return RequestFrame.model_validate(slots)


SPELLED = 80.0  # rapidfuzz partial_ratio of a title's key against the message's


def _spelled(title: str, message: str | None) -> bool:
    """Does the message spell the title, near enough (typos allowed)?"""
    return message is None or fuzz.partial_ratio(search_key(title), search_key(message)) >= SPELLED

"""Plan-first planning: one LLM call fills the whole request frame.

`LLMPlanner` asks a chat model for a `RequestFrame` under the catalog's frame schema
(constrained decoding on local models, structured output on hosted ones), with the k
demonstrations most similar to the message in the prompt; the tuned embedded model instead
gets no demonstrations but the slot extractor's frame as a draft, which it checks against
the message and corrects (it was fine-tuned on that task). `ExtractorPlanner` is the
deterministic planner: the slot extractor's frame, used alone or as the fallback.
A re-plan sends the critic's problems back with the previous frame.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from convrec.agent.draft_guard import add_to_draft
from convrec.agent.frame import RequestFrame, frame_schema
from convrec.agent.llm.registry import generate_structured

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """You turn a film request into a JSON frame for a recommender.
Slots (leave a slot empty unless the message says it):
intent: recommend, info (a question about named films) or chat (greeting, thanks).
genres: genres the films must have; exclude_genres: genres to avoid. Genres: {genres}.
year_min, year_max: years asked for ("90s" = 1990-1999, "before 1970" = max 1969).
similar_to: films the user liked; exclude_titles: films seen or not wanted;
about: films asked about. query: other wishes in a few words ("heist", "about a shark").
popularity: popular or obscure. refine: true when the message changes the previous request;
then write the whole updated request."""

# The tuned planner's format (agent/data/planner_adapter): this one line, no demonstrations,
# and the slot extractor's reading of the message as a draft to check and correct.
TUNED_SYSTEM = "Check the draft against the message; write the request as a compact JSON frame."

Embed = Callable[[Sequence[str]], np.ndarray]
Extract = Callable[[str, RequestFrame | None], RequestFrame]


@dataclass(frozen=True)
class PlanRequest:
    """What a planner sees for one attempt."""

    message: str
    previous: RequestFrame | None = None
    feedback: tuple[str, ...] = ()
    last_plan: RequestFrame | None = None


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


class LLMPlanner:
    """One structured LLM call per plan."""

    source = "llm"

    def __init__(self, llm: BaseChatModel, genres: Sequence[str], picker: DemoPicker | None = None,
                 k: int = 3, max_new_tokens: int = 96, style: Literal["demos", "tuned"] = "demos",
                 draft: Extract | None = None, guard: bool = True):
        """style "tuned": the fine-tuned model's own short prompt (`tuned_prompt`), no demos,
        with `draft(message, previous)` (the slot extractor's frame) as the draft it checks;
        `guard`: the model may only add to the draft (`add_to_draft`)."""
        self.llm = llm
        self.schema = frame_schema(genres)
        self.style = style
        # The tuned model never saw the critic's advice in training: a re-plan with it only
        # leaves its training distribution (measured: the re-plans invented years and
        # genres), so a failed tuned plan goes straight to the deterministic fallback.
        self.accepts_feedback = style == "demos"
        self.system = TUNED_SYSTEM if style == "tuned" else \
            SYSTEM_PROMPT.format(genres=", ".join(genres))
        self.picker = picker if style == "demos" else None
        self.k = k
        self.max_new_tokens = max_new_tokens
        self.draft = draft if style == "tuned" else None
        # it read the extractor's frame and may overrule it: the critic then reviews the
        # result against this planner's frame instead of the extractor's
        self.checks_draft = self.draft is not None
        self.guard = guard

    def messages(self, request: PlanRequest, draft: RequestFrame | None = None
                 ) -> list[BaseMessage]:
        messages: list[BaseMessage] = [SystemMessage(self.system)]
        for demo in self.picker.pick(request.message, self.k) if self.picker else []:
            messages.append(HumanMessage(_user_text(demo.message, demo.previous)))
            messages.append(AIMessage(_frame_json(demo.frame)))
        if self.style == "tuned":
            if draft is None:
                draft = self._draft_for(request)
            text = tuned_prompt(request.message, request.previous, draft)[1]
        else:
            text = _user_text(request.message, request.previous)
        if request.feedback and request.last_plan is not None:
            text += (f"\nYour last frame was {_frame_json(request.last_plan)}; it was wrong: "
                     + "; ".join(request.feedback) + ". Write a corrected frame.")
        messages.append(HumanMessage(text))
        return messages

    def plan(self, request: PlanRequest) -> RequestFrame:
        draft = self._draft_for(request)
        frame = generate_structured(self.llm, self.messages(request, draft), self.schema,
                                    max_new_tokens=self.max_new_tokens)
        frame = RequestFrame.model_validate(frame.model_dump())
        return add_to_draft(draft, frame) if draft is not None and self.guard else frame

    def _draft_for(self, request: PlanRequest) -> RequestFrame | None:
        """The extractor's frame of the message, when this planner checks drafts."""
        return self.draft(request.message, request.previous) if self.draft else None


class ExtractorPlanner:
    """The deterministic planner: the slot extractor's frame."""

    source = "extractor"
    accepts_feedback = False
    checks_draft = False

    def __init__(self, extract: Callable[[str, RequestFrame | None], RequestFrame]):
        self.extract = extract

    def plan(self, request: PlanRequest) -> RequestFrame:
        return self.extract(request.message, request.previous)


def tuned_prompt(message: str, previous: RequestFrame | None,
                 draft: RequestFrame | None = None) -> tuple[str, str]:
    """(system, user) texts of the tuned planner, as trained:
    "Previous: {...}\\nMessage: ...\\nDraft: {...}" (previous and draft when there are)."""
    context = f"Previous: {_frame_json(previous)}\n" if previous else ""
    hint = f"\nDraft: {_frame_json(draft)}" if draft is not None else ""
    return TUNED_SYSTEM, f"{context}Message: {message}{hint}"


def _user_text(message: str, previous: RequestFrame | None) -> str:
    context = f"Previous request: {_frame_json(previous)}\n" if previous else ""
    return f"{context}Message: {message}"


def _frame_json(frame: RequestFrame) -> str:
    return json.dumps(frame.compact(), ensure_ascii=False, separators=(",", ":"))

"""The guard on the tuned planner: where the model's frame may overrule the slot extractor's.

The extractor is precise on wording it has a rule for and blind elsewhere; the tuned model
reads more wording but also drops right values and adds values nobody asked for. The model
decodes its frame under the frame's JSON schema, and each token it chose comes with its
probability among the tokens the grammar allowed (`ScoredText`). `slot_confidence` turns those
into one number per slot: how sure the model was of writing the slot as it did, or of leaving
it out. `confident_merge` keeps the draft and takes the model's value of a slot only where the
two differ and the model was at least that sure; a title it adds must also be spelled in the
message. The thresholds were chosen on the dev sets (`GuardThresholds`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from rapidfuzz import fuzz

from convrec.agent.frame import FRAME_FIELDS, TITLE_SLOTS, RequestFrame
from convrec.recsys.titles import search_key

if TYPE_CHECKING:
    from convrec.agent.llm.engine import ScoredText

SPELLED = 80.0  # rapidfuzz partial_ratio of a title's key against the message's
NEVER = math.inf  # a threshold no confidence reaches
# A title the draft read as liked is not made unwanted by the model, nor the other way round
# (measured: the model read "I loved Alien" as disliked, at up to 0.95); a new act may.
OPPOSITE = {"similar_to": ("disliked", "exclude_titles"), "disliked": ("similar_to",),
            "exclude_titles": ("similar_to",), "about": ()}


@dataclass(frozen=True)
class GuardThresholds:
    """How sure the model must be (probability among the allowed tokens) to overrule the
    draft: to write a slot the draft has otherwise or lacks (`change`), to leave out a slot
    the draft has (`drop`), and to change the dialogue act (`intent`, the whole frame).

    They belong to an adapter (its guard.json); the shipped adapter's are these defaults,
    chosen on the planner sets dev and tune (where the extractor is right on every request)
    and the held-back corpus: an act changed at 0.9 broke a right frame, at 0.95 none, and
    0.98 kept the same gains with more margin; slot thresholds from 0.7 to 0.98 made no
    difference there, so the high one; leaving a slot out never paid (its confidence is that
    of the choice made in its place, shared by several slots), so it is never taken. An
    adapter without them keeps `convrec.agent.planner.add_to_draft` (measured: the older
    boardgames adapter under these thresholds lost 4 of 90 boardgames_dev cases).
    """

    change: float = 0.98
    drop: float = NEVER
    intent: float = 0.98

    @classmethod
    def from_values(cls, values: Mapping[str, float | None]) -> GuardThresholds:
        """From an adapter's guard.json values (null: never)."""
        return cls(**{k: NEVER if v is None else float(v) for k, v in values.items()})


@dataclass(frozen=True)
class SlotSpan:
    """Where one top-level slot sits in the frame's JSON text: from the separator before its
    key to the end of its value."""

    name: str
    start: int
    key_end: int
    end: int


def slot_spans(text: str) -> list[SlotSpan]:
    """The top-level slots of a compact JSON object, in the order written."""
    decoder = json.JSONDecoder()
    spans, at = [], text.index("{") + 1
    while at < len(text) and text[at] != "}":
        start = at
        if text[at] == ",":
            at += 1
        name, at = decoder.raw_decode(text, at)
        key_end = at
        at = text.index(":", at) + 1
        _, at = decoder.raw_decode(text, at)
        spans.append(SlotSpan(name, start, key_end, at))
    return spans


def slot_confidence(scored: ScoredText, order: Sequence[str] = FRAME_FIELDS
                    ) -> dict[str, float]:
    """The model's confidence in each slot of its frame, as the lowest probability of the
    tokens that wrote it (a forced token counts 1.0).

    A slot it wrote: its separator, key and value. A slot it left out: the choice made where
    the slot would have been written, i.e. the separator and key of the next slot it wrote
    (in schema `order`), or the closing brace.
    """
    starts = scored.offsets()
    probs = [math.exp(lp) for lp in scored.logprobs]

    def lowest(begin: int, end: int) -> float:
        inside = [p for s, piece, p in zip(starts, scored.pieces, probs)
                  if s < end and s + len(piece) > begin]
        return min(inside, default=1.0)

    spans = slot_spans(scored.text)
    confidence: dict[str, float] = {}
    for span in spans:
        confidence[span.name] = lowest(span.start, span.end)
    close = scored.text.rindex("}")
    written = [s.name for s in spans]
    rank = {name: i for i, name in enumerate(order)}
    for name in order:
        if name in confidence:
            continue
        later = [s for s in spans if rank.get(s.name, len(order)) > rank[name]]
        if later:
            confidence[name] = lowest(later[0].start, later[0].key_end)
        else:
            confidence[name] = lowest(spans[-1].end if written else close, close + 1)
    return confidence


def confident_merge(draft: RequestFrame, frame: RequestFrame, confidence: Mapping[str, float],
                    message: str | None = None,
                    thresholds: GuardThresholds = GuardThresholds()) -> RequestFrame:
    """The draft, with the model's value of every slot where the two differ and the model was
    sure enough (`thresholds`); a title the message does not spell is never taken.

    A different dialogue act takes the model's whole frame (the slots of an act go together),
    when it is sure enough of the act and every title of its frame is spelled.
    """
    if frame == draft:
        return draft
    if frame.intent != draft.intent:
        sure = confidence.get("intent", 0.0) >= thresholds.intent
        return frame if sure and _titles_spelled(frame, message) else draft
    slots = draft.model_dump()
    model = frame.model_dump()
    default = RequestFrame().model_dump()
    for name in FRAME_FIELDS:
        if name == "intent" or _same(name, slots[name], model[name]):
            continue
        dropping = model[name] == default[name]
        needed = thresholds.drop if dropping else thresholds.change
        if confidence.get(name, 0.0) < needed:
            continue
        if name in TITLE_SLOTS:  # titles it invents (not in the draft, not spelled) stay out
            opposite = [t for slot in OPPOSITE[name] for t in draft.model_dump()[slot]]
            slots[name] = [t for t in model[name] if _in(t, slots[name]) or
                           (_spelled(t, message) and not _in(t, opposite))]
        else:
            slots[name] = model[name]
    return RequestFrame.model_validate(slots)


def _same(name: str, first, second) -> bool:
    if name in TITLE_SLOTS:
        return {search_key(t) for t in first} == {search_key(t) for t in second}
    if isinstance(first, list) and isinstance(second, list):
        return set(first) == set(second)
    return first == second


def _in(title: str, titles: Sequence[str]) -> bool:
    return search_key(title) in {search_key(t) for t in titles}


def _titles_spelled(frame: RequestFrame, message: str | None) -> bool:
    return all(_spelled(t, message) for slot in TITLE_SLOTS for t in getattr(frame, slot))


def _spelled(title: str, message: str | None) -> bool:
    """Does the message spell the title, near enough (typos allowed)?"""
    return message is None or fuzz.partial_ratio(search_key(title), search_key(message)) >= SPELLED


@runtime_checkable
class ScoresTokens(Protocol):
    """A chat model that decodes under a schema and reports each token's probability
    (`convrec.agent.llm.local.LocalChatModel`)."""

    guard_thresholds: Mapping[str, float | None] | None  # chosen for its adapter, if any

    def generate_scored(self, messages: Any, schema: type[RequestFrame],
                        max_new_tokens: int = 128) -> tuple[RequestFrame, ScoredText]: ...


def guarded_plan(model: ScoresTokens, messages: Any, schema: type[RequestFrame],
                 draft: RequestFrame, message: str, max_new_tokens: int,
                 thresholds: GuardThresholds) -> tuple[RequestFrame, RequestFrame]:
    """(the guarded frame, the model's own frame) for one planning call."""
    frame, scored = model.generate_scored(messages, schema, max_new_tokens=max_new_tokens)
    frame = RequestFrame.model_validate(frame.model_dump())
    return confident_merge(draft, frame, slot_confidence(scored), message, thresholds), frame

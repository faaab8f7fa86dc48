"""One turn of the agent: plan, execute, criticise, re-plan (bounded), fall back, reply.

`Turn.run()` is a generator of trace steps (the UI streams it); after it is exhausted the
turn's outcome (frame, items, reply) is on the object for the agent to remember.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from pydantic import ValidationError

from convrec.agent.answers import join, unsearchable_text
from convrec.agent.compiler import (
    CompileContext,
    Grounded,
    compile_plan,
    ground,
    relaxations,
)
from convrec.agent.critic import Expectations, Verdict, review, violations
from convrec.agent.describe import describe_frame
from convrec.agent.executor import Execution, execute
from convrec.agent.frame import RequestFrame, merge_frames
from convrec.agent.llm.registry import LLMConnectionError, LLMError, call_before
from convrec.agent.nlu.normalise import capitalised_in, is_word
from convrec.agent.parts import AgentParts
from convrec.agent.planner import PlanRequest, Reading
from convrec.agent.reply import (
    Outcome,
    counts_items,
    dropped_label,
    few_note,
    nothing_to_search,
    once_each,
    ranking_basis,
    reasons,
    recommended,
    reply_text,
    shared_text,
    shows_picks,
)
from convrec.agent.responder import Responder
from convrec.agent.trace import (
    CriticStep,
    PlanError,
    PlanningStep,
    RecommendedItem,
    ReplyStep,
    Step,
    ToolStep,
)
from convrec.memory.history import Turn as HistoryTurn
from convrec.recsys.catalog import CatalogItem
from convrec.tools import names

log = logging.getLogger(__name__)

LLM_DOWN_NOTES: dict[PlanError, str] = {
    "connection": "(I could not reach the language model, so I read your request without it.)",
    "timeout": "(The language model did not answer in time, so I read your request without it.)",
}
REPLY_GRACE_SECONDS = 2.0  # the LLM's reply sentence may run this far past the deadline
SPARE = 5  # ranked items read beyond those shown, to replace a title the data lists twice


@dataclass
class TurnInput:
    """Everything a turn reads about its session."""

    message: str
    previous: RequestFrame | None
    excluded_ids: frozenset[int]
    sequence: Sequence[int]
    avoid_genres: Sequence[str]
    n: int
    notes: Sequence[str] = ()
    shown: Sequence[int] = ()  # the list last shown, in order ("the second one")
    focus: Sequence[str] = ()  # the titles last talked about ("it", "which is better?")
    disliked: Sequence[int] = ()  # the profile's disliked items, oldest first
    recent: Sequence[HistoryTurn] = ()  # the session's last stored turns, oldest first
    earlier: int = 0  # the session's turns before `recent`


@dataclass
class Attempt:
    frame: RequestFrame
    grounded: Grounded
    items: list[RecommendedItem]
    execution: Execution | None
    verdict: Verdict
    own_reference: bool = False  # reviewed against its own frame, not the extractor's


@dataclass
class Turn:
    parts: AgentParts
    given: TurnInput
    deadline: float
    final: Attempt | None = None
    reply: ReplyStep | None = None
    reading: Reading | None = field(default=None, init=False)
    wish_dropped: bool = field(default=False, init=False)
    llm_down: bool = field(default=False, init=False)  # unreachable or too slow this turn
    _titles: dict[str, tuple[int | None, str | None]] = field(default_factory=dict, init=False)
    _rows: dict[int, CatalogItem] = field(default_factory=dict, init=False)

    @property
    def reference(self) -> Grounded:
        """What the user stated, as the slot extractor read it: the critic's reference."""
        assert self.reading is not None
        return self.reading.grounded

    def run(self) -> Iterator[Step]:
        started = time.perf_counter()
        shown = [item.label() for item in self._fetch(self.given.shown)]  # "Cape Fear (1962)"
        self.reading = self.parts.read(self.given.message, self.given.previous,
                                       self._match_title, shown, self.given.focus)
        yield from self._attempts()
        final = self.final
        assert final is not None
        text = self._bounded_reply_text(final)
        self.reply = ReplyStep(text, tuple(final.items), time.perf_counter() - started)
        yield self.reply

    # --- planning loop ----------------------------------------------------------------------

    def _attempts(self) -> Iterator[Step]:
        parts, given = self.parts, self.given
        feedback: tuple[str, ...] = ()
        last: RequestFrame | None = None
        use_fallback = parts.planner is None
        for attempt in range(parts.max_replans + 2):
            fallback = use_fallback or attempt == parts.max_replans + 1 \
                or time.monotonic() > self.deadline
            request = PlanRequest(given.message, self.reading, given.previous, feedback, last,
                                  tuple(given.recent), given.earlier)
            frame, step = self._plan(attempt, request, fallback)
            yield step
            if frame is None:
                if step.error_kind in LLM_DOWN_NOTES:
                    use_fallback = True
                    self.given = _with_note(self.given, LLM_DOWN_NOTES[step.error_kind])
                    self.llm_down = True  # nor will it write the reply's sentence
                feedback = ("your answer was not a valid frame: " + (step.error or ""),)
                continue
            # a planner that checked the extractor's draft may overrule it: its result is
            # reviewed against its own frame (the tools must still keep every condition)
            own = not fallback and parts.planner is not None and parts.planner.checks_draft
            result = yield from self._execute(attempt, frame, own)
            yield CriticStep(attempt, result.verdict.ok, result.verdict.problems)
            self.final = result
            if result.verdict.ok or fallback:
                break
            if frame == last:  # greedy decoding repeated itself: another try would too
                use_fallback = True
            if not self.parts.planner.accepts_feedback:
                use_fallback = True
            feedback, last = result.verdict.problems, frame
        self._drop_violations()
        empty = self.final is not None and not self.final.items and \
            self.final.frame.intent == "recommend" and \
            not nothing_to_search(self.final.grounded, self.wish_dropped)
        if empty and not self.final.frame.narrow and self.shown_fitting:
            yield from self._again()
        elif self.final is None or empty:
            yield from self._relax()

    def _plan(self, attempt: int, request: PlanRequest, fallback: bool
              ) -> tuple[RequestFrame | None, PlanningStep]:
        planner = self.parts.fallback if fallback else self.parts.planner
        source = "fallback" if fallback and self.parts.planner is not None else planner.source
        started = time.perf_counter()

        def failed(kind: PlanError, error: str) -> tuple[None, PlanningStep]:
            return None, PlanningStep(attempt, source, {}, time.perf_counter() - started,
                                      error=error[:300], error_kind=kind)

        try:
            planned = planner.plan(request) if planner is self.parts.fallback \
                else call_before(self.deadline, planner.plan, request)
            frame = merge_frames(request.previous, planned)
        except TimeoutError as exc:  # before connection errors: a slow server is up
            return failed("timeout", f"timeout: {exc}")
        except (LLMConnectionError, ConnectionError) as exc:
            return failed("connection", f"connection: {exc}")
        except (LLMError, ValidationError, ValueError) as exc:
            return failed("invalid", str(exc))
        except Exception as exc:  # a broken LLM backend must not end the turn: fall back
            if planner is self.parts.fallback:
                raise
            log.warning("the LLM planner failed: %r", exc)
            return failed("failed", f"the LLM failed: {type(exc).__name__}: {exc}")
        return frame, PlanningStep(attempt, source, frame.compact(),
                                   time.perf_counter() - started)

    def _execute(self, attempt: int, frame: RequestFrame, own_reference: bool = False
                 ) -> Iterator[Step]:
        missing = self.parts.facts.unmentioned(frame.query) if frame.query else []
        if missing:
            kept = [w for w in frame.query.split() if w.lower() not in missing]
            said = [w for w in missing if is_word(w) or capitalised_in(w, self.given.message)]
            if frame.query == self.reference.frame.query and said:  # the user's, not the LLM's
                note = unsearchable_text(" ".join(said), self.parts.facts,
                                         capitalised_in(" ".join(said), self.given.message))
                if note not in self.given.notes:
                    self.given = _with_note(self.given, note)
            self.wish_dropped = self.wish_dropped or (not kept and bool(said))
            frame = frame.model_copy(update={"query": " ".join(kept) or None})
        grounded = ground(frame, self._match_title, self.parts.facts.known_people)
        stated = set(grounded.unknown_titles) <= set(self.reference.unknown_titles)
        if frame.intent == "recommend" and stated and nothing_to_search(
                grounded, self.wish_dropped):
            return Attempt(frame, grounded, [], None, Verdict(True), own_reference)
        plan = compile_plan(grounded, self._context())
        execution = None
        bus = self.parts.toolkit.new_bus() if counts_items(frame) else self._new_bus(frame.narrow)
        for event in execute(self.parts.toolkit, plan, bus, attempt):
            if isinstance(event, ToolStep):
                yield event
            else:
                execution = event
        items = self._items(grounded, execution)
        verdict = review(grounded.frame, items, self._expectations(grounded, own_reference))
        return Attempt(frame, grounded, items, execution, verdict, own_reference)

    def _drop_violations(self) -> None:
        """The last attempt failed review: keep only the items that break no stated condition."""
        final = self.final
        if final is None or final.verdict.ok or not final.items:
            return
        expected = self._expectations(final.grounded, final.own_reference)
        final.items = [item for item in final.items if not violations(item, expected)]

    def _again(self) -> Iterator[Step]:
        """Nothing new fits, but items just shown do: show those again, and say so."""
        attempt = self.parts.max_replans + 1
        frame = self.final.frame.model_copy(update={"narrow": True})
        yield PlanningStep(attempt, "fallback", frame.compact(), 0.0)
        result = yield from self._execute(attempt, frame)
        yield CriticStep(attempt, result.verdict.ok, result.verdict.problems)
        self.final = result
        self.given = _with_note(self.given, "Nothing new fits, so here is what I just showed "
                                            "you that does.")

    def _relax(self) -> Iterator[Step]:
        """Nothing fit: drop the softest conditions one at a time until something does."""
        base = self.final.frame if self.final else self.reference.frame
        attempt = self.parts.max_replans + 1
        dropped: list[str] = []
        for label, relaxed in relaxations(base):
            attempt += 1
            dropped.append(dropped_label(label, base, self.parts.facts))
            yield PlanningStep(attempt, "fallback", relaxed.compact(), 0.0)
            result = yield from self._execute(attempt, relaxed)
            yield CriticStep(attempt, result.verdict.ok, result.verdict.problems)
            self.final = result
            if result.items:
                self.given = _with_note(self.given, f"Nothing matched every condition, so I "
                                                    f"dropped {' and '.join(dropped)}.")
                return

    # --- helpers ----------------------------------------------------------------------------

    def _context(self) -> CompileContext:
        return CompileContext(has_history=len(self.given.sequence) > 0,
                              bands=self.parts.bands, avoid_genres=self.given.avoid_genres,
                              has_ratings=self.parts.facts.has_ratings,
                              disliked_ids=self.given.disliked)

    def _new_bus(self, narrow: bool = False):
        """Every item but those excluded; `narrow`: the list just shown may come back."""
        excluded = self.given.excluded_ids - set(self.given.shown) if narrow \
            else self.given.excluded_ids
        return self.parts.toolkit.new_bus(sorted(excluded), sequence=self.given.sequence)

    def _expectations(self, grounded: Grounded, own_reference: bool = False) -> Expectations:
        # a question about a seen or liked film is fine; recommending it again is not
        forbidden = set() if not shows_picks(grounded.frame) else {
            *self.given.excluded_ids, *self.reference.exclude_ids, *self.reference.similar_ids,
            *self.reference.disliked_ids, *grounded.similar_ids, *grounded.disliked_ids}
        if grounded.frame.narrow:  # "only the 80s ones": the list just shown may come back
            forbidden -= set(self.given.shown) - set(self.reference.exclude_ids)
        reference = grounded.frame if own_reference else self.reference.frame
        return Expectations(reference, frozenset(forbidden), grounded.unknown_titles)

    def _items(self, grounded: Grounded, execution: Execution | None) -> list[RecommendedItem]:
        frame = grounded.frame
        if execution is None:
            return []
        ranker = None
        if frame.intent in ("info", "compare"):
            result = execution.results.get(names.ITEM_INFO)
            ids = [int(i) for i in grounded.about_ids] if result else []
            scores = [0.0] * len(ids)
        elif not shows_picks(frame) or names.RANK_CANDIDATES not in execution.results:
            return []
        else:
            wanted = frame.count or self.given.n
            top = [int(i) for i in execution.bus.top(wanted + SPARE)]
            kept = once_each(zip(self._fetch(top), execution.bus.scores[: len(top)]))
            ids, scores = [i.id for i, _ in kept[:wanted]], [float(s) for _, s in kept[:wanted]]
            ranker = execution.results[names.RANK_CANDIDATES].artifact.get("used")
        items = [recommended(item, 0.0 if np.isnan(score) else score)
                 for item, score in zip(self._fetch(ids), scores)]
        if not shows_picks(frame):
            return items
        liked = [g for item in self._fetch(grounded.similar_ids) for g in item.genres]
        said = reasons(grounded, ranker, items, self.parts.bands.popular_min,
                       self.parts.facts.nouns, self.parts.facts.facet_labels, liked)
        return [dataclasses.replace(item, reason=why) for item, why in zip(items, said)]

    def _match_title(self, title: str) -> tuple[int | None, str | None]:
        """The catalog item a title names; each title is matched once per turn."""
        if title not in self._titles:
            self._titles[title] = self.parts.match_title(title)
        return self._titles[title]

    def _fetch(self, ids: Sequence[int]) -> list[CatalogItem]:
        """Catalog rows of `ids`, in order; each row is read once per turn."""
        missing = [i for i in dict.fromkeys(ids) if i not in self._rows]
        if missing:
            self._rows.update(zip(missing, self.parts.toolkit.catalog.items(missing)))
        return [self._rows[i] for i in ids]

    def _bounded_reply_text(self, final: Attempt) -> str:
        """The reply; an LLM that has not written its sentence by the deadline is skipped."""
        responder = self.parts.responder
        if responder.llm is None:
            return self._reply_text(final)
        if self.llm_down:  # unreachable or too slow for the plan: not asked again
            return self._reply_text(final, responder.templates_only())
        deadline = max(self.deadline, time.monotonic() + REPLY_GRACE_SECONDS)
        try:
            return call_before(deadline, self._reply_text, final)
        except TimeoutError:
            log.warning("the LLM did not write the reply in time; using the template")
            return self._reply_text(final, responder.templates_only())

    def _reply_text(self, final: Attempt, responder: Responder | None = None) -> str:
        notes = self.given.notes
        wanted = final.frame.count or self.given.n
        if final.frame.intent == "recommend" and len(final.items) < wanted:
            again = [] if final.frame.narrow else self.shown_fitting
            notes = (*notes, *few_note(final.items, again))
        counted = len(final.execution.bus) if final.execution else self.parts.facts.size
        outcome = Outcome(final.frame, final.grounded, final.items,
                          wish_dropped=self.wish_dropped,
                          counted=counted if counts_items(final.frame) else None)
        if final.frame.intent == "explain":
            outcome = self._explanation(outcome)
        return reply_text(outcome, self.given.message, notes,
                          responder or self.parts.responder, self.parts.facts)

    @cached_property
    def shown_fitting(self) -> list[str]:
        """The items of the last list that meet what the user stated now (read once)."""
        if not self.given.shown:
            return []
        expected = Expectations(self.reference.frame)
        wanted_people = set(self.reference.frame.people)
        return [item.title for item in (recommended(i, 0.0)
                                        for i in self._fetch(self.given.shown))
                if not violations(item, expected)
                and wanted_people <= {name for _, name in item.people}]

    def _explanation(self, outcome: Outcome) -> Outcome:
        """What the last list was asked for and how it was ranked (the same compiler that
        made it decides), for "why did you pick that?"."""
        previous = self.given.previous
        if previous is None or not self.given.shown:
            return outcome
        grounded = ground(previous, self._match_title, self.parts.facts.known_people)
        rank = compile_plan(grounded, self._context())[-1]
        liked = grounded.frame.similar_to
        wanted = describe_frame(grounded.frame.model_copy(update={"similar_to": []}),
                                self.parts.facts.nouns) or \
            (f"{self.parts.facts.nouns} like {join(liked)}" if liked else "")
        basis = ranking_basis(rank.args.get("ranker"), liked)
        shown = self._fetch(self.given.shown)
        titles = outcome.grounded.frame.about or [item.display_title for item in shown]
        return dataclasses.replace(outcome, explained=titles, explanation=(
            wanted, basis, shared_text(titles, shown, self._fetch(grounded.similar_ids))))


def _with_note(given: TurnInput, note: str) -> TurnInput:
    return dataclasses.replace(given, notes=(*given.notes, note))

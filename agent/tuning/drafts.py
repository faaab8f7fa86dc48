"""Drafts for the tuned planner's corpus: what the slot extractor reads in each request.

The tuned planner sees the extractor's frame as a draft beside the message and writes the
final frame. Trained only on drafts that are right, it would learn to copy them; so a
share of the drafts it trains on is damaged the way the extractor fails on text it does
not know (a genre, title, query, popularity or year range missed, a bound off by one), and
the gold frame stays the same. Its drafts at run time come from the extractor,
so wherever the extractor is right the model only has to agree, and where it is wrong the
message holds what the model needs to correct it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace

from convrec.agent.frame import LIST_SLOTS, TITLE_SLOTS, RequestFrame
from convrec.agent.tuning.corpus import CorpusExample

Extract = Callable[[str, RequestFrame | None], RequestFrame]

DAMAGE_RATE = 0.15  # share of the right drafts that get damaged
MISSABLE = ("query", "popularity", "count", "quality", "exclude_years")  # single-value slots
# Slots a generated request does not choose (a mood, count or quality word in its filler):
# the gold takes them from the extractor's reading of the request's plain-English form.
FREE_SLOTS = ("moods", "count", "quality")
REFINE_FREE_SLOTS = ("narrow",)  # "only the 80s ones": whether it narrows is the reading's
INFO_FREE_SLOTS = ("asks",)  # which fact a question asks (the templates do not say)


class DraftDamage:
    """Changes a frame into a reading of the same message that MISSED something.

    Only misses: trained on drafts with made-up genres, years or popularity, the model
    learned to distrust a draft's right values too (measured on dev: "recent sci-fi" lost
    its years, "popular action movies" its popularity), so the made-up kind of error is
    left to the extractor's own mistakes on the generated requests.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self, frame: RequestFrame) -> RequestFrame:
        """A frame missing one thing `frame` has (`frame` itself when it has nothing)."""
        slots = frame.model_dump()
        present = [name for name in (*LIST_SLOTS, *MISSABLE) if slots[name]]
        if frame.year_min is not None or frame.year_max is not None:
            present.append("years")
        if not present:
            return frame
        name = self.rng.choice(present)
        if name == "years":
            self._miss_years(slots)
        elif name in LIST_SLOTS:
            slots[name].remove(self.rng.choice(slots[name]))
            if name == "about" and not slots["about"]:
                slots["intent"] = "recommend"
        else:
            slots[name] = False if name == "quality" else None
        return RequestFrame.model_validate(slots)

    def _miss_years(self, slots: dict) -> None:
        """Both bounds lost, or one bound off by one ("before 1970" read as max 1970)."""
        bounds = [n for n in ("year_min", "year_max") if slots[n] is not None]
        if self.rng.random() < 0.7:
            slots["year_min"] = slots["year_max"] = None
        else:
            which = self.rng.choice(bounds)
            slots[which] += 1 if which == "year_max" else -1


def with_drafts(examples: Sequence[CorpusExample], extract: Extract, damage: DraftDamage,
                canonical: Callable[[str], str], rate: float = DAMAGE_RATE
                ) -> tuple[list[CorpusExample], dict[str, int]]:
    """Each example with the extractor's draft; a `rate` share of the right drafts damaged.

    A gold title that names the same catalog item as a draft title (`canonical` maps a title
    as written to its catalog display title) takes the draft's spelling, and gold genres
    the draft's order: the model should keep what a draft has right, not rewrite it.
    The slots a generated request does not choose (`FREE_SLOTS`) are read from its plain
    form. Returns the examples and counts: drafts right as read, wrong as read, damaged.
    """
    counts = {"draft_right": 0, "draft_wrong": 0, "draft_damaged": 0}
    drafted = []
    for example in examples:
        draft = extract(example.message, example.previous)
        gold = _spelled_as(_with_free_slots(example, draft, extract), draft, canonical)
        if draft != gold:
            counts["draft_wrong"] += 1
        elif damage.rng.random() < rate and (wrong := damage(draft)) != draft:
            draft = wrong
            counts["draft_damaged"] += 1
        else:
            counts["draft_right"] += 1
        drafted.append(replace(example, frame=gold, draft=draft))
    return drafted, counts


def _with_free_slots(example: CorpusExample, draft: RequestFrame,
                     extract: Extract) -> RequestFrame:
    """The gold frame with the free slots it leaves empty read from its plain form: moods,
    count and quality of a request (and whether a refinement narrows), the facts a question
    about the same items asks (and whether it compares them)."""
    gold = example.frame
    if gold.intent == "recommend":
        free = [*FREE_SLOTS, *(REFINE_FREE_SLOTS if example.previous is not None else ())]
    elif gold.intent == "info":
        free = list(INFO_FREE_SLOTS)
    else:
        return gold
    empty = [s for s in free if getattr(gold, s) in (None, [], False)]
    if not empty:
        return gold
    plain = draft if example.clean in (None, example.message) else \
        extract(example.clean, example.previous)
    update = {s: getattr(plain, s) for s in empty}
    if gold.intent == "info" and len(gold.about) == 2 and plain.intent == "compare":
        update["intent"] = "compare"
    if gold.intent == "info" and len(plain.about) != len(gold.about):
        return gold
    return gold.model_copy(update=update)


def _spelled_as(gold: RequestFrame, draft: RequestFrame,
                canonical: Callable[[str], str]) -> RequestFrame:
    """`gold` with the draft's spelling of the titles and people they share, and its order of
    any list that holds the same values."""
    spelling = {canonical(t): t for slot in TITLE_SLOTS for t in getattr(draft, slot)}
    changes: dict[str, list[str]] = {
        slot: [spelling.get(canonical(t), t) for t in getattr(gold, slot)]
        for slot in TITLE_SLOTS}
    gold = gold.model_copy(update=changes)
    casing = {p.casefold(): p for p in [*draft.people, *draft.exclude_people]}
    changes = {slot: [casing.get(p.casefold(), p) for p in getattr(gold, slot)]
               for slot in ("people", "exclude_people")}
    gold = gold.model_copy(update=changes)
    for slot in LIST_SLOTS:  # the draft's order where it holds the same values
        if set(getattr(gold, slot)) == set(getattr(draft, slot)):
            changes[slot] = list(getattr(draft, slot))
    return gold.model_copy(update=changes)

"""The guard on the tuned planner: the model may add to the extractor's draft, not take away.

The slot extractor is precise on what it reads (100% of the dev and tune sets) but misses
wording it has no rule for; the tuned model reads more kinds of wording but now and then
drops or changes a right value of the draft ("recent sci-fi" without its years). So the
planner's frame is the draft plus what the model found that the draft lacks: a genre,
title or exclusion the draft missed, years when the draft has none, a query or popularity
when the draft has none. When the draft read nothing at all, the model's frame stands.
"""

from __future__ import annotations

from convrec.agent.frame import RequestFrame
from convrec.recsys.titles import search_key

TITLE_SLOTS = ("similar_to", "exclude_titles", "about")


def add_to_draft(draft: RequestFrame, frame: RequestFrame) -> RequestFrame:
    """`draft` with the values of `frame` that it lacks and that do not contradict it."""
    if draft.intent == "recommend" and not draft.has_constraints():
        return frame
    slots = draft.model_dump()
    named = {search_key(t) for slot in TITLE_SLOTS for t in slots[slot]}
    for slot in TITLE_SLOTS:
        for title in getattr(frame, slot):
            if search_key(title) not in named:
                slots[slot].append(title)
                named.add(search_key(title))
    stated = {*draft.genres, *draft.exclude_genres}
    for slot in ("genres", "exclude_genres"):
        slots[slot] += [g for g in getattr(frame, slot) if g not in stated]
    if draft.year_min is None and draft.year_max is None:
        slots["year_min"], slots["year_max"] = frame.year_min, frame.year_max
    for slot in ("query", "popularity"):
        slots[slot] = slots[slot] or getattr(frame, slot)
    if draft.intent != "info":
        slots["about"] = []
    return RequestFrame.model_validate(slots)

"""The guard on the tuned planner: the model may add titles to the extractor's draft, and
speaks for itself only when the draft read nothing.

The slot extractor is precise on what it reads (100% of the dev and tune sets) but misses
wording it has no rule for. The tuned model reads more kinds of wording, but measured on
dev and tune it also drops right values of the draft ("recent sci-fi" without its years)
and adds genres, years and popularity nobody asked for ("I liked pulp fiction" + Romance,
"a sports movie" -> Western). Titles it adds are checked against the catalog when the frame
is grounded, so those are kept; everything else comes from the draft, unless the draft is
an empty recommendation ("a movie about boxing" with no rule for it), where the model's
frame stands.
"""

from __future__ import annotations

from convrec.agent.frame import TITLE_SLOTS, RequestFrame
from convrec.recsys.titles import search_key


def add_to_draft(draft: RequestFrame, frame: RequestFrame) -> RequestFrame:
    """`draft` plus the titles of `frame` it lacks; `frame` when `draft` read nothing."""
    if draft.intent == "recommend" and not draft.has_constraints():
        return frame
    if draft.intent == "chat":
        return draft
    slots = draft.model_dump()
    named = {search_key(t) for slot in TITLE_SLOTS for t in slots[slot]}
    for slot in ("about",) if draft.intent == "info" else ("similar_to", "exclude_titles"):
        for title in getattr(frame, slot):
            if search_key(title) not in named:
                slots[slot].append(title)
                named.add(search_key(title))
    return RequestFrame.model_validate(slots)

"""Refinements: does a message change the previous request, and the whole updated request.

"older ones?", "only the 80s ones", "and some westerns too", "actually, a comedy instead":
the extractor reads the message on its own; `refines` decides whether it continues the
previous request and `refine` writes the whole updated frame (see `convrec.agent.frame` for
the conventions and `merge_frames`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from convrec.agent.frame import RequestFrame, merge_frames, shift_years
from convrec.agent.nlu.years import YearSlots, narrowed_years
from convrec.recsys.titles import split_year

_NEW_TOPIC = re.compile(r"\b(?:forget (?:that|it|about that)|never ?mind|start over|scratch "
                        r"that|something (?:completely|totally|entirely) different|new search|"
                        r"different question|new request|from scratch)\b")
_REFINE = re.compile(r"\b(?:instead|rather|actually|what about|how about|older|newer|earlier|later|"
                     r"more recent|more like|like (?:that|this|those|these|them|it)|same|also|"
                     r"too|as well|but|only|just|now|less|more|even|again|another|other|"
                     r"else|make it|make them|similar|ones|them|those|these|seen it|sure|"
                     r"any more|switch|prefer|funnier|scarier|lighter|darker|"
                     r"he|she|him|her|his|hers|he's|she's)\b|"  # the same person: "so he won't cry"
                     r"\bany (?:\w+ )?one\b")  # "any cooperative one?"
_REPLACE = re.compile(r"\b(?:instead|rather|what about|how about|switch to|change to|"
                      r"actually(?!,? (?:make|also|add|and)\b))\b")
# A refinement that asks for other items, not a further condition: "and some westerns too"
# (the crime films were shown; now westerns, in the same years)
_UNION = re.compile(r"\b(?:and|also|plus)\s+(?:some|a few|any|more)\b")
# A refinement that picks from the list just shown too: "only the 80s ones", "keep the comedies"
_NARROW = re.compile(r"\b(?:only|just|keep|nur|solo|solamente|seulement)\b(?:\s+(?:the|those|die|"
                     r"los|las|les)\b)?|\bwhich of (?:those|these|them)\b")


@dataclass(frozen=True)
class Known:
    """What a refinement needs to know beyond the two frames."""

    shown: Sequence[str]  # the list just shown, as labels ("Catan (1995)")
    years: Mapping[str, int]  # title -> year
    latest_year: int
    keep_people: bool = False  # the catalog has people: "by Knizia" ... "older ones?" keeps them


def refines(folded: str, frame: RequestFrame) -> bool:
    """Does this message continue the previous request (rather than start a new one)?"""
    if _NEW_TOPIC.search(folded):
        return False
    if _REFINE.search(folded):
        return True
    return not frame.genres  # "something like X would be great" keeps the rest


def refine(folded: str, frame: RequestFrame, years: YearSlots, previous: RequestFrame,
           known: Known) -> RequestFrame:
    """The whole updated request: `previous` changed by what this message (`frame`) says."""
    update: dict = {"refine": True, "narrow": _NARROW.search(folded) is not None}
    relative = years.relative or ("newer" if years.not_old else None)
    shown_years = sorted(y for t in known.shown
                         if (y := split_year(t)[1] or known.years.get(t)))
    liked = [y for t in previous.similar_to if (y := known.years.get(t))]
    if relative is not None and not years.found and previous.year_min is None \
            and previous.year_max is None and (liked or shown_years):
        # "older" than the title liked, else than the middle of the list just shown
        middle = liked[0] if liked else shown_years[len(shown_years) // 2]
        update["year_min"], update["year_max"] = (None, middle - 1) \
            if relative == "older" else (middle + 1, None)
    elif relative is not None and not years.found:
        update["year_min"], update["year_max"] = shift_years(previous, relative,
                                                             known.latest_year)
    elif years.found:
        update["year_min"], update["year_max"] = narrowed_years(years, previous)
    if frame.genres_any and not frame.genres and not _REPLACE.search(folded) \
            and not _UNION.search(folded):  # kids' games ... "only ones with dice"
        update["genres"] = [g for g in previous.genres if g not in frame.exclude_genres]
    if frame.genres and not _REPLACE.search(folded) and not _UNION.search(folded):
        update["genres"] = [g for g in [*previous.genres, *frame.genres]
                            if g not in frame.exclude_genres]
        if not frame.genres_any:  # "horror or zombies" ... "only the cooperative ones"
            update["genres_any"] = [g for g in previous.genres_any
                                    if g not in frame.exclude_genres]
    if known.keep_people and not frame.people and not _REPLACE.search(folded):
        update["people"] = [p for p in previous.people if p not in frame.exclude_people]
    return merge_frames(previous, frame.model_copy(update=update))

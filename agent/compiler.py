"""From a request frame to tool calls: ground the titles, then compile the plan.

Grounding snaps every title in a frame to a catalog item (titles that match nothing are
reported, never guessed). Compiling is deterministic: hard conditions become one
`filter_items` call, soft ones a `search_items` call, and the order comes from one
`rank_candidates` call (similarity to liked titles, else the session's history, else
popularity). Item ids are filled in by the program; the LLM never sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from convrec.agent.frame import RequestFrame
from convrec.tools import names

# Stands for the catalog's word for a facet ("genre", "mechanic") in relaxation labels.
FACET = "{facet}"
# title -> (item id or None, display title or None); see `Toolkit` lookup.
TitleMatcher = Callable[[str], tuple[int | None, str | None]]


@dataclass(frozen=True)
class PlanStep:
    """One tool call of a plan."""

    tool: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Grounded:
    """A frame whose titles are catalog items."""

    frame: RequestFrame
    similar_ids: tuple[int, ...] = ()
    exclude_ids: tuple[int, ...] = ()
    about_ids: tuple[int, ...] = ()
    unknown_titles: tuple[str, ...] = ()
    disliked_ids: tuple[int, ...] = ()
    unknown_people: tuple[str, ...] = ()  # names asked for that the catalog does not hold


@dataclass(frozen=True)
class PopularityBands:
    """Rating counts that make an item "popular" (at least) or "obscure" (at most)."""

    popular_min: int
    obscure_max: int


@dataclass(frozen=True)
class CompileContext:
    """What the compiler needs besides the frame."""

    has_history: bool
    bands: PopularityBands
    has_ratings: bool = False
    avoid_genres: Sequence[str] = ()
    search_k: int = 100
    extra_exclude_ids: Collection[int] = field(default_factory=frozenset)
    disliked_ids: Sequence[int] = ()  # the profile's, oldest first


def ground(frame: RequestFrame, match: TitleMatcher,
           people: Collection[str] = frozenset()) -> Grounded:
    """Snap titles to the catalog; titles without a confident match go to `unknown_titles`,
    and people who are not among the catalog's `people` to `unknown_people`."""
    unknown: list[str] = []

    def snap(titles: Sequence[str]) -> tuple[list[int], list[str]]:
        ids, snapped = [], []
        for title in titles:
            item_id, name = match(title)
            if item_id is None:
                unknown.append(title)
            elif item_id not in ids:
                ids.append(item_id)
                snapped.append(name or title)
        return ids, snapped

    similar_ids, similar = snap(frame.similar_to)
    exclude_ids, excluded = snap(frame.exclude_titles)
    about_ids, about = snap(frame.about)
    disliked_ids, disliked = snap(frame.disliked)
    exclude_ids = [i for i in exclude_ids if i not in similar_ids]
    snapped = frame.model_copy(update={
        "similar_to": similar, "exclude_titles": excluded, "about": about,
        "disliked": disliked, "people": [p for p in frame.people if p in people],
        "exclude_people": [p for p in frame.exclude_people if p in people]})
    return Grounded(snapped, tuple(similar_ids), tuple(exclude_ids), tuple(about_ids),
                    tuple(dict.fromkeys(unknown)), tuple(disliked_ids),
                    tuple(p for p in frame.people if p not in people))


def compile_plan(grounded: Grounded, context: CompileContext) -> list[PlanStep]:
    """The tool calls that answer a grounded frame."""
    frame = grounded.frame
    if frame.intent == "info" and "count" in frame.asks and not grounded.about_ids:
        args = _filter_args(grounded, replace(context, avoid_genres=()))  # count them all
        return [PlanStep(names.FILTER_ITEMS, args)] if args else []
    if frame.intent in ("info", "compare"):
        return [PlanStep(names.ITEM_INFO, {"item_ids": list(grounded.about_ids)})] \
            if grounded.about_ids else []
    if frame.intent != "recommend" and not (frame.intent == "feedback" and grounded.similar_ids):
        return []  # a liked title in feedback also gets picks like it
    steps = []
    filter_args = _filter_args(grounded, context)
    if filter_args:
        steps.append(PlanStep(names.FILTER_ITEMS, filter_args))
    if frame.query:
        steps.append(PlanStep(names.SEARCH_ITEMS, {"query": frame.query, "k": context.search_k}))
    steps.append(_rank_step(grounded, context))
    return steps


def _filter_args(grounded: Grounded, context: CompileContext) -> dict[str, Any]:
    frame = grounded.frame
    avoid = [g for g in context.avoid_genres if g not in frame.genres]
    args: dict[str, Any] = {
        "genres_all": list(frame.genres),
        "genres_any": list(frame.genres_any),
        "genres_none": list(dict.fromkeys([*frame.exclude_genres, *avoid])),
        "year_min": frame.year_min,
        "year_max": frame.year_max,
        "exclude_years": list(frame.exclude_years) if frame.exclude_years else None,
        "people_any": list(frame.people),
        "people_none": list(frame.exclude_people),
        "exclude_ids": sorted({*grounded.exclude_ids, *grounded.similar_ids,
                               *grounded.disliked_ids, *context.extra_exclude_ids}),
    }
    if frame.popularity == "popular":
        args["popularity_min"] = context.bands.popular_min
    elif frame.popularity == "obscure":
        args["popularity_max"] = context.bands.obscure_max
    return {k: v for k, v in args.items() if v not in (None, [])}


def _rank_step(grounded: Grounded, context: CompileContext) -> PlanStep:
    frame = grounded.frame
    # titles disliked now or earlier in the session: their neighbours go down
    disliked = list(dict.fromkeys([*grounded.disliked_ids, *context.disliked_ids]))
    extra = {"disliked_ids": disliked[-200:]} if disliked else {}
    if grounded.similar_ids:  # liked titles join the session's sequence, in the order told
        return PlanStep(names.RANK_CANDIDATES, {"ranker": "similarity",
                                            "item_ids": list(grounded.similar_ids), **extra})
    if (frame.quality or frame.popularity == "obscure") and context.has_ratings:
        # "hidden gems": of the lesser known, the best rated (not the most rated)
        return PlanStep(names.RANK_CANDIDATES, {"ranker": "rating"})
    if frame.popularity == "popular" or not (context.has_history or frame.query):
        return PlanStep(names.RANK_CANDIDATES, {"ranker": "popularity"})
    # from the history, keeping the relevance of a search for a soft wish
    return PlanStep(names.RANK_CANDIDATES, {"ranker": "sasrec", **extra})


def relaxations(frame: RequestFrame) -> Iterator[tuple[str, RequestFrame]]:
    """Ever looser frames, softest condition first: description, popularity, years, genres."""
    if frame.query:
        frame = frame.model_copy(update={"query": None})
        yield "the description", frame
    if frame.quality:
        frame = frame.model_copy(update={"quality": False})
        yield "the rating wish", frame
    if frame.exclude_years is not None:
        frame = frame.model_copy(update={"exclude_years": None})
        yield "the excluded years", frame
    if frame.popularity:
        frame = frame.model_copy(update={"popularity": None})
        yield "the popularity wish", frame
    if frame.year_min is not None or frame.year_max is not None:
        frame = frame.model_copy(update={"year_min": None, "year_max": None})
        yield "the years", frame
    if frame.genres_any:
        label = f"the {FACET} " + " or ".join(frame.genres_any)
        frame = frame.model_copy(update={"genres_any": []})
        yield label, frame
    genres = list(frame.genres)
    while genres:
        dropped = genres.pop()
        frame = frame.model_copy(update={"genres": list(genres)})
        yield f"the {FACET} {dropped}", frame
    if frame.similar_to:
        frame = frame.model_copy(update={"similar_to": []})
        yield "the titles you named", frame

"""The parts one agent is assembled from (injected; `RecAgent.default` builds them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from convrec.agent.answers import CatalogFacts
from convrec.agent.compiler import PopularityBands, TitleMatcher, ground
from convrec.agent.frame import RequestFrame
from convrec.agent.planner import PlanRequest, Reading
from convrec.agent.responder import Responder
from convrec.recsys.schema import singular
from convrec.tools.toolkit import Toolkit


class Planner(Protocol):
    source: str
    accepts_feedback: bool  # False: a failed plan goes straight to the fallback
    checks_draft: bool  # True: it saw the extractor's frame; its own frame is the reference

    def plan(self, request: PlanRequest) -> RequestFrame: ...


class Extractor(Protocol):
    def read(self, message: str, previous: RequestFrame | None = None,
             shown: Sequence[str] = (), focus: Sequence[str] = ()
             ) -> tuple[RequestFrame, tuple[str, ...]]: ...


AMBIGUOUS_MIN_CONFIDENCE = 0.9


@dataclass
class AgentParts:
    """toolkit, planners, responder and the knobs of the planning loop."""

    toolkit: Toolkit
    extractor: Extractor
    planner: Planner | None  # None: the deterministic planner only
    fallback: Planner
    responder: Responder
    match_title: TitleMatcher
    bands: PopularityBands
    facts: CatalogFacts
    max_replans: int = 2

    def read(self, message: str, previous: RequestFrame | None = None,
             match: TitleMatcher | None = None, shown: Sequence[str] = (),
             focus: Sequence[str] = ()) -> Reading:
        """The one reading of a message a turn makes: the extractor's frame, grounded.
        `shown`/`focus`: the titles last shown and last talked about, for references."""
        frame, open_words = self.extractor.read(message, previous, shown, focus)
        return Reading(frame, ground(frame, match or self.match_title, self.facts.known_people),
                       open_words)


def catalog_facts(toolkit: Toolkit) -> CatalogFacts:
    """What the catalog can answer, in its own words: its noun, facets, people, years,
    size, whether it has ratings and descriptions."""
    arrays, catalog = toolkit.arrays, toolkit.catalog
    years = arrays.years[arrays.exists & (arrays.years >= 0)]
    info = catalog.info
    top = catalog.title_rows(most_popular=1)
    return CatalogFacts(catalog.genres, int(years.min()) if years.size else None,
                        int(years.max()) if years.size else None, catalog.has_ratings,
                        len(catalog), roles=info.roles if catalog.people else (),
                        noun=info.noun, words=catalog.vocabulary(),
                        has_descriptions=catalog.has_descriptions(), nouns=info.nouns,
                        facet_label=info.facet_label,
                        example=top[0].display_title if top else "",
                        kinds={v: singular(catalog.facet_kind(v) or "") for v in catalog.genres},
                        known_people=frozenset(catalog.people))


def popularity_bands(popularity: np.ndarray) -> PopularityBands:
    """"popular" = top quarter by rating count; "obscure" = bottom half of rated items."""
    rated = popularity[popularity > 0]
    if rated.size == 0:
        return PopularityBands(0, 0)
    return PopularityBands(int(np.percentile(rated, 75)), int(np.percentile(rated, 50)))


def title_matcher(toolkit: Toolkit) -> TitleMatcher:
    """Title as written -> (id, display title) through the lookup tool's index, or (None, None).

    An ambiguous match counts only when its best candidate is near-certain: "Star Wars: The
    Phantom Menace" half-matches both Star Wars and The Phantom, and is neither.
    """
    def match(title: str) -> tuple[int | None, str | None]:
        found = toolkit.match_title(title)
        if found.id is None or (found.status == "ambiguous"
                                and found.best.confidence < AMBIGUOUS_MIN_CONFIDENCE):
            return None, None
        return found.id, toolkit.catalog.item(found.id).display_title

    return match

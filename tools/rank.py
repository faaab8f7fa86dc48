"""rank_candidates: order the bus with a recommender, falling back to popularity, and say so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import Field

from convrec.memory.bus import CandidateBus
from convrec.recsys.blend import (
    ALS_WINDOW,
    MODE_WEIGHTS,
    RELEVANCE_WEIGHTS,
    BlendWeights,
    blend,
    genre_overlap,
    model_signals,
)
from convrec.recsys.catalog import Catalog
from convrec.recsys.protocol import UserContext
from convrec.recsys.threads import torch_threads
from convrec.tools import names
from convrec.tools.arrays import CatalogArrays
from convrec.tools.base import (
    Stopwatch,
    Tool,
    ToolArgs,
    ToolError,
    ToolResult,
    item_line,
    numbered,
    rating_text,
)
from convrec.tools.lookup import Title, TitleResolver
from convrec.tools.models import ModelStore

ANCHOR_TITLES = 2  # "like X (and Y)" is about those titles; a longer list is a history
RANK_DEPTH = 2000  # at most this many candidates get a score; the rest keep their order after
Ranker = Literal["sasrec", "als", "popularity", "rating", "similarity"]


class RankArgs(ToolArgs):
    ranker: Ranker = Field("sasrec", description=(
        "sasrec: from what the user watched or liked in this session (order matters), SASRec "
        "blended with ALS closeness, disliked items' neighbours down, keeping the relevance "
        "of an earlier search; als: from the user's overall taste; popularity: most rated "
        "first; rating: best rated first (mean "
        "rating, shrunk toward the average for items with few ratings); similarity: closest "
        "to `titles` (blended with SASRec from the session, as sasrec)."))
    titles: list[Title] = Field(default_factory=list, max_length=5,
                                description="For ranker=similarity: the titles to be close to.")
    item_ids: list[int] = Field(default_factory=list, max_length=20,
                                description="For ranker=similarity: item ids (set by the "
                                            "program, not the LLM).")
    disliked_ids: list[int] = Field(default_factory=list, max_length=200,
                                    description="Items the user disliked, whose neighbours go "
                                                "down (set by the program, not the LLM).")
    show: int = Field(10, ge=1, le=50, description="How many top items to list.")


@dataclass
class Ranking:
    ids: np.ndarray
    scores: np.ndarray
    used: str
    fallback_reason: str | None = None


class RankCandidates(Tool):
    name = names.RANK_CANDIDATES
    description = (
        "Order the current candidates, best first, and list the top ones. Use it as the last "
        "step before answering, after filters and searches have chosen the candidates. "
        "ranker=sasrec uses what the user watched or liked in this session (and keeps the "
        "relevance of an earlier search), als the user's general taste, popularity the most "
        "rated, rating the best rated (for 'top rated' or 'best' "
        "requests; only when the data has ratings), similarity closeness to given titles. If the "
        "chosen ranker cannot serve (no history yet, model missing) it ranks by popularity "
        "and says so. Do not use it to choose candidates (filter_items, search_items and "
        "similar_items do that): it never adds or removes any."
    )
    args_schema = RankArgs

    def __init__(self, catalog: Catalog, resolver: TitleResolver, models: ModelStore,
                 arrays: CatalogArrays | None = None, similarity_model: str = "als",
                 weights: Mapping[str, BlendWeights] | None = None):
        super().__init__()
        self.weights = dict(weights or MODE_WEIGHTS)
        self.catalog = catalog
        self.resolver = resolver
        self.models = models
        self._arrays = arrays
        self.similarity_model = similarity_model

    def setup(self) -> None:
        if self._arrays is None:
            self._arrays = CatalogArrays(self.catalog)

    def execute(self, args: RankArgs, bus: CandidateBus) -> ToolResult:
        if len(bus) == 0:
            raise ToolError("there are no candidates to rank; relax the earlier filters")
        with Stopwatch() as sw:
            ranking = self._rank(args, bus)
            bus.reorder(ranking.ids, ranking.scores, tool=self.name, seconds=sw.elapsed(),
                        note=ranking.used + (f" (fallback: {ranking.fallback_reason})"
                                             if ranking.fallback_reason else ""))
        top = bus.top(args.show)
        items = self.catalog.items(top.tolist())
        head = f"Ranked {len(bus)} candidates by {ranking.used}."
        if ranking.fallback_reason:
            head = (f"Asked to rank by {args.ranker}, but {ranking.fallback_reason}, so ranked "
                    f"{len(bus)} candidates by popularity instead.")
        with_rating = ranking.used == "rating"
        content = head + " Top:\n" + numbered(
            item_line(i, f"({rating_text(i)})" if with_rating and i.avg_rating is not None else "")
            for i in items)
        artifact = {"requested": args.ranker, "used": ranking.used,
                    "fallback_reason": ranking.fallback_reason, "n": len(bus),
                    "ids": top.tolist(),
                    "scores": [None if s != s else round(float(s), 4)
                               for s in bus.scores[: top.size]]}
        return ToolResult(content, artifact)

    def _rank(self, args: RankArgs, bus: CandidateBus) -> Ranking:
        if args.ranker == "popularity":
            return self._popularity(bus, "popularity")
        if args.ranker == "rating":
            return self._rating(bus)
        if args.ranker in ("sasrec", "similarity"):
            return self._blend(args, bus, args.ranker)
        model = self.models.get(args.ranker)
        if model is None:
            return self._popularity(bus, args.ranker, f"the {args.ranker} model is not "
                                    f"available ({self.models.reason(args.ranker)})")
        sequence = [int(i) for i in bus.sequence if 0 <= i < model.n_items]
        candidates = bus.ids[bus.ids < model.n_items]
        if not sequence:
            return self._popularity(bus, args.ranker, "this session has no item history yet")
        if candidates.size == 0:
            return self._popularity(bus, args.ranker, f"the {args.ranker} model knows none "
                                    "of the candidates")
        with torch_threads(1):
            ids, scores = model.recommend(UserContext(sequence=sequence),
                                          N=int(min(candidates.size, RANK_DEPTH)),
                                          items=candidates)
        keep = ids >= 0
        return Ranking(ids[keep], scores[keep], args.ranker)

    def _blend(self, args: RankArgs, bus: CandidateBus, mode: Literal["sasrec", "similarity"]
               ) -> Ranking:
        """SASRec from the session's sequence and the titles named now (in the order told),
        ALS closeness, genre overlap, disliked neighbours down, search relevance kept
        (`recsys.blend`; weights per mode). Falls back to popularity as the old rankers did."""
        named, _ = self.resolver.resolve(args.titles)
        told = list(dict.fromkeys([*named, *args.item_ids]))
        sequence = list(dict.fromkeys([*(int(i) for i in bus.sequence if i not in told), *told]))
        relevance = np.asarray(bus.scores, dtype=np.float64)
        searched = bool(np.isfinite(relevance).any())
        seeds = (told or sequence)[-ALS_WINDOW:]  # "like X": close to the titles named
        if not sequence and not searched:
            return self._popularity(bus, mode, "no titles were given to be similar to and this "
                                    "session has no item history" if mode == "similarity"
                                    else "this session has no item history yet")
        missing = [m for m in ("sasrec", self.similarity_model) if self.models.get(m) is None]
        if sequence and len(missing) == 2:
            return self._popularity(bus, mode, f"the {mode} ranking needs the sasrec or "
                                    f"{self.similarity_model} model, and neither is available "
                                    f"({self.models.reason(missing[0])})")
        anchored = mode == "similarity" and 0 < len(told) <= ANCHOR_TITLES
        weights = RELEVANCE_WEIGHTS if not sequence else \
            self.weights["similarity" if anchored else "sasrec"]
        ids = bus.ids
        with torch_threads(1):
            signals = model_signals(sequence, seeds, args.disliked_ids, ids,
                                    self.models.get("sasrec"),
                                    self.models.get(self.similarity_model), weights)
        arrays = self._arrays
        if weights.genre and seeds:
            signals["genre"] = genre_overlap(arrays.genre_bits, seeds, ids)
        if weights.popularity:
            signals["popularity"] = np.log1p(arrays.popularity[ids].astype(np.float64))
        if weights.quality and arrays.has_ratings:
            signals["quality"] = arrays.quality[ids]
        if weights.relevance and searched:
            signals["relevance"] = relevance
        scores = blend(signals, weights)
        quality = np.nan_to_num(arrays.quality[ids], nan=-np.inf) if arrays.has_ratings \
            else np.zeros(ids.size)
        order = np.lexsort((ids, -quality, -scores))[:RANK_DEPTH]  # ties: better rated first
        return Ranking(ids[order], scores[order].astype(np.float32),
                       mode if sequence else "relevance")

    def _rating(self, bus: CandidateBus) -> Ranking:
        """Best shrunk mean rating first; ties by more ratings, then smaller id."""
        if not self._arrays.has_ratings:
            raise ToolError("this dataset has no ratings (its interactions have no rating "
                            "column, or one value throughout), so ranker=rating cannot serve; "
                            "use ranker=popularity (most rated first) instead")
        ids = bus.ids
        quality = self._arrays.quality[ids]
        counts = self._arrays.n_ratings[ids]
        depth = min(ids.size, RANK_DEPTH)
        part = np.arange(ids.size)
        if depth < ids.size:
            cut = np.partition(quality, ids.size - depth)[ids.size - depth]
            part = np.flatnonzero(quality >= cut)  # the top `depth` and all tied with the last
        order = part[np.lexsort((ids[part], -counts[part], -quality[part]))][:depth]
        return Ranking(ids[order], quality[order].astype(np.float32), "rating")

    def _popularity(self, bus: CandidateBus, requested: str, reason: str | None = None) -> Ranking:
        ids = bus.ids
        pops = self._arrays.popularity[ids].astype(np.float64)
        depth = min(ids.size, RANK_DEPTH)
        if depth < ids.size:
            part = np.argpartition(-pops, depth - 1)[:depth]
        else:
            part = np.arange(ids.size)
        order = part[np.lexsort((ids[part], -pops[part]))]  # most rated, then smaller id
        return Ranking(ids[order], pops[order].astype(np.float32), "popularity",
                       reason if requested != "popularity" else None)

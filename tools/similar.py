"""similar_items: candidates whose collaborative (ALS) item factors are closest to given items."""

from __future__ import annotations

from pydantic import Field, model_validator

from convrec.memory.bus import CandidateBus
from convrec.recsys.catalog import Catalog
from convrec.tools import names
from convrec.tools.base import Stopwatch, Tool, ToolArgs, ToolError, ToolResult
from convrec.tools.lookup import Title, TitleResolver
from convrec.tools.models import ModelStore, similarity_scores


class SimilarArgs(ToolArgs):
    titles: list[Title] = Field(default_factory=list, max_length=5,
                                description="Titles the user liked, as the user wrote them.")
    item_ids: list[int] = Field(default_factory=list, max_length=20,
                                description="Item ids (set by the program, not the LLM).")
    k: int = Field(20, ge=1, le=500, description="How many nearest items to keep.")

    @model_validator(mode="after")
    def _some(self) -> SimilarArgs:
        if not self.titles and not self.item_ids:
            raise ValueError("give at least one title to find items similar to")
        return self


class SimilarItems(Tool):
    name = names.SIMILAR_ITEMS
    description = (
        "Keep the candidates that people who liked the given titles also liked (collaborative "
        "neighbours from the ALS model), ordered by closeness. Use it for 'more like Fargo' or "
        "'something similar to Alien and Aliens'. Do not use it for descriptions without a "
        "title (use search_items) or to order an already chosen set (use rank_candidates)."
    )
    args_schema = SimilarArgs

    def __init__(self, catalog: Catalog, resolver: TitleResolver, models: ModelStore,
                 model_name: str = "als"):
        super().__init__()
        self.catalog = catalog
        self.resolver = resolver
        self.models = models
        self.model_name = model_name

    def execute(self, args: SimilarArgs, bus: CandidateBus) -> ToolResult:
        model = self.models.get(self.model_name)
        if model is None:
            raise ToolError(f"similar_items is unavailable: {self.models.reason(self.model_name)}"
                            ". Use search_items with a short description of those titles.")
        with Stopwatch() as sw:
            ids, notes = self.resolver.resolve(args.titles)
            seeds = list(dict.fromkeys(ids + list(args.item_ids)))
            unknown = [s for s in seeds if not 0 <= s < model.n_items]
            if unknown:
                raise ToolError(f"the {self.model_name} model does not know "
                                f"{len(unknown)} of the given items; use search_items instead")
            found, scores = similarity_scores(model, seeds, bus.ids)
            found, scores = found[: args.k], scores[: args.k]
        if found.size == 0:
            raise ToolError("no candidate is left to compare with; relax the earlier filters")
        n_in = len(bus)
        seed_items = self.catalog.items(seeds)
        bus.narrow(found, tool=self.name, scores=scores, seconds=sw.seconds,
                   note="like " + ", ".join(i.label() for i in seed_items))
        shown = "; ".join(i.label() for i in self.catalog.items(bus.top(5).tolist()))
        content = (f"Kept the {len(bus)} of {n_in} candidates closest to "
                   f"{', '.join(i.label() for i in seed_items)}; closest: {shown}."
                   + "".join(f" Note: {n}." for n in notes))
        artifact = {"n_in": n_in, "n_out": len(bus), "seeds": seeds, "model": self.model_name,
                    "ids": bus.ids.tolist(), "scores": [round(float(s), 4) for s in bus.scores]}
        return ToolResult(content, artifact)

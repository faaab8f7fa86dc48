"""item_info: facts about named items (year, genres, popularity, ratings) for questions."""

from __future__ import annotations

from pydantic import Field, model_validator

from convrec.memory.bus import CandidateBus
from convrec.recsys.catalog import Catalog
from convrec.tools import names
from convrec.tools.arrays import CatalogArrays
from convrec.tools.base import Tool, ToolArgs, ToolError, ToolResult, item_record, rating_text
from convrec.tools.lookup import Title, TitleResolver


class InfoArgs(ToolArgs):
    titles: list[Title] = Field(default_factory=list, max_length=10,
                                description="Titles to describe, as the user wrote them.")
    item_ids: list[int] = Field(default_factory=list, max_length=50,
                                description="Item ids (set by the program, not the LLM).")

    @model_validator(mode="after")
    def _some(self) -> InfoArgs:
        if not self.titles and not self.item_ids:
            raise ValueError("give at least one title")
        return self


class ItemInfo(Tool):
    name = names.ITEM_INFO
    description = (
        "Look up facts about specific items the user names: release year, genres, how "
        "popular they are (number of ratings) and, when the data has ratings, their average "
        "rating. Use it to answer questions such as 'what year "
        "is Fargo?' or 'is Alien a horror film?'. Do not use it to find or recommend items; "
        "it does not change the candidate set."
    )
    args_schema = InfoArgs

    def __init__(self, catalog: Catalog, resolver: TitleResolver,
                 arrays: CatalogArrays | None = None):
        super().__init__()
        self.catalog = catalog
        self.resolver = resolver
        self._arrays = arrays

    def setup(self) -> None:
        _ = self.resolver.index
        if self._arrays is None:
            self._arrays = CatalogArrays(self.catalog)

    def execute(self, args: InfoArgs, bus: CandidateBus) -> ToolResult:
        ids, notes = self.resolver.resolve(args.titles)
        try:
            items = self.catalog.items(ids + list(args.item_ids))
        except KeyError as exc:
            raise ToolError(str(exc.args[0])) from None
        lines = []
        for item in items:
            rank = self._arrays.popularity_rank(item.id)
            genres = ", ".join(item.genres) or "no genres listed"
            year = item.year if item.year else "unknown year"
            rating = f"; {rating_text(item) or 'not rated'}" if self.catalog.has_ratings else ""
            lines.append(f"{item.display_title}: {year}; {genres}; {item.popularity} ratings "
                         f"(number {rank} of {len(self.catalog)} by popularity){rating}"
                         + ("" if bus.contains([item.id])[0] else "; already seen or rejected")
                         + ".")
        content = "\n".join(lines + [f"Note: {n}." for n in notes])
        return ToolResult(content, {"items": [item_record(i) for i in items], "notes": notes})

"""lookup_items: titles as the user wrote them -> catalog items, with confidence."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Annotated

from pydantic import Field, StringConstraints

from convrec.memory.bus import CandidateBus
from convrec.recsys.catalog import Catalog
from convrec.tools import names
from convrec.tools.base import Tool, ToolArgs, ToolError, ToolResult, quote
from convrec.tools.titles import TitleIndex, TitleMatch

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class LookupArgs(ToolArgs):
    titles: list[Title] = Field(min_length=1, max_length=20,
                                description="Titles exactly as the user wrote them, e.g. "
                                            "['the godfather', 'Fargo (1996)'].")


class TitleResolver:
    """Shared by tools that take titles: one TitleIndex per catalog, built on first use."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._index: TitleIndex | None = None
        self._lock = threading.Lock()

    @property
    def index(self) -> TitleIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = TitleIndex(self.catalog)
        return self._index

    def resolve(self, titles: Sequence[str]) -> tuple[list[int], list[str]]:
        """Ids of confidently matched titles (best match when ambiguous) and notes to report.

        Raises ToolError when a title matches nothing, naming the closest titles.
        """
        ids, notes = [], []
        for title in titles:
            match = self.index.match(title)
            if match.status == "no_match":
                raise ToolError(no_match_message(match) + " Call lookup_items to check the "
                                "title, or leave it out.")
            if match.status == "ambiguous":
                notes.append(f"{quote(title)} is ambiguous; used {match.best.title}")
            ids.append(match.best.id)
        return ids, notes


def no_match_message(match: TitleMatch) -> str:
    closest = [c.title for c in ((match.best,) if match.best else ()) + match.alternatives]
    hint = f"; closest: {', '.join(closest[:3])}" if closest else ""
    return f"No title matches {quote(match.query)}{hint}."


def _line(match: TitleMatch, on_bus: bool) -> str:
    if match.status == "no_match":
        return no_match_message(match)
    best = match.best
    seen = "" if on_bus else " [already seen or rejected by this user]"
    if match.status == "ambiguous":
        others = ", ".join(c.title for c in match.alternatives)
        return (f"{quote(match.query)} is ambiguous: best guess {best.title} "
                f"(confidence {best.confidence:.2f}){seen}; also possible: {others}.")
    also = (f"; other titles like it: {', '.join(c.title for c in match.alternatives)}"
            if match.alternatives else "")
    return f"{quote(match.query)} -> {best.title} (confidence {best.confidence:.2f}){seen}{also}."


class LookupItems(Tool):
    name = names.LOOKUP_ITEMS
    description = (
        "Find catalog items by the titles the user mentions (typos, missing articles or years "
        "are fine) and report how sure the match is. Use it when the user names specific "
        "titles (to check they exist, or before asking for similar items or facts about them). "
        "Do not use it for descriptions of what the user wants ('a funny 90s movie'): use "
        "filter_items or search_items for that. It does not change the candidate set."
    )
    args_schema = LookupArgs

    def __init__(self, resolver: TitleResolver):
        super().__init__()
        self.resolver = resolver

    def setup(self) -> None:
        _ = self.resolver.index

    def execute(self, args: LookupArgs, bus: CandidateBus) -> ToolResult:
        matches = [self.resolver.index.match(title) for title in args.titles]
        if all(m.status == "no_match" for m in matches):
            raise ToolError(" ".join(no_match_message(m) for m in matches)
                            + " Ask the user to check the title, or search by description "
                            "with search_items.")
        ids = [m.best.id for m in matches if m.status != "no_match"]
        on_bus = dict(zip(ids, bus.contains(ids).tolist()))
        lines = [_line(m, on_bus.get(m.id, True)) for m in matches]
        artifact = {"matches": [_match_record(m, on_bus.get(m.id)) for m in matches]}
        return ToolResult("\n".join(lines), artifact)


def _match_record(match: TitleMatch, on_bus: bool | None) -> dict:
    def cand(c):
        return {"id": c.id, "title": c.title, "confidence": c.confidence}

    return {"query": match.query, "status": match.status, "id": match.id,
            "title": match.best.title if match.id is not None else None,
            "confidence": match.best.confidence if match.best else 0.0,
            "on_bus": on_bus, "alternatives": [cand(c) for c in match.alternatives]}

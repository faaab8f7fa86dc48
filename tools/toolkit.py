"""The Toolkit: one catalog, its models and every tool, ready for an agent's plan."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from convrec.memory.bus import CandidateBus
from convrec.recsys.catalog import Catalog
from convrec.recsys.protocol import Recommender
from convrec.tools.arrays import LazyCatalogArrays
from convrec.tools.base import Tool, ToolArgs, ToolError, ToolResult
from convrec.tools.embed import Embedder
from convrec.tools.filter import FilterItems
from convrec.tools.info import ItemInfo
from convrec.tools.lookup import LookupItems, TitleResolver
from convrec.tools.models import ModelStore
from convrec.tools.rank import RankCandidates
from convrec.tools.search import SearchItems
from convrec.tools.similar import SimilarItems
from convrec.tools.titles import TitleMatch

log = logging.getLogger(__name__)

LOADABLE_MODELS = ("als", "sasrec")
QUICK_TO_TRAIN = ("als",)  # seconds on ML-100K; SASRec takes minutes, so never mid-turn


class Toolkit:
    """Catalog + models + tools. Nothing expensive happens until a tool first runs.

    `tools` maps each tool's name (`convrec.tools.names`) to the tool; `run(name, args, bus)`
    runs one plan step; `match_title(text)` resolves one written title as lookup_items does.
    """

    def __init__(self, catalog: Catalog, models: ModelStore | Mapping[str, Recommender] | None
                 = None, *, chroma_path: Path | None = None, chroma_host: str | None = None,
                 chroma_port: int = 8000, collection: str = "catalog",
                 embedder: Embedder | None = None, filter_engine: str = "auto"):
        self.catalog = catalog
        self.models = models if isinstance(models, ModelStore) else ModelStore(models)
        self.embedder = embedder or Embedder()
        self._all_ids = None
        self._titles = resolver = TitleResolver(catalog)
        self.arrays = LazyCatalogArrays(catalog)
        filter_tool = FilterItems(catalog, resolver, self.arrays, engine=filter_engine)
        tools: list[Tool] = [
            LookupItems(resolver),
            ItemInfo(catalog, resolver, self.arrays),
            filter_tool,
            SearchItems(catalog, self.embedder, path=chroma_path, host=chroma_host,
                        port=chroma_port, collection=collection),
            SimilarItems(catalog, resolver, self.models),
            RankCandidates(catalog, resolver, self.models, self.arrays),
        ]
        self.tools: dict[str, Tool] = {tool.name: tool for tool in tools}

    @classmethod
    def from_home(cls, home: Path, dataset: str = "movielens-100k",
                  chroma_host: str | None = None, chroma_port: int = 8000,
                  train_missing: Sequence[str] = QUICK_TO_TRAIN) -> Toolkit:
        """The toolkit of a fetched dataset. Models load from the cache on first use; those in
        `train_missing` are trained (`load_or_train`) if absent, others fall back with a hint.
        """
        from convrec.recsys.fetch import open_catalog

        home = Path(home)
        catalog = open_catalog(home, dataset)
        loader = functools.partial(_load, home=home, dataset=dataset,
                                   train_missing=tuple(train_missing))
        models = ModelStore(loader=loader, loadable=LOADABLE_MODELS)
        return cls(catalog, models, chroma_path=home / "chroma" / dataset,
                   chroma_host=chroma_host, chroma_port=chroma_port, collection=dataset)

    def match_title(self, text: str) -> TitleMatch:
        """`text` as a user wrote a title -> the catalog title it names, with confidence.

        The same index the title-taking tools use, built once per toolkit on first call.
        """
        return self._titles.index.match(text)

    def new_bus(self, excluded_ids: Sequence[int] = (), sequence: Sequence[int] = ()
                ) -> CandidateBus:
        """A fresh bus for one turn: every item but `excluded_ids` (seen or rejected)."""
        if self._all_ids is None:
            self._all_ids = self.arrays.exists.nonzero()[0]
        return CandidateBus(self._all_ids, excluded_ids, sequence=sequence)

    def run(self, name: str, args: Mapping[str, Any] | ToolArgs | None,
            bus: CandidateBus) -> ToolResult:
        """Run one plan step {"tool": name, "args": args}; an unknown name is a ToolError."""
        tool = self.tools.get(name)
        if tool is None:
            raise ToolError(f"there is no tool {name!r}; the tools are: "
                            f"{', '.join(self.tools)}")
        return tool.run(args, bus)

    def setup(self, names: Sequence[str] | None = None) -> None:
        """Load indexes and models now rather than on the first call."""
        for name in names or self.tools:
            self.tools[name].ensure_setup()

    def specs(self) -> list[dict[str, Any]]:
        """name, description and JSON-Schema parameters of every tool (for planner prompts)."""
        return [tool.spec() for tool in self.tools.values()]


def _load(name: str, *, home: Path, dataset: str, train_missing: tuple[str, ...]) -> Recommender:
    from convrec.recsys.train import load_model, load_or_train

    if name in train_missing:
        return load_or_train(name, home, dataset)
    model = load_model(name, home, dataset)
    if model is None:
        raise FileNotFoundError(f"it is not trained yet; run `convrec train --model "
                                f"{name}`")
    return model

"""The synthetic catalog `convrec bench tools` measures scale on is a catalog this version
reads (it once lagged behind the schema and the scale benchmark could not open it)."""

from __future__ import annotations

from pathlib import Path

from convrec.memory.bus import CandidateBus
from convrec.recsys.catalog import Catalog
from convrec.tools.bench import build_synthetic_catalog
from convrec.tools.filter import FilterItems
from convrec.tools.lookup import TitleResolver


def test_the_synthetic_catalog_opens_and_filters(tmp_path: Path):
    build_synthetic_catalog(tmp_path / "catalog.sqlite", 2_000)
    catalog = Catalog(tmp_path / "catalog.sqlite")
    assert len(catalog) == 2_000 and "Sci-Fi" in catalog.genres and catalog.info.noun == "item"
    tool = FilterItems(catalog, TitleResolver(catalog), engine="numpy")
    bus = CandidateBus(range(len(catalog)))
    tool.run({"genres_all": ["Sci-Fi"], "year_min": 1990}, bus)
    assert 0 < len(bus) < 2_000
    assert all("Sci-Fi" in item.genres and item.year >= 1990
               for item in catalog.items(bus.ids[:50].tolist()))

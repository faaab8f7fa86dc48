"""`convrec bench tools`: warm latency of every tool, Chroma index build/reopen, 1M-item scale.

Figures are wall clock on the machine as it is; the CLI prints them as a table.
"""

from __future__ import annotations

import logging
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from convrec.recsys.catalog import CATALOG_VERSION, SCHEMA, Catalog
from convrec.recsys.schema import DatasetInfo
from convrec.tools.base import ToolError
from convrec.tools.embed import Embedder
from convrec.tools.names import (
    FILTER_ITEMS,
    ITEM_INFO,
    LOOKUP_ITEMS,
    RANK_CANDIDATES,
    SEARCH_ITEMS,
    SIMILAR_ITEMS,
)
from convrec.tools.search import ItemIndex, chroma_client
from convrec.tools.toolkit import Toolkit

log = logging.getLogger(__name__)

TARGET_CALL_MS, TARGET_BUILD_S, TARGET_REOPEN_S, TARGET_SCALE_MS = 20.0, 10.0, 1.0, 150.0
HISTORY = [49, 171, 180, 126, 99, 0, 6, 120, 256, 221]  # a session that watched ten films


@dataclass
class Row:
    what: str
    value: float
    unit: str
    target: float | None = None
    note: str = ""

    def ok(self) -> str:
        return "" if self.target is None else ("ok" if self.value <= self.target else "MISSED")


@dataclass
class ToolsBench:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def median_ms(call: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        call()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def tool_calls(toolkit: Toolkit) -> list[tuple[str, str, dict, dict]]:
    """(label, tool, args, bus kwargs) for every tool, as an agent would call them."""
    history = {"excluded_ids": HISTORY, "sequence": HISTORY}
    return [
        ("lookup_items 'godfahter'", LOOKUP_ITEMS, {"titles": ["godfahter"]}, {}),
        ("lookup_items 3 titles", LOOKUP_ITEMS,
         {"titles": ["The Godfather (1972)", "fargo", "star wars"]}, {}),
        ("item_info 'fargo'", ITEM_INFO, {"titles": ["fargo"]}, {}),
        ("filter_items 90s sci-fi (sql)", FILTER_ITEMS,
         {"genres_any": ["Sci-Fi"], "year_min": 1990, "year_max": 1999}, {}),
        ("search_items (query cached)", SEARCH_ITEMS,
         {"query": "space opera with jedi", "k": 50}, {}),
        ("similar_items 'star wars'", SIMILAR_ITEMS, {"titles": ["star wars"], "k": 20}, {}),
        ("rank_candidates popularity", RANK_CANDIDATES, {"ranker": "popularity"}, {}),
        ("rank_candidates als (10-item history)", RANK_CANDIDATES, {"ranker": "als"}, history),
        ("rank_candidates sasrec (10-item history)", RANK_CANDIDATES, {"ranker": "sasrec"},
         history),
        ("rank_candidates similarity", RANK_CANDIDATES,
         {"ranker": "similarity", "titles": ["Fargo"]}, {}),
    ]


def bench_ml100k(home: Path, dataset: str, repeats: int, out: ToolsBench) -> None:
    """Warm latency of each tool call on the real catalog, and the Chroma index timings."""
    from convrec.recsys.train import load_model, load_or_train

    with tempfile.TemporaryDirectory(prefix="convrec-bench-") as tmp:
        base = Toolkit.from_home(home, dataset)
        models = {"als": load_or_train("als", home, dataset)}
        sasrec = load_model("sasrec", home, dataset)
        if sasrec is None:
            out.notes.append("sasrec is not trained in this home (convrec train "
                             "--model sasrec); its rank falls back to popularity here")
        else:
            models["sasrec"] = sasrec
        embedder = Embedder()
        start = time.perf_counter()
        _ = embedder.model
        out.rows.append(Row("embedding model load (once per process)", time.perf_counter()
                            - start, "s"))
        toolkit = Toolkit(base.catalog, models, chroma_path=Path(tmp) / "chroma",
                          collection=dataset, embedder=embedder)
        _index_timings(toolkit, embedder, Path(tmp) / "chroma", dataset, out)
        toolkit.setup()
        for label, name, args, bus_kwargs in tool_calls(toolkit):
            def call(name=name, args=args, bus_kwargs=bus_kwargs):
                return toolkit.run(name, args, toolkit.new_bus(**bus_kwargs))

            try:
                ms = median_ms(call, repeats)
            except ToolError as exc:
                out.notes.append(f"{label}: {exc}")
                continue
            out.rows.append(Row(label, ms, "ms", TARGET_CALL_MS))
        queries = iter(f"space opera with jedi {i}" for i in range(10_000))
        search = toolkit.tools[SEARCH_ITEMS]
        ms = median_ms(lambda: search.run({"query": next(queries)}, toolkit.new_bus()), repeats)
        out.rows.append(Row("search_items (new query: embeds it)", ms, "ms", TARGET_CALL_MS))
        ms = median_ms(lambda: toolkit.new_bus(HISTORY, HISTORY), repeats)
        out.rows.append(Row("new_bus (1682 items)", ms, "ms"))


def _index_timings(toolkit: Toolkit, embedder: Embedder, path: Path, dataset: str,
                   out: ToolsBench) -> None:
    index = ItemIndex(toolkit.catalog, embedder, chroma_client(path), dataset)
    index.open()
    out.rows.append(Row(f"Chroma index build ({len(toolkit.catalog)} items, embed + add)",
                        index.build_seconds or 0.0, "s", TARGET_BUILD_S))
    start = time.perf_counter()
    reopened = ItemIndex(toolkit.catalog, embedder, chroma_client(path), dataset)
    reopened.open()
    out.rows.append(Row("Chroma index reopen (new client, hash check)",
                        time.perf_counter() - start, "s", TARGET_REOPEN_S))
    if reopened.build_seconds is not None:
        out.notes.append("the reopen rebuilt the index: the content hash did not match")


def build_synthetic_catalog(path: Path, n_items: int, seed: int = 0) -> None:
    """A catalog database of `n_items` random items (years, 1-3 of 18 genres, popularity)."""
    rng = np.random.default_rng(seed)
    genres = ["Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
              "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
              "Romance", "Sci-Fi", "Thriller", "War", "Western"]
    years = rng.integers(1920, 2021, n_items)
    popularity = np.minimum(rng.zipf(1.6, n_items), 100_000)
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        con.executemany("INSERT INTO genres VALUES (?, ?, 'genres')", list(enumerate(genres)))
        con.execute("INSERT INTO meta VALUES ('info', ?)", (DatasetInfo().to_json(),))
        con.executemany(
            "INSERT INTO items (item_id, raw_id, title, display_title, year, popularity, "
            "description, text, n_ratings) VALUES (?, ?, ?, ?, ?, ?, '', ?, 0)", (
                (i, str(i), f"Item {i}", f"Item {i}", int(years[i]), int(popularity[i]),
                 f"Item {i} ({years[i]})") for i in range(n_items)))
        counts = rng.integers(1, 4, n_items)
        item_col = np.repeat(np.arange(n_items), counts)
        genre_col = rng.integers(0, len(genres), item_col.size)
        pairs = np.unique(np.stack([item_col, genre_col], axis=1), axis=0)
        con.executemany("INSERT INTO item_genres VALUES (?, ?)", map(tuple, pairs.tolist()))
        con.execute(f"PRAGMA user_version = {CATALOG_VERSION}")
        con.commit()
    finally:
        con.close()


def bench_scale(n_items: int, repeats: int, out: ToolsBench) -> None:
    """filter + rank over the bus of a synthetic `n_items` catalog."""
    from convrec.recsys.mf import ALS

    with tempfile.TemporaryDirectory(prefix="convrec-bench-") as tmp:
        path = Path(tmp) / "catalog.sqlite"
        start = time.perf_counter()
        build_synthetic_catalog(path, n_items)
        out.notes.append(f"synthetic catalog of {n_items:,} items built in "
                         f"{time.perf_counter() - start:.1f} s (not a target)")
        catalog = Catalog(path)
        rng = np.random.default_rng(1)
        model = ALS.from_factors(rng.standard_normal((4, 64), dtype=np.float32),
                                 rng.standard_normal((n_items, 64), dtype=np.float32),
                                 seen=[np.zeros(0, np.int64)] * 4, factors=64)
        toolkit = Toolkit(catalog, {"als": model}, chroma_path=Path(tmp) / "chroma")
        start = time.perf_counter()
        toolkit.setup([FILTER_ITEMS, RANK_CANDIDATES])
        _ = toolkit.arrays.exists
        out.rows.append(Row(f"{n_items:,} items: read column arrays (once)",
                            time.perf_counter() - start, "s"))
        history = rng.integers(0, n_items, 20).tolist()
        filt = {"genres_any": ["Sci-Fi", "Horror"], "year_min": 1990, "year_max": 1999,
                "genres_none": ["Comedy"]}
        ms = median_ms(lambda: toolkit.new_bus(history, history), repeats)
        out.rows.append(Row(f"{n_items:,} items: new_bus", ms, "ms"))
        for ranker in ("popularity", "als"):
            def pipeline(ranker=ranker):
                bus = toolkit.new_bus(history, history)
                toolkit.run(FILTER_ITEMS, filt, bus)
                toolkit.run(RANK_CANDIDATES, {"ranker": ranker}, bus)
                return bus

            ms = median_ms(pipeline, repeats)
            out.rows.append(Row(f"{n_items:,} items: new_bus + filter (numpy) + rank {ranker}",
                                ms, "ms", TARGET_SCALE_MS))
        engine = toolkit.tools[FILTER_ITEMS]
        engine.engine = "sql"
        ms = median_ms(lambda: toolkit.run(FILTER_ITEMS, filt, toolkit.new_bus()), 3, 0)
        engine.engine = "auto"
        out.rows.append(Row(f"{n_items:,} items: filter via SQL instead (for comparison)", ms,
                            "ms"))
        catalog.close()


def run(home: Path, dataset: str = "movielens-100k", repeats: int = 20,
        scale_items: int = 1_000_000) -> ToolsBench:
    out = ToolsBench()
    bench_ml100k(Path(home), dataset, repeats, out)
    if scale_items > 0:
        bench_scale(scale_items, max(5, repeats // 4), out)
    return out


def format_table(result: ToolsBench) -> str:
    width = max(len(r.what) for r in result.rows) if result.rows else 10
    lines = [f"{'what':<{width}} {'value':>10}  {'target':>9}", "-" * (width + 24)]
    for r in result.rows:
        target = f"<= {r.target:g} {r.unit}" if r.target is not None else ""
        lines.append(f"{r.what:<{width}} {r.value:>7.2f} {r.unit:<2} {target:>9} {r.ok()}")
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)

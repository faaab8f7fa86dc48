"""The recommender benchmark: fit time, test metrics and latency per model, and a 1M-item
catalog check of ALS scoring.

Timings are wall clock on whatever the machine is doing at the time; run on an idle
machine for figures worth comparing.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convrec.recsys.blend import MODE_WEIGHTS
from convrec.recsys.catalog import Catalog
from convrec.recsys.data import Split
from convrec.recsys.metrics import evaluate
from convrec.recsys.mf import ALS
from convrec.recsys.models import MODEL_NAMES
from convrec.recsys.stated import StatedRow, evaluate_stated, genre_bits
from convrec.recsys.train import train_model

log = logging.getLogger(__name__)

OPTIONAL_MODULES = {"sasrec": "convrec.recsys.sasrec"}


@dataclass(frozen=True)
class BenchRow:
    """One model's figures; metrics are on the test split with full ranking."""

    model: str
    fit_seconds: float
    hr: float
    ndcg: float
    mrr: float
    single_p50_ms: float
    batch_total_ms: float


@dataclass(frozen=True)
class ScaleCheck:
    """ALS recommend for one user over a synthetic catalog."""

    n_items: int
    factors: int
    median_ms: float
    runs_ms: tuple[float, ...]


def available(name: str) -> str | None:
    """None if model `name` can be benchmarked here, else the reason it cannot."""
    if name not in MODEL_NAMES:
        return f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}"
    module = OPTIONAL_MODULES.get(name)
    if module is None:
        return None
    try:
        importlib.import_module(module)
    except ImportError as exc:
        return f"{module} does not import ({exc})"
    return None


def bench_model(name: str, split: Split, k: int = 10, latency_users: int = 50,
                seed: int = 0) -> BenchRow:
    """Fit `name` on `split`, evaluate it on test, and time its recommend calls."""
    model, seconds = train_model(name, split, show_progress=False)
    metrics = evaluate(model, split, k=k, part="test")
    rng = np.random.default_rng(seed)
    users = rng.choice(split.n_users, size=min(latency_users, split.n_users), replace=False)
    single = [_time_ms(lambda u=int(u): model.recommend(u, N=k)) for u in users]
    batch = _time_ms(lambda: model.recommend(list(range(split.n_users)), N=k))
    return BenchRow(name, seconds, metrics[f"hr@{k}"], metrics[f"ndcg@{k}"],
                    metrics[f"mrr@{k}"], float(np.median(single)), batch)


def bench_catalog_scale(n_items: int = 1_000_000, factors: int = 64, repeats: int = 7,
                        n_users: int = 16, seed: int = 0) -> ScaleCheck:
    """Median ms of one ALS `recommend` over `n_items` random item factors of rank `factors`."""
    rng = np.random.default_rng(seed)
    user_factors = rng.standard_normal((n_users, factors), dtype=np.float32)
    item_factors = rng.standard_normal((n_items, factors), dtype=np.float32)
    seen = [rng.integers(0, n_items, size=50) for _ in range(n_users)]
    model = ALS.from_factors(user_factors, item_factors, seen=seen, factors=factors)
    model.recommend(0, N=10)  # warm-up: first touch of the factor pages
    runs = [_time_ms(lambda u=u: model.recommend(u % n_users, N=10)) for u in range(repeats)]
    return ScaleCheck(n_items, factors, float(np.median(runs)), tuple(runs))


def run(split: Split, models: Sequence[str], k: int = 10,
        report: Callable[[str], None] = log.info) -> list[BenchRow]:
    """Benchmark each of `models` that is available; `report` gets a note for the others."""
    rows = []
    for name in models:
        reason = available(name)
        if reason:
            report(f"skipping {name}: {reason}")
            continue
        rows.append(bench_model(name, split, k=k))
    return rows


def stated_history(home: Path, dataset: str, split: Split, part: str = "test",
                   k: int = 10) -> list[StatedRow]:
    """The stated-history protocol (`recsys.stated`) with the cached SASRec and ALS models
    the agent ranks with: SASRec-from-5, ALS-from-5 and the agent's history blend."""
    from convrec.recsys.fetch import dataset_dir
    from convrec.recsys.train import load_or_train

    catalog = Catalog(dataset_dir(home, dataset) / "catalog.sqlite")
    popularity = np.bincount(split.train["item_id"].to_numpy(), minlength=split.n_items)
    models = {name: load_or_train(name, home, dataset, show_progress=False)
              for name in ("sasrec", "als")}
    return evaluate_stated(split, models["sasrec"], models["als"],
                           {"blend (agent)": MODE_WEIGHTS["sasrec"]}, part=part, k=k,
                           genre_bits=genre_bits(catalog), popularity=popularity)


def format_table(rows: Sequence[BenchRow], k: int = 10) -> str:
    """A plain-text table, one line per model."""
    header = (f"{'model':<8} {'fit s':>7} {f'HR@{k}':>7} {f'NDCG@{k}':>8} {f'MRR@{k}':>7} "
              f"{'1 user p50 ms':>14} {'all users ms':>13}")
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(f"{r.model:<8} {r.fit_seconds:>7.2f} {r.hr:>7.4f} {r.ndcg:>8.4f} "
                     f"{r.mrr:>7.4f} {r.single_p50_ms:>14.3f} {r.batch_total_ms:>13.1f}")
    return "\n".join(lines)


def _time_ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000

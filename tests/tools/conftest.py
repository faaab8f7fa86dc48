"""Tools fixtures: one real toolkit over the real ML-100K catalog, small real models."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from convrec.recsys.catalog import Catalog
from convrec.recsys.data import Split
from convrec.recsys.mf import ALS
from convrec.recsys.protocol import Recommender
from convrec.recsys.sasrec import SASRec
from convrec.tools import Toolkit
from convrec.tools.embed import Embedder


@pytest.fixture(scope="session")
def als(split: Split) -> Recommender:
    return ALS(factors=32, iterations=8).fit(split)


@pytest.fixture(scope="session")
def sasrec(split: Split) -> Recommender:
    """A real SASRec kept small: one epoch, one block (enough to rank from a sequence)."""
    return SASRec(max_epochs=1, hidden=32, n_blocks=1, max_len=20, eval_every=1,
                  warmup_epochs=0).fit(split)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(scope="session")
def toolkit(catalog: Catalog, als: Recommender, sasrec: Recommender, embedder: Embedder,
            tmp_path_factory: pytest.TempPathFactory) -> Toolkit:
    chroma = tmp_path_factory.mktemp("chroma")
    return Toolkit(catalog, {"als": als, "sasrec": sasrec}, chroma_path=chroma,
                   collection="tests", embedder=embedder)


@pytest.fixture(scope="session")
def bare_toolkit(catalog: Catalog, embedder: Embedder,
                 tmp_path_factory: pytest.TempPathFactory) -> Toolkit:
    """No models at all: rankers must fall back and say so."""
    return Toolkit(catalog, {}, chroma_path=tmp_path_factory.mktemp("chroma-bare"),
                   embedder=embedder)


@pytest.fixture
def catalog_unchanged(catalog: Catalog):
    """Asserts after the test that the catalog file and its row counts did not change."""

    def state() -> tuple:
        counts = tuple(catalog.execute(f"SELECT COUNT(*) FROM {t}")[0][0]
                       for t in ("items", "genres", "item_genres", "items_fts"))
        return hashlib.sha256(Path(catalog.path).read_bytes()).hexdigest(), counts

    before = state()
    yield
    assert state() == before

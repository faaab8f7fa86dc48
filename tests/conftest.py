"""Shared fixtures: the real MovieLens-100K in the convrec cache, fetched once if missing; a
real PostgreSQL server on loopback for the store tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from convrec.agent.llm.registry import register_backend, unregister_backend
from convrec.agent.llm.testing import ScriptedChatModel, scripted_backend
from convrec.memory.pg_cluster import TemporaryCluster
from convrec.recsys.catalog import Catalog
from convrec.recsys.data import Dataset, Split, leave_one_out
from convrec.recsys.fetch import MOVIELENS_100K, dataset_dir, fetch
from convrec.settings import Settings


@pytest.fixture(scope="session")
def home() -> Path:
    """The convrec cache (CONVREC_HOME or ~/.cache/convrec) holding MovieLens-100K."""
    path = Settings.from_env().home
    fetch(path, MOVIELENS_100K)
    return path


@pytest.fixture(scope="session")
def ml100k(home: Path) -> Dataset:
    return Dataset.load(dataset_dir(home, MOVIELENS_100K), MOVIELENS_100K)


@pytest.fixture(scope="session")
def split(ml100k: Dataset) -> Split:
    return leave_one_out(ml100k)


@pytest.fixture(scope="session")
def catalog(home: Path) -> Catalog:
    return Catalog(dataset_dir(home, MOVIELENS_100K) / "catalog.sqlite")


@pytest.fixture
def scripted() -> Iterator[ScriptedChatModel]:
    """A scripted chat model registered as the `scripted` LLM backend, always unregistered."""
    model = ScriptedChatModel()
    register_backend(scripted_backend(model))
    try:
        yield model
    finally:
        unregister_backend("scripted")


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryCluster]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 for the whole run. Missing PostgreSQL is
    a failure, not a skip: .ci/run installs it."""
    try:
        cluster = TemporaryCluster(fsync=False)
    except RuntimeError as exc:
        pytest.fail(f"the PostgreSQL store tests need a PostgreSQL server: {exc}")
    with cluster:
        yield cluster


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres: TemporaryCluster) -> str:
    """The URL of a new, empty database on the test cluster (started if a test stopped it)."""
    if not postgres.running():
        postgres.start()
    return postgres.url(f"test_{next(_databases)}")

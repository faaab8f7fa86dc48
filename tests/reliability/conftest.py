"""Reliability fixtures: one real deterministic agent on ML-100K, and agents that share its
parts but plan with a scripted (faulty) LLM and keep profiles in a temporary database."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from convrec.agent.assemble import build_agent
from convrec.agent.core import RecAgent
from convrec.agent.planner import DemonstrationPlanner
from convrec.memory.profile import ProfileStore
from convrec.recsys.catalog import Catalog

MakeAgent = Callable[..., RecAgent]


@pytest.fixture(scope="session")
def agent(home: Path, tmp_path_factory: pytest.TempPathFactory) -> RecAgent:
    """The real agent without an LLM (fast, deterministic); sessions keep tests apart."""
    built = build_agent(home, llm="deterministic",
                        profiles_path=tmp_path_factory.mktemp("profiles") / "p.sqlite")
    built.chat("recommend 90s sci-fi", "warm-up")  # loads the models once for every test
    return built


@pytest.fixture
def make_agent(agent: RecAgent, tmp_path: Path) -> Iterator[MakeAgent]:
    """`make_agent(model, deadline_seconds=30.0)`: an LLM-planned agent on the shared parts."""
    stores: list[ProfileStore] = []

    def make(model, deadline_seconds: float = 30.0, max_replans: int = 2) -> RecAgent:
        parts = agent.parts
        planner = DemonstrationPlanner(model, parts.toolkit.catalog.genres, None, k=0)
        store = ProfileStore(tmp_path / f"profiles-{len(stores)}.sqlite")
        stores.append(store)
        return RecAgent(dataclasses.replace(parts, planner=planner, max_replans=max_replans),
                        store, llm_name="scripted", deadline_seconds=deadline_seconds)

    yield make
    for store in stores:
        store.close()


def catalog_state(catalog: Catalog) -> tuple:
    """The catalog file's hash and its row counts."""
    counts = tuple(catalog.execute(f"SELECT COUNT(*) FROM {t}")[0][0]
                   for t in ("items", "genres", "item_genres", "items_fts"))
    return hashlib.sha256(Path(catalog.path).read_bytes()).hexdigest(), counts


@pytest.fixture
def catalog_unchanged(agent: RecAgent) -> Iterator[None]:
    """Asserts after the test that the catalog file and its row counts did not change."""
    catalog = agent.parts.toolkit.catalog
    before = catalog_state(catalog)
    yield
    assert catalog_state(catalog) == before

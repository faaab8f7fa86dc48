"""search_items: semantic search with the packaged MiniLM in Chroma, embedded and served."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import chromadb
import pytest

from convrec.recsys.catalog import Catalog
from convrec.tools import ToolError, Toolkit
from convrec.tools.embed import Embedder
from convrec.tools.search import SearchItems, chroma_client

# The first search builds the MiniLM index of the catalog (about 10 s on 2 shared cores).
pytestmark = pytest.mark.slow

STAR_WARS_FILMS = {49, 171, 180}  # Star Wars, The Empire Strikes Back, Return of the Jedi


def test_space_opera_with_jedi_finds_star_wars(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus()
    result = toolkit.run("search_items", {"query": "space opera with jedi", "k": 20}, bus)
    assert set(bus.top(3).tolist()) == STAR_WARS_FILMS
    assert len(bus) == 20 and list(bus.scores) == sorted(bus.scores, reverse=True)
    assert "Return of the Jedi (1983)" in result.content and "49" not in result.content
    step = bus.trail[-1]
    assert (step.tool, step.n_in, step.n_out) == ("search_items", 1682, 20)


def test_search_stays_inside_the_bus(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus(excluded_ids=[180])
    toolkit.run("filter_items", {"genres_none": ["Sci-Fi"]}, bus)
    allowed = set(bus.ids.tolist())
    toolkit.run("search_items", {"query": "space opera with jedi", "k": 10}, bus)
    assert set(bus.ids.tolist()) <= allowed
    assert not set(bus.ids.tolist()) & STAR_WARS_FILMS


def test_search_on_an_empty_bus_is_a_tool_error(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus(excluded_ids=range(1682))
    with pytest.raises(ToolError, match="no candidates"):
        toolkit.run("search_items", {"query": "anything"}, bus)


def test_index_is_reused_until_the_catalog_changes(toolkit: Toolkit, catalog: Catalog,
                                                   embedder: Embedder) -> None:
    built = toolkit.tools["search_items"]
    built.ensure_setup()
    path = built._where["path"]
    again = SearchItems(catalog, embedder, path=path, collection="tests")
    again.setup()
    assert again.index.build_seconds is None and again.index.open_seconds < 1.0
    collection = again.index.collection
    assert collection.metadata["model"] == "all-MiniLM-L6-v2"
    with pytest.raises(ValueError, match="embedding function"):
        collection.query(query_texts=["x"], n_results=1)  # Chroma's own model is never used
    collection.modify(metadata={**collection.metadata, "content_hash": "stale"})
    rebuilt = SearchItems(catalog, embedder, path=path, collection="tests")
    rebuilt.setup()
    assert rebuilt.index.build_seconds is not None
    assert rebuilt.index.collection.count() == len(catalog)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real `chroma run` server on a free loopback port; always terminated."""
    binary = Path(sys.executable).parent / "chroma"
    port = _free_port()
    log = tmp_path_factory.mktemp("chroma-log") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(binary), "run", "--path",
                                 str(tmp_path_factory.mktemp("chroma-server")),
                                 "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:  # the HTTP client connects as it is made
                chroma_client(host="127.0.0.1", port=port).heartbeat()
                break
            except Exception:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("chroma server did not start: "
                                       + log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.25)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_search_through_a_chroma_server(chroma_server: int, catalog: Catalog,
                                        embedder: Embedder) -> None:
    tool = SearchItems(catalog, embedder, host="127.0.0.1", port=chroma_server,
                       collection="served")
    from convrec.memory.bus import CandidateBus

    bus = CandidateBus(range(len(catalog)))
    tool.run({"query": "space opera with jedi", "k": 5}, bus)
    assert set(bus.top(3).tolist()) == STAR_WARS_FILMS
    assert isinstance(tool.index.client, chromadb.api.ClientAPI)
    assert tool.index.collection.count() == len(catalog)

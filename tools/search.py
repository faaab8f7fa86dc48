"""search_items: soft conditions (moods, themes, plots) by semantic search in Chroma.

The item texts (`items.text`) are embedded once with the packaged MiniLM model and stored
in a Chroma collection, embedded on disk (`PersistentClient`) or on a server
(`HttpClient`). The collection remembers a hash of the texts and the model; it is rebuilt
only when they change. Embeddings are always passed explicitly: Chroma's default embedding
function (which downloads a model) is never involved.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import Field, StringConstraints

from convrec.memory.bus import CandidateBus
from convrec.recsys.catalog import Catalog
from convrec.tools import names
from convrec.tools.base import Stopwatch, Tool, ToolArgs, ToolError, ToolResult, quote
from convrec.tools.embed import MODEL_NAME, Embedder

log = logging.getLogger(__name__)

IDS_QUERY_LIMIT = 50_000  # up to this many candidates Chroma is told the ids; beyond, post-filter


class SearchArgs(ToolArgs):
    query: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2,
                                            max_length=300)] = Field(
        description="What the user wants in their own words, e.g. 'space opera with jedi'.")
    k: int = Field(50, ge=1, le=500, description="How many best matches to keep.")


def content_hash(rows: list[tuple[int, str]]) -> str:
    """Hash of (id, text) pairs and the model name: the collection is current iff it matches."""
    digest = hashlib.sha256(MODEL_NAME.encode())
    for item_id, text in rows:
        digest.update(f"{item_id}\t{text}\n".encode())
    return digest.hexdigest()


def chroma_client(path: Path | None = None, host: str | None = None, port: int = 8000):
    """Embedded client at `path`, or an HTTP client when `host` is given; telemetry off."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    if path is None:
        raise ValueError("chroma_client needs a path (embedded) or a host (server)")
    Path(path).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class ItemIndex:
    """The catalog's item texts in a Chroma collection, (re)built when the texts change."""

    def __init__(self, catalog: Catalog, embedder: Embedder, client, collection: str):
        self.catalog = catalog
        self.embedder = embedder
        self.client = client
        self.name = re.sub(r"[^a-zA-Z0-9._-]", "-", f"convrec-items-{collection}")[:200]
        self.collection = None
        self.build_seconds: float | None = None
        self.open_seconds: float | None = None

    def open(self) -> None:
        """Reuse the stored collection if its hash matches the catalog; else rebuild it."""
        start = time.perf_counter()
        rows = [(int(i), t) for i, t in self.catalog.execute(
            "SELECT item_id, text FROM items ORDER BY item_id")]
        digest = content_hash(rows)
        existing = self._existing()
        if existing is not None and (existing.metadata or {}).get("content_hash") == digest \
                and existing.count() == len(rows):
            self.collection = existing
            self.open_seconds = time.perf_counter() - start
            return
        if existing is not None:
            log.info("catalog changed: rebuilding Chroma collection %s", self.name)
            self.client.delete_collection(self.name)
        self._build(rows, digest)
        self.build_seconds = time.perf_counter() - start

    def _existing(self):
        try:
            return self.client.get_collection(self.name, embedding_function=None)
        except Exception:  # chromadb raises NotFoundError/ValueError depending on the client
            return None

    def _build(self, rows: list[tuple[int, str]], digest: str) -> None:
        log.info("embedding %d item texts into Chroma collection %s", len(rows), self.name)
        vectors = self.embedder.encode_corpus([t for _, t in rows], digest)
        collection = self.client.create_collection(
            self.name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
            metadata={"content_hash": digest, "model": MODEL_NAME, "n_items": len(rows)})
        step = max(1, min(5000, self.client.get_max_batch_size()))
        for start in range(0, len(rows), step):
            chunk = rows[start:start + step]
            collection.add(ids=[str(i) for i, _ in chunk],
                           embeddings=vectors[start:start + step],
                           metadatas=[{"item_id": i} for i, _ in chunk])
        self.collection = collection

    def query(self, vector: np.ndarray, k: int, candidates: np.ndarray,
              n_catalog: int) -> tuple[np.ndarray, np.ndarray]:
        """Best `k` of `candidates` by cosine similarity: (ids, similarities), best first."""
        k = min(k, candidates.size)
        if k == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        if candidates.size == n_catalog:
            return self._query(vector, k)
        if candidates.size <= IDS_QUERY_LIMIT:
            return self._query(vector, k, ids=[str(i) for i in candidates.tolist()])
        allowed = np.zeros(max(n_catalog, int(candidates.max()) + 1), dtype=bool)
        allowed[candidates] = True
        n = k * 4
        while True:  # post-filter, widening until k candidates are found or all were seen
            ids, sims = self._query(vector, min(n, n_catalog))
            keep = allowed[ids]
            if keep.sum() >= k or n >= n_catalog:
                return ids[keep][:k], sims[keep][:k]
            n *= 4

    def _query(self, vector: np.ndarray, n: int, ids: list[str] | None = None):
        result = self.collection.query(query_embeddings=[vector], n_results=n, ids=ids,
                                       include=["distances"])
        found = np.array([int(i) for i in result["ids"][0]], dtype=np.int64)
        sims = 1.0 - np.array(result["distances"][0], dtype=np.float32)
        return found, sims


class SearchItems(Tool):
    name = names.SEARCH_ITEMS
    description = (
        "Semantic search of the candidates by meaning: moods, themes, plots, styles or "
        "'something like a description' ('space opera with jedi', 'feel-good road trip'). "
        "Keeps the best `k` matches, ordered by similarity. Use it for soft wishes that are not "
        "catalog genres or years. Do not use it for hard constraints (genres, years, "
        "popularity: use filter_items) or for items similar to a named title (use "
        "similar_items)."
    )
    args_schema = SearchArgs

    def __init__(self, catalog: Catalog, embedder: Embedder, *, path: Path | None = None,
                 host: str | None = None, port: int = 8000, collection: str = "catalog"):
        super().__init__()
        self.catalog = catalog
        self.embedder = embedder
        self._where = {"path": path, "host": host, "port": port}
        self._collection = collection
        self.index: ItemIndex | None = None

    def setup(self) -> None:
        client = chroma_client(**self._where)
        self.index = ItemIndex(self.catalog, self.embedder, client, self._collection)
        self.index.open()

    def execute(self, args: SearchArgs, bus: CandidateBus) -> ToolResult:
        if len(bus) == 0:
            raise ToolError("there are no candidates left to search; relax the earlier filters")
        with Stopwatch() as sw:
            vector = self.embedder.encode_query(args.query)
            ids, sims = self.index.query(vector, args.k, bus.ids, len(self.catalog))
        n_in = len(bus)
        bus.narrow(ids, tool=self.name, scores=sims, seconds=sw.seconds,
                   note=f"query {args.query[:80]!r}, k={args.k}")
        items = self.catalog.items(bus.top(5).tolist())
        shown = "; ".join(i.label() for i in items)
        content = (f"Kept the {len(bus)} of {n_in} candidates closest to {quote(args.query)}; "
                   f"closest: {shown}.")
        artifact = {"n_in": n_in, "n_out": len(bus), "query": args.query,
                    "ids": bus.ids.tolist(), "scores": [round(float(s), 4) for s in bus.scores]}
        return ToolResult(content, artifact)

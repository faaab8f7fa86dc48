"""Settings: read from the environment when asked (never at import time), overridable by flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from convrec.recsys.home import DEFAULT_HOME, default_home


@dataclass(frozen=True)
class Settings:
    """Where convrec keeps its cache, and which services it talks to."""

    home: Path = DEFAULT_HOME.expanduser()
    dataset: str = "movielens-100k"
    llm: str = "embedded"
    chroma_host: str | None = None
    chroma_port: int = 8000
    store: str | None = None  # sessions and profiles: a SQLite file or a postgresql:// URL

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from `CONVREC_*` environment variables, defaults for the rest."""
        env = os.environ if environ is None else environ
        port = env.get("CONVREC_CHROMA_PORT", "8000")
        if not port.isdigit():
            raise ValueError(f"CONVREC_CHROMA_PORT must be a port number, got {port!r}")
        return cls(
            home=default_home(env),
            dataset=env.get("CONVREC_DATASET", cls.dataset),
            llm=env.get("CONVREC_LLM", cls.llm),
            chroma_host=env.get("CONVREC_CHROMA_HOST") or None,
            chroma_port=int(port),
            store=env.get("CONVREC_STORE") or None,
        )

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the given non-None fields replaced (for CLI flags)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

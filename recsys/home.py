"""The convrec home folder: caches, datasets, models and eval runs live under it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_HOME = Path("~/.cache/convrec")


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """$CONVREC_HOME or ~/.cache/convrec, read when called (never at import time).

    `environ` replaces `os.environ` (settings read from a given mapping).
    """
    env = os.environ if environ is None else environ
    return Path(env.get("CONVREC_HOME") or DEFAULT_HOME).expanduser()

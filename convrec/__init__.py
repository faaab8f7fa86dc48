"""convrec: a conversational recommender agent.

The public API is re-exported here lazily, so that importing a low floor such as
`convrec.recsys` does not load the agent, its models or the UI.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "RecAgent": "convrec.agent.core",
    "Reply": "convrec.agent.trace",
    "RecommendedItem": "convrec.agent.trace",
    "Settings": "convrec.settings",
    "Dataset": "convrec.recsys.data",
    "Catalog": "convrec.recsys.catalog",
    "load_dataset": "convrec.recsys.fetch",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'convrec' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

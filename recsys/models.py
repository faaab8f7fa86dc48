"""The model registry: a recommender class by its name ("pop", "als", "bpr", "sasrec")."""

from __future__ import annotations

import importlib

from convrec.recsys.errors import UnknownModelError
from convrec.recsys.protocol import Recommender

# name -> (module, class); modules are imported only when asked for (sasrec pulls in torch).
_REGISTRY: dict[str, tuple[str, str]] = {
    "pop": ("convrec.recsys.pop", "Popularity"),
    "als": ("convrec.recsys.mf", "ALS"),
    "bpr": ("convrec.recsys.mf", "BPR"),
    "sasrec": ("convrec.recsys.sasrec", "SASRec"),
}
MODEL_NAMES: tuple[str, ...] = tuple(_REGISTRY)


def model_class(name: str) -> type[Recommender]:
    """The Recommender subclass registered as `name`."""
    try:
        module_name, class_name = _REGISTRY[name]
    except KeyError:
        raise UnknownModelError(
            f"unknown model {name!r}: choose one of {', '.join(MODEL_NAMES)}"
        ) from None
    return getattr(importlib.import_module(module_name), class_name)

"""Train recommenders on the leave-one-out split and keep them in the model cache.

Saved models live at $CONVREC_HOME/models/<dataset>/<name>.npz; `load_or_train` is what
the agent and the tools call to get a ready model.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from convrec.recsys.data import Split, leave_one_out
from convrec.recsys.fetch import MOVIELENS_100K, load_dataset
from convrec.recsys.models import model_class
from convrec.recsys.protocol import Recommender

log = logging.getLogger(__name__)


def model_path(home: Path, dataset: str, name: str) -> Path:
    """Where model `name` trained on `dataset` is cached."""
    return Path(home) / "models" / dataset / f"{name}.npz"


def train_model(
    name: str, split: Split, show_progress: bool = True, **config: Any
) -> tuple[Recommender, float]:
    """Fit a fresh `name` model (hyper-parameters from `config`); returns (model, seconds)."""
    model = model_class(name)(**config)
    start = time.perf_counter()
    model.fit(split, show_progress=show_progress)
    seconds = time.perf_counter() - start
    log.info("trained %s in %.2fs", name, seconds)
    return model, seconds


def load_split(home: Path, dataset: str = MOVIELENS_100K) -> Split:
    """The leave-one-out split of a fetched dataset."""
    return leave_one_out(load_dataset(Path(home), dataset))


def load_model(name: str, home: Path, dataset: str = MOVIELENS_100K) -> Recommender | None:
    """The cached model, or None when it has not been trained yet."""
    path = model_path(home, dataset, name)
    if not path.is_file():
        return None
    return model_class(name).load(path)


def load_or_train(
    name: str, home: Path, dataset: str = MOVIELENS_100K, show_progress: bool = False
) -> Recommender:
    """The cached model `name`; trained on the leave-one-out split and saved if missing."""
    model = load_model(name, home, dataset)
    if model is not None:
        return model
    log.info("no cached %s model for %s; training it", name, dataset)
    model, _ = train_model(name, load_split(home, dataset), show_progress=show_progress)
    model.save(model_path(home, dataset, name))
    return model

"""The model registry, the model cache and the train / evaluate / bench commands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from convrec.cli import main
from convrec.recsys.mf import ALS
from convrec.recsys.models import MODEL_NAMES, UnknownModelError, model_class
from convrec.recsys.train import load_or_train, model_path


@pytest.fixture
def scratch_home(tmp_path: Path, home: Path) -> Path:
    """An empty cache that shares the real dataset files but has no models."""
    (tmp_path / "data").symlink_to(home / "data")
    return tmp_path


def test_registry_knows_every_model_and_names_them_on_a_typo():
    assert model_class("als") is ALS
    assert set(MODEL_NAMES) >= {"pop", "als", "bpr", "sasrec"}
    with pytest.raises(UnknownModelError, match="choose one of pop, als, bpr"):
        model_class("alss")


def test_load_or_train_trains_once_then_loads(scratch_home):
    first = load_or_train("pop", scratch_home)
    path = model_path(scratch_home, "movielens-100k", "pop")
    assert path.is_file()
    stamp = path.stat().st_mtime_ns
    again = load_or_train("pop", scratch_home)
    assert path.stat().st_mtime_ns == stamp
    np.testing.assert_array_equal(first.recommend(5, N=10)[0], again.recommend(5, N=10)[0])


def test_evaluate_command_trains_first_when_nothing_is_saved(scratch_home, capsys):
    assert main(["--home", str(scratch_home), "evaluate", "--model", "pop"]) == 0
    out = capsys.readouterr().out
    assert "training it first" in out and "NDCG@10 0.0449" in out  # popularity on test


def test_train_command_saves_and_reports_valid_ndcg(scratch_home, capsys):
    assert main(["--home", str(scratch_home), "train", "--model", "als"]) == 0
    out = capsys.readouterr().out
    assert "valid NDCG@10 0.0" in out
    assert model_path(scratch_home, "movielens-100k", "als").is_file()


@pytest.mark.slow
def test_bench_recommenders_prints_a_row_per_model(scratch_home, capsys):
    argv = ["--home", str(scratch_home), "bench", "recommenders", "--models", "pop", "als",
            "--scale-items", "20000", "--stated", "none"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    rows = [line.split()[0] for line in out.splitlines() if line.startswith(("pop ", "als "))]
    assert rows == ["pop", "als"]
    assert "ALS over 20,000 synthetic items" in out

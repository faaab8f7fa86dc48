"""Ratings as a quality signal: catalog means, shrunk scores, ranker=rating, item_info.

A five-item dataset with known ratings (ids in item order):
  Alpha 5,5 (mean 5), Beta 4,4,5,5 (4.5), Gamma 1,2,2,3 (2), Delta unrated, Epsilon 3 x6 (3).
Rated counts 2, 4, 4, 6 -> m = median = 4; global mean = 54 / 16 = 3.375.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from convrec.recsys.catalog import Catalog, build_catalog
from convrec.recsys.data import Dataset, build_dataset
from convrec.recsys.ratings import has_ratings, shrunk_means
from convrec.tools import ToolError, Toolkit
from convrec.tools.arrays import CatalogArrays
from convrec.tools.embed import Embedder

TITLES = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]
RATINGS = {"Alpha": [5, 5], "Beta": [4, 4, 5, 5], "Gamma": [1, 2, 2, 3], "Delta": [],
           "Epsilon": [3] * 6}
ALPHA, BETA, GAMMA, DELTA, EPSILON = range(5)
M, GLOBAL = 4.0, 54 / 16
SHRUNK = {ALPHA: (10 + M * GLOBAL) / 6, BETA: (18 + M * GLOBAL) / 8,
          GAMMA: (8 + M * GLOBAL) / 8, DELTA: GLOBAL, EPSILON: (18 + M * GLOBAL) / 10}


def _dataset(ratings: bool) -> Dataset:
    items = pd.DataFrame({"raw_id": [str(i) for i in range(5)], "title": TITLES,
                          "display_title": TITLES, "year": pd.array([2000] * 5, dtype="Int64"),
                          "genres": [("Drama",)] * 5, "description": [""] * 5})
    rows = [(f"u{u}", str(TITLES.index(title)), 100 * u + TITLES.index(title),
             float(value) if ratings else 1.0)
            for title, values in RATINGS.items() for u, value in enumerate(values)]
    frame = pd.DataFrame(rows, columns=["user", "item", "timestamp", "rating"])
    return build_dataset("synthetic", items, frame)


def _toolkit(tmp_path: Path, embedder: Embedder, ratings: bool) -> Toolkit:
    path = tmp_path / "catalog.sqlite"
    build_catalog(_dataset(ratings), path)
    return Toolkit(Catalog(path), {}, chroma_path=tmp_path / "chroma", embedder=embedder)


@pytest.fixture
def rated(tmp_path: Path, embedder: Embedder) -> Toolkit:
    return _toolkit(tmp_path, embedder, ratings=True)


@pytest.fixture
def unrated(tmp_path: Path, embedder: Embedder) -> Toolkit:
    """The same interactions stored as implicit feedback: every rating 1.0."""
    return _toolkit(tmp_path, embedder, ratings=False)


def test_the_catalog_stores_exact_counts_and_means(rated: Toolkit) -> None:
    items = rated.catalog.items(range(5))
    assert rated.catalog.has_ratings
    assert [i.n_ratings for i in items] == [2, 4, 4, 0, 6]
    assert [i.avg_rating for i in items] == [5.0, 4.5, 2.0, None, 3.0]


def test_shrunk_scores_pull_few_ratings_toward_the_global_mean(rated: Toolkit) -> None:
    arrays = CatalogArrays(rated.catalog)
    assert arrays.rating_prior == M
    assert arrays.quality.tolist() == pytest.approx([SHRUNK[i] for i in range(5)])
    assert arrays.n_ratings.tolist() == [2, 4, 4, 0, 6]
    assert math.isnan(arrays.avg_rating[DELTA]) and arrays.avg_rating[BETA] == 4.5
    assert arrays.quality[BETA] > arrays.quality[ALPHA]  # 4.5 from 4 beats 5 from 2


def test_rating_ranker_puts_the_best_shrunk_mean_first(rated: Toolkit) -> None:
    bus = rated.new_bus(excluded_ids=[GAMMA])
    result = rated.run("rank_candidates", {"ranker": "rating", "show": 4}, bus)
    assert bus.ids.tolist() == [BETA, ALPHA, DELTA, EPSILON]
    assert bus.scores.tolist() == pytest.approx([SHRUNK[i] for i in bus.ids.tolist()])
    assert result.artifact["used"] == "rating" and result.artifact["fallback_reason"] is None
    assert result.content.splitlines()[1] == "1. Beta (2000) - Drama (avg rating 4.5 from 4 " \
                                             "ratings)"
    assert result.content.splitlines()[3] == "3. Delta (2000) - Drama"


def test_rating_ranker_never_adds_or_removes_candidates(rated: Toolkit) -> None:
    bus = rated.new_bus()
    rated.run("filter_items", {"genres_any": ["Drama"]}, bus)
    members = set(bus.ids.tolist())
    rated.run("rank_candidates", {"ranker": "rating"}, bus)
    assert set(bus.ids.tolist()) == members and not np.isnan(bus.scores).any()


def test_item_info_gives_the_average_rating_and_its_count(rated: Toolkit) -> None:
    result = rated.run("item_info", {"titles": ["Beta", "Delta"]}, rated.new_bus())
    beta, delta = result.content.splitlines()
    assert beta.endswith("; avg rating 4.5 from 4 ratings.")
    assert delta.endswith("; not rated.")
    assert result.artifact["items"][0]["avg_rating"] == 4.5
    assert result.artifact["items"][0]["n_ratings"] == 4
    assert "avg_rating" not in result.artifact["items"][1]


def test_without_ratings_nothing_is_claimed_and_the_ranker_names_the_fix(
        unrated: Toolkit) -> None:
    catalog = unrated.catalog
    assert not catalog.has_ratings
    assert [(i.n_ratings, i.avg_rating) for i in catalog.items(range(5))] == [(0, None)] * 5
    assert np.isnan(CatalogArrays(catalog).quality).all()
    with pytest.raises(ToolError, match="no ratings.*use ranker=popularity"):
        unrated.run("rank_candidates", {"ranker": "rating"}, unrated.new_bus())
    info = unrated.run("item_info", {"titles": ["Beta"]}, unrated.new_bus()).content
    assert "avg rating" not in info and "not rated" not in info
    assert unrated.run("rank_candidates", {"ranker": "popularity"},
                       unrated.new_bus()).artifact["ids"][0] == EPSILON


def test_ratings_need_a_column_with_more_than_one_value() -> None:
    frame = pd.DataFrame({"item_id": [0, 1], "rating": [1.0, 1.0]})
    assert not has_ratings(frame.drop(columns="rating"))
    assert not has_ratings(frame)
    assert not has_ratings(frame.assign(rating=[np.nan, np.nan]))
    assert has_ratings(frame.assign(rating=[1.0, 2.0]))
    assert np.isnan(shrunk_means(np.zeros(3, dtype=np.int64), np.full(3, np.nan))).all()


def test_movielens_ratings_and_the_top_rated(toolkit: Toolkit) -> None:
    assert toolkit.catalog.has_ratings
    info = toolkit.run("item_info", {"titles": ["Fargo"]}, toolkit.new_bus()).content
    assert "508 ratings (number 3 of 1682 by popularity); avg rating 4.2 from 508 ratings" in info
    assert CatalogArrays(toolkit.catalog).rating_prior == 27.0
    result = toolkit.run("rank_candidates", {"ranker": "rating", "show": 3}, toolkit.new_bus())
    assert result.content.splitlines()[1].startswith("1. Schindler's List (1993)")

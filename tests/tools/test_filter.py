"""filter_items: hard conditions, compiled to parameterised SQL or numpy masks."""

from __future__ import annotations

import random

import pytest

from convrec.recsys.catalog import Catalog
from convrec.recsys.data import Dataset
from convrec.tools import ToolError, Toolkit
from convrec.tools.arrays import CatalogArrays
from convrec.tools.filter import FilterArgs, FilterItems, FilterSpec
from convrec.tools.lookup import TitleResolver


def test_90s_sci_fi(toolkit: Toolkit, catalog: Catalog, ml100k: Dataset) -> None:
    bus = toolkit.new_bus(excluded_ids=[0])
    result = toolkit.run("filter_items", {"genres_any": ["sci-fi"], "year_min": 1990,
                                          "year_max": 1999}, bus)
    items = catalog.items(bus.ids.tolist())
    assert items and all("Sci-Fi" in i.genres and 1990 <= i.year <= 1999 for i in items)
    frame = ml100k.items
    expected = {int(r.item_id) for r in frame.itertuples()
                if "Sci-Fi" in r.genres and r.year == r.year and 1990 <= r.year <= 1999}
    assert set(bus.ids.tolist()) == expected
    step = bus.trail[-1]
    assert (step.tool, step.n_in, step.n_out) == ("filter_items", 1681, len(expected))
    assert "Sci-Fi" in step.note and "1990-1999" in step.note
    assert f"Kept {len(expected)} of 1681" in result.content


def test_genres_all_and_none(toolkit: Toolkit, catalog: Catalog) -> None:
    bus = toolkit.new_bus()
    toolkit.run("filter_items", {"genres_all": ["Action", "Comedy"], "genres_none": ["Crime"]},
                bus)
    for item in catalog.items(bus.ids.tolist()):
        assert {"Action", "Comedy"} <= set(item.genres) and "Crime" not in item.genres


def test_exclusions_by_title_and_id(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus()
    toolkit.run("filter_items", {"genres_any": ["Sci-Fi"], "exclude_titles": ["star wars"],
                                 "exclude_ids": [171]}, bus)
    assert 49 not in bus.ids and 171 not in bus.ids and 180 in bus.ids


@pytest.mark.parametrize("args, message", [
    ({"genres_any": ["Cyberpunk"]}, "unknown genre 'Cyberpunk'.*valid genres are: Action"),
    ({"year_min": 2000, "year_max": 1990}, "year_min 2000 is after year_max 1990"),
    ({"year_min": "the nineties"}, "year_min"),
    ({"genres_any": "Sci-Fi", "year_min": [1990]}, "genres_any|year_min"),
    ({"genre": ["Sci-Fi"]}, "genre: unknown argument"),
    ({"popularity_min": -3}, "popularity_min"),
    ({}, "at least one condition"),
    ({"genres_all": ["Drama"], "genres_none": ["drama"]}, "both required and excluded"),
])
def test_malformed_arguments_are_tool_errors(toolkit: Toolkit, args: dict, message: str) -> None:
    bus = toolkit.new_bus()
    with pytest.raises(ToolError, match=message):
        toolkit.run("filter_items", args, bus)
    assert len(bus) == 1682 and len(bus.trail) == 1


def test_nothing_left_is_an_error_and_leaves_the_bus(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus()
    with pytest.raises(ToolError, match="no candidate satisfies.*unchanged"):
        toolkit.run("filter_items", {"genres_all": ["Western", "Animation", "Horror"]}, bus)
    assert len(bus) == 1682


def test_genre_words_people_use(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus()
    result = toolkit.run("filter_items", {"genres_any": ["science fiction", "kids"]}, bus)
    assert result.artifact["genres_any"] == ["Sci-Fi", "Children's"]


def test_sql_and_numpy_engines_agree(catalog: Catalog) -> None:
    arrays = CatalogArrays(catalog)
    resolver = TitleResolver(catalog)
    engines = {e: FilterItems(catalog, resolver, arrays, engine=e) for e in ("sql", "numpy")}
    rng = random.Random(7)
    genres = list(catalog.genres)
    from convrec.memory.bus import CandidateBus

    for _ in range(40):
        args = {"genres_any": rng.sample(genres, rng.randint(0, 2)),
                "genres_all": rng.sample(genres, rng.randint(0, 1)),
                "genres_none": rng.sample(genres, rng.randint(0, 1)),
                "year_min": rng.choice([None, 1950, 1980, 1995]),
                "year_max": rng.choice([None, 1996, 1998, 2000]),
                "popularity_min": rng.choice([None, 0, 50]),
                "popularity_max": rng.choice([None, 300])}
        try:
            spec = FilterSpec(FilterArgs(**args), arrays)
        except ToolError:
            continue
        sql, params = spec.to_sql()
        assert all(isinstance(p, int) for p in params)
        via_sql = sorted(r[0] for r in catalog.execute(sql, params))
        bus = CandidateBus(range(len(catalog)))
        via_numpy = bus.ids[spec.mask(bus.ids)].tolist()
        assert via_sql == via_numpy, args
    assert {e: t.chosen_engine() for e, t in engines.items()} == {"sql": "sql", "numpy": "numpy"}

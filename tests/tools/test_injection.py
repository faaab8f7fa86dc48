"""SQL metacharacters and injection strings in every string argument are harmless."""

from __future__ import annotations

import pytest

from convrec.tools import ToolError, Toolkit

PAYLOADS = ["'; DROP TABLE items; --", "%", "_", "\"", "'", "' OR '1'='1", "Robert'); DELETE "
            "FROM items;--", "title MATCH '*'", "NEAR(a b)", "\\", "%_%", "items\x00", "1; ATTACH "
            "DATABASE '/tmp/x.db' AS x"]

STRING_ARGS = [
    ("lookup_items", lambda p: {"titles": [p]}),
    ("item_info", lambda p: {"titles": [p]}),
    ("filter_items", lambda p: {"genres_any": [p]}),
    ("filter_items", lambda p: {"genres_all": [p]}),
    ("filter_items", lambda p: {"genres_none": [p]}),
    ("filter_items", lambda p: {"genres_any": ["Drama"], "exclude_titles": [p]}),
    pytest.param("search_items", lambda p: {"query": p + " space"},
                 marks=pytest.mark.slow),  # builds the MiniLM index (about 10 s)
    ("similar_items", lambda p: {"titles": [p]}),
    ("rank_candidates", lambda p: {"ranker": p}),
    ("rank_candidates", lambda p: {"ranker": "similarity", "titles": [p]}),
]


@pytest.mark.usefixtures("catalog_unchanged")
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("tool, make_args", STRING_ARGS)
def test_injection_is_harmless(toolkit: Toolkit, tool: str, make_args, payload: str) -> None:
    bus = toolkit.new_bus()
    try:
        result = toolkit.run(tool, make_args(payload), bus)
    except ToolError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert isinstance(result.content, str)
    assert set(bus.ids.tolist()) <= set(range(1682))
    assert toolkit.catalog.execute("SELECT COUNT(*) FROM items")[0][0] == 1682

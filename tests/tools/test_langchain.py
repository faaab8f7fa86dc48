"""The toolset as LangChain StructuredTools (content and artifact)."""

from __future__ import annotations

from langchain_core.messages import ToolMessage
from langchain_core.tools import StructuredTool

from convrec.tools import Toolkit, as_langchain_tools


def _call(tool: StructuredTool, args: dict) -> ToolMessage:
    return tool.invoke({"type": "tool_call", "name": tool.name, "args": args, "id": "call-1"})


def test_export_names_schemas_and_bound_bus(toolkit: Toolkit) -> None:
    bus = toolkit.new_bus()
    tools = {t.name: t for t in as_langchain_tools(toolkit, bus)}
    assert set(tools) == {"lookup_items", "item_info", "filter_items", "search_items",
                          "similar_items", "rank_candidates"}
    assert all(t.response_format == "content_and_artifact" for t in tools.values())
    message = _call(tools["filter_items"], {"genres_any": ["Sci-Fi"], "year_min": 1990,
                                            "year_max": 1999})
    assert isinstance(message, ToolMessage) and message.content.startswith("Kept ")
    assert message.artifact["n_out"] == len(bus) < 1682  # the bound bus was narrowed
    ranked = _call(tools["rank_candidates"], {"ranker": "popularity", "show": 3})
    assert ranked.artifact["ids"] == bus.top(3).tolist()


def test_errors_reach_the_model_as_text(toolkit: Toolkit) -> None:
    tools = {t.name: t for t in as_langchain_tools(toolkit)}
    message = _call(tools["filter_items"], {"genres_any": ["Cyberpunk"]})
    assert "unknown genre 'Cyberpunk'" in message.content
    bad = _call(tools["filter_items"], {"year_min": 2000, "year_max": 1990})
    assert "year_min 2000 is after year_max 1990" in bad.content
    plain = tools["lookup_items"].invoke({"titles": ["The Godfather"]})
    assert "The Godfather (1972)" in plain

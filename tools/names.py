"""The tool names a plan step may call: one definition for the tools, the compiler and tests."""

from __future__ import annotations

LOOKUP_ITEMS = "lookup_items"
ITEM_INFO = "item_info"
FILTER_ITEMS = "filter_items"
SEARCH_ITEMS = "search_items"
SIMILAR_ITEMS = "similar_items"
RANK_CANDIDATES = "rank_candidates"

TOOL_NAMES = (LOOKUP_ITEMS, ITEM_INFO, FILTER_ITEMS, SEARCH_ITEMS, SIMILAR_ITEMS, RANK_CANDIDATES)

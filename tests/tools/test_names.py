"""Tool names: one definition (`convrec.tools.names`) that every tool registers under."""

from __future__ import annotations

import re

from convrec.tools import Toolkit, names

_TOOL_WORD = re.compile(r"\b[a-z]+_(?:items|candidates|info)\b")


def test_every_tool_is_registered_under_its_constant(toolkit: Toolkit) -> None:
    assert sorted(toolkit.tools) == sorted(names.TOOL_NAMES)
    assert all(toolkit.tools[name].name == name for name in names.TOOL_NAMES)


def test_descriptions_name_only_tools_that_exist(toolkit: Toolkit) -> None:
    for tool in toolkit.tools.values():
        mentioned = set(_TOOL_WORD.findall(tool.description))
        assert mentioned <= set(names.TOOL_NAMES), (tool.name, mentioned)

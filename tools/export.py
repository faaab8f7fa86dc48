"""The toolset as LangChain tools, so any LangChain agent can use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.tools import StructuredTool, ToolException
from pydantic import ValidationError

from convrec.memory.bus import CandidateBus
from convrec.tools.base import Tool, ToolError, explain_validation
from convrec.tools.toolkit import Toolkit

BusSource = CandidateBus | Callable[[], CandidateBus]


def as_langchain_tool(tool: Tool, bus: BusSource) -> StructuredTool:
    """`tool` as a StructuredTool returning (content, artifact), bound to `bus`.

    `bus` is one CandidateBus (a turn) or a function returning the bus to use for each call.
    Tool errors and bad arguments come back as text for the model, not as exceptions.
    """
    current = bus if callable(bus) and not isinstance(bus, CandidateBus) else (lambda: bus)

    def call(**kwargs: Any) -> tuple[str, dict[str, Any]]:
        try:
            result = tool.run(kwargs, current())
        except ToolError as exc:
            raise ToolException(str(exc)) from None
        return result.content, result.artifact

    def on_bad_args(exc: ValidationError) -> str:
        return f"bad arguments for {tool.name}: {explain_validation(exc)}"

    return StructuredTool.from_function(
        func=call, name=tool.name, description=tool.description, args_schema=tool.args_schema,
        response_format="content_and_artifact", handle_tool_error=True,
        handle_validation_error=on_bad_args)


def as_langchain_tools(toolkit: Toolkit, bus: BusSource | None = None) -> list[StructuredTool]:
    """Every tool of `toolkit` as a LangChain tool sharing one bus (a new one if not given)."""
    bound = bus if bus is not None else toolkit.new_bus()
    return [as_langchain_tool(tool, bound) for tool in toolkit.tools.values()]

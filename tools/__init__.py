"""convrec.tools: what the planner may call (see ARCHITECTURE.md).

A plan step is {"tool": name, "args": {...}}; `Toolkit.run(name, args, bus)` executes it.
"""

from convrec.tools.base import Tool, ToolArgs, ToolError, ToolResult
from convrec.tools.export import as_langchain_tool, as_langchain_tools
from convrec.tools.toolkit import Toolkit

__all__ = ["Tool", "ToolArgs", "ToolError", "ToolResult", "Toolkit", "as_langchain_tool",
           "as_langchain_tools"]

"""The planners a benchmark compares side by side, one column each.

`extractor`: the slot extractor alone (no LLM). `model`: the tuned embedded model's own
frame, unguarded (it still reads the extractor's draft, as it was trained to). `combined`:
the default embedded agent (model and extractor, the guard choosing). Any other LLM spec
given with `--llm` adds a column of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

DETERMINISTIC = "deterministic"
EMBEDDED = "embedded"


@dataclass(frozen=True)
class Variant:
    """One column: how to build the agent whose planner is measured."""

    name: str
    label: str
    llm: str
    guard: bool = True

    def agent_options(self) -> dict[str, Any]:
        """Keyword arguments for `build_agent` beyond home and dataset."""
        options: dict[str, Any] = {"llm": self.llm}
        if self.llm == EMBEDDED:
            options["planner_guard"] = self.guard
        return options


BUILT_IN = {
    "extractor": Variant("extractor", "extractor", DETERMINISTIC),
    "model": Variant("model", "model alone", EMBEDDED, guard=False),
    "combined": Variant("combined", "combined", EMBEDDED),
}
ALIASES = {DETERMINISTIC: "extractor", EMBEDDED: "combined"}


def choose(names: Sequence[str] | None, llm: str | None) -> list[Variant]:
    """The columns asked for (default: all three built-in ones), plus `llm` when it is not
    one of them already (`deterministic` is the extractor, `embedded` the combination)."""
    unknown = [n for n in names or () if n not in BUILT_IN]
    if unknown:
        raise ValueError(f"unknown planner column(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(BUILT_IN)} (and add any LLM with --llm SPEC)")
    chosen = [BUILT_IN[n] for n in (names if names is not None else BUILT_IN)]
    if llm:
        alias = ALIASES.get(llm)
        if alias is None:
            chosen.append(Variant(llm, llm, llm))
        elif BUILT_IN[alias] not in chosen:
            chosen.append(BUILT_IN[alias])
    return chosen


def summary_table(title: str, rows: dict[str, dict[str, str]], columns: Sequence[Variant]
                  ) -> str:
    """One line per set, one cell per column: `rows[set][variant name]`."""
    width = max([16, *(len(c.label) + 2 for c in columns)])
    lines = [title, f"{'set':<24}" + "".join(f"{c.label:>{width}}" for c in columns)]
    for name, cells in rows.items():
        lines.append(f"{name:<24}" + "".join(f"{cells.get(c.name, '-'):>{width}}"
                                             for c in columns))
    return "\n".join(lines)

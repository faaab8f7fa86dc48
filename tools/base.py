"""What every tool shares: the Tool contract, its result, its error, and small helpers.

A tool has a snake_case `name`, a `description` the LLM reads (when to use it and when
not), a pydantic `args_schema` (extra fields forbidden) and `run(args, bus)`, which returns
short text for the LLM (`content`) and data for the program (`artifact`). Tools never call
an LLM. Expected failures raise `ToolError`, whose message is written for an LLM to act on.
"""

from __future__ import annotations

import abc
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from convrec.memory.bus import CandidateBus
from convrec.recsys.catalog import CatalogItem


class ToolError(Exception):
    """The call cannot be served as asked; the message tells the LLM what to do instead."""


@dataclass
class ToolResult:
    """`content`: a few lines for the LLM (no item ids). `artifact`: JSON-able data."""

    content: str
    artifact: dict[str, Any] = field(default_factory=dict)


class ToolArgs(BaseModel):
    """Base of every argument schema: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Tool(abc.ABC):
    """name / description / args_schema / run; expensive loading waits in `setup()`."""

    name: ClassVar[str]
    description: ClassVar[str]
    args_schema: ClassVar[type[ToolArgs]]

    def __init__(self) -> None:
        self._ready = False
        self._setup_lock = threading.Lock()

    def setup(self) -> None:
        """Load what the tool needs (indexes, models); called once, before the first run."""

    def ensure_setup(self) -> None:
        if self._ready:
            return
        with self._setup_lock:
            if not self._ready:
                self.setup()
                self._ready = True

    def parse(self, args: Mapping[str, Any] | ToolArgs | None) -> ToolArgs:
        """Validate raw arguments; bad ones raise ToolError naming the field and the fix."""
        if isinstance(args, self.args_schema):
            return args
        if isinstance(args, BaseModel):
            args = args.model_dump()
        try:
            return self.args_schema.model_validate(dict(args or {}))
        except ValidationError as exc:
            raise ToolError(f"bad arguments for {self.name}: {explain_validation(exc)}") from None
        except (TypeError, ValueError):  # dict() of a string or a list of pairs gone wrong
            raise ToolError(f"bad arguments for {self.name}: pass an object of named "
                            f"arguments, got {type(args).__name__}") from None

    def run(self, args: Mapping[str, Any] | ToolArgs | None, bus: CandidateBus) -> ToolResult:
        """Validate `args`, set up if needed, and execute over `bus`."""
        parsed = self.parse(args)
        self.ensure_setup()
        return self.execute(parsed, bus)

    @abc.abstractmethod
    def execute(self, args: Any, bus: CandidateBus) -> ToolResult:
        """Do the work on validated arguments."""

    def json_schema(self) -> dict[str, Any]:
        """The argument schema as JSON Schema (for planner prompts and constrained decoding)."""
        return self.args_schema.model_json_schema()

    def spec(self) -> dict[str, Any]:
        """name, description and parameters, as a planner prompt lists a tool."""
        return {"name": self.name, "description": self.description,
                "parameters": self.json_schema()}


def explain_validation(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:4]:
        where = ".".join(str(p) for p in error["loc"]) or "arguments"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown argument (remove it)"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


class Stopwatch:
    """`with Stopwatch() as sw: ...; sw.seconds`."""

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start

    def elapsed(self) -> float:
        return time.perf_counter() - self._start


def item_line(item: CatalogItem, extra: str = "") -> str:
    """"The Godfather (1972) - Action, Crime, Drama" (no id: the LLM never sees ids)."""
    genres = ", ".join(item.genres) or "no genres"
    return f"{item.label()} - {genres}" + (f" {extra}" if extra else "")


def rating_text(item: CatalogItem) -> str:
    """"avg rating 4.1 from 243 ratings"; "" when the item has no ratings."""
    if item.avg_rating is None:
        return ""
    return f"avg rating {item.avg_rating:.1f} from {item.n_ratings} ratings"


def item_record(item: CatalogItem, score: float | None = None) -> dict[str, Any]:
    """An item as artifact data (for the bus, the UI and the trace); the rating when known."""
    record: dict[str, Any] = {"id": item.id, "title": item.label(), "year": item.year,
                              "genres": list(item.genres), "popularity": item.popularity}
    if item.avg_rating is not None:
        record["avg_rating"] = round(item.avg_rating, 3)
        record["n_ratings"] = item.n_ratings
    if score is not None:
        record["score"] = None if score != score else float(score)
    return record


def numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def quote(text: str, limit: int = 60) -> str:
    """A user string echoed back safely and briefly."""
    text = " ".join(str(text).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

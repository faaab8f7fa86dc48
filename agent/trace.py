"""What one turn did, as typed steps: the audit trail tests assert on and the UI shows.

`RecAgent.stream` yields these steps as they happen; `Reply.trace` holds them all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PlanSource = Literal["llm", "extractor", "fallback"]
# Why a plan failed: the LLM was unreachable, too slow, wrote an invalid frame, or broke.
PlanError = Literal["connection", "timeout", "invalid", "failed"]


@dataclass(frozen=True)
class PlanningStep:
    """The planner wrote a frame (or failed to); `attempt` 0 is the first plan."""

    attempt: int
    source: PlanSource
    frame: dict[str, Any]
    seconds: float
    error: str | None = None
    error_kind: PlanError | None = None
    kind: Literal["plan"] = "plan"


@dataclass(frozen=True)
class ToolStep:
    """One tool call of the executed plan."""

    attempt: int
    tool: str
    args: dict[str, Any]
    n_in: int
    n_out: int
    seconds: float
    content: str
    error: str | None = None
    kind: Literal["tool"] = "tool"


@dataclass(frozen=True)
class CriticStep:
    """The critic's verdict on an attempt; `problems` is its advice to the planner."""

    attempt: int
    ok: bool
    problems: tuple[str, ...] = ()
    kind: Literal["critic"] = "critic"


@dataclass(frozen=True)
class RecommendedItem:
    """One recommended catalog item, with why it was picked."""

    id: int
    title: str
    year: int | None
    genres: tuple[str, ...]
    score: float
    reason: str = ""
    popularity: int = 0  # how many users in the data interacted with it
    avg_rating: float | None = None  # the mean rating in the data, when it has ratings

    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class ReplyStep:
    """The final answer of the turn."""

    text: str
    items: tuple[RecommendedItem, ...]
    seconds: float
    kind: Literal["reply"] = "reply"


Step = PlanningStep | ToolStep | CriticStep | ReplyStep


@dataclass
class Trace:
    """All steps of one turn plus the counters the evaluation reads."""

    steps: list[Step] = field(default_factory=list)

    def add(self, step: Step) -> Step:
        self.steps.append(step)
        return step

    @property
    def plans(self) -> list[PlanningStep]:
        return [s for s in self.steps if isinstance(s, PlanningStep)]

    @property
    def tool_calls(self) -> list[ToolStep]:
        return [s for s in self.steps if isinstance(s, ToolStep)]

    @property
    def verdicts(self) -> list[CriticStep]:
        return [s for s in self.steps if isinstance(s, CriticStep)]

    @property
    def replans(self) -> int:
        """Plans written after the first (re-plans and the fallback)."""
        return max(0, len(self.plans) - 1)

    @property
    def act(self) -> str | None:
        """The dialogue act the turn answered (the intent of its last plan), if it planned."""
        frames = [p.frame for p in self.plans if not p.error]
        return frames[-1].get("intent", "recommend") if frames else None

    @property
    def fell_back(self) -> bool:
        return any(p.source == "fallback" for p in self.plans)

    def to_dict(self) -> dict[str, Any]:
        return {"steps": [asdict(s) for s in self.steps], "act": self.act,
                "replans": self.replans, "fallback": self.fell_back}


@dataclass(frozen=True)
class Reply:
    """What `RecAgent.chat` returns: the text, the ranked items, and the trace."""

    text: str
    items: tuple[RecommendedItem, ...]
    trace: Trace

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "items": [asdict(i) for i in self.items],
                "trace": self.trace.to_dict()}

"""What one turn did, as typed steps: the audit trail tests assert on and the UI shows.

`RecAgent.stream` yields these steps as they happen; `Reply.trace` holds them all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from convrec.tools import names

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
    people: tuple[tuple[str, str], ...] = ()  # (role, name), when the catalog has people
    description: str = ""  # the item's text, when the catalog has any

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

    def summary(self) -> list[str]:
        """The turn in a few sentences for a person (see `summarize`)."""
        return summarize(self.steps)

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


# --- the trace in words a person reads --------------------------------------------------

_ACTS = {"recommend": "a request for picks", "info": "a question about a title",
         "compare": "a comparison", "explain": "a question about why I picked something",
         "feedback": "your opinion of a title", "help": "a question about what I can do",
         "chat": "small talk"}
_RANKED_BY = {"popularity": "how many people rated them", "rating": "their average rating",
              "sasrec": "what you liked or have seen",
              "als": "what people with similar taste chose",
              "similarity": "how close they are to the titles you named"}
_SLOT_NAMES = {"genres": "the genres", "genres_any": "the genres", "exclude_genres":
               "the genres left out", "year_min": "the years", "year_max": "the years",
               "exclude_years": "the years left out", "query": "the description",
               "similar_to": "the titles you named", "popularity": "the popularity",
               "quality": "best rated", "people": "the people"}


def wish_words(frame: dict[str, Any]) -> str:
    """A request frame (as a dict) in plain words: "Comedy; 1990-1999; like Fargo"."""
    parts: list[str] = []
    if frame.get("genres"):
        parts.append(" and ".join(frame["genres"]))
    if frame.get("genres_any"):
        parts.append(" or ".join(frame["genres_any"]))
    if frame.get("exclude_genres"):
        parts.append("not " + ", ".join(frame["exclude_genres"]))
    years = _years(frame.get("year_min"), frame.get("year_max"))
    if years:
        parts.append(years)
    if frame.get("exclude_years"):
        parts.append("not " + _years(*frame["exclude_years"]))
    if frame.get("popularity"):
        parts.append(str(frame["popularity"]))
    if frame.get("quality"):
        parts.append("best rated")
    if frame.get("query"):
        parts.append(f"mentioning \u201c{frame['query']}\u201d")
    for slot, words in (("similar_to", "like "), ("about", "about "), ("people", "with "),
                        ("disliked", "you disliked "), ("exclude_titles", "not ")):
        if frame.get(slot):
            parts.append(words + ", ".join(frame[slot]))
    if frame.get("count"):
        parts.append(f"{frame['count']} of them")
    return "; ".join(parts)


def _years(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return str(low) if low == high else f"{low}\u2013{high}"
    if low is not None:
        return f"from {low} on"
    return f"up to {high}" if high is not None else ""


def summarize(steps: list[Step]) -> list[str]:
    """What a turn did, one short sentence a line, for a person (no tool or field names):
    what was understood, what was searched and how many matched, what was relaxed, how the
    result was ordered, and whether the check passed."""
    plans = [s for s in steps if isinstance(s, PlanningStep)]
    if not plans:
        return []
    usable = [p for p in plans if not p.error]
    first, final = (usable[0], usable[-1]) if usable else (plans[0], plans[-1])
    act = _ACTS.get(str(final.frame.get("intent", "recommend")), "your message")
    wanted = wish_words(first.frame)
    lines = [f"Understood: {act}" + (f" ({wanted})." if wanted else ".")]
    if any(p.error for p in plans):
        lines.append("The language model's plan could not be used, so I read your message "
                     "with the built-in rules.")
    for step in steps:
        said = _tool_words(step) if isinstance(step, ToolStep) else None
        if said and said not in lines:
            lines.append(said)
    dropped = _dropped(first.frame, final.frame)
    if dropped:
        relaxed = "Nothing matched everything, so I left out " + _and(dropped) + "."
        failed = [i for i, line in enumerate(lines) if line.endswith("nothing matched.")]
        lines.insert(failed[0] + 1 if failed else len(lines), relaxed)
    verdicts = [s for s in steps if isinstance(s, CriticStep)]
    if verdicts:
        lines.append("Checked: the answer fits the request." if verdicts[-1].ok else
                     "Checked: not everything you asked for could be met.")
    return lines


def _tool_words(step: ToolStep) -> str | None:
    args = step.args
    if step.tool == names.FILTER_ITEMS:
        conditions = wish_words({"genres": args.get("genres_all"),
                                 "genres_any": args.get("genres_any"),
                                 "exclude_genres": args.get("genres_none"),
                                 "year_min": args.get("year_min"),
                                 "year_max": args.get("year_max"),
                                 "exclude_years": args.get("exclude_years")})
        where = f"Searched the catalog ({conditions})" if conditions else "Searched the catalog"
        if step.error:
            return f"{where}: nothing matched."
        return f"{where}: {step.n_out:,} of {step.n_in:,} match."
    if step.error:
        return None
    if step.tool == names.SEARCH_ITEMS:
        return f"Looked for \u201c{args.get('query', '')}\u201d in the descriptions: kept the " \
               f"{step.n_out:,} closest."
    if step.tool == names.SIMILAR_ITEMS:
        return f"Found {step.n_out:,} chosen by the same people as " \
               f"{', '.join(map(str, args.get('titles') or [])) or 'the titles named'}."
    if step.tool == names.RANK_CANDIDATES:
        ranker = str(args.get("ranker", ""))
        return f"Ordered them by {_RANKED_BY.get(ranker, ranker)}."
    if step.tool in (names.ITEM_INFO, names.LOOKUP_ITEMS):
        return "Looked the titles up in the catalog."
    return None


def _dropped(first: dict[str, Any], final: dict[str, Any]) -> list[str]:
    """Names of the conditions of `first` that `final` no longer has (or has changed)."""
    gone = [name for slot, name in _SLOT_NAMES.items()
            if first.get(slot) not in (None, [], False) and first.get(slot) != final.get(slot)]
    return list(dict.fromkeys(gone))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

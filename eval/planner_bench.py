"""The planner benchmark: frame accuracy on the labeled planner sets, and planning latency.

Labeled sets are JSON lines {"id", "message", "previous": frame or null, "expected": frame,
"tags": [...] (optional)} shipped in `convrec.eval` as data/planner_<set>.jsonl:
- dev: written with the extractor and the corpus generator (tune on it freely);
- tune: the first held-out set; measured once held out, then used for tuning (the
  extractor's rules and the planner's early stopping), so it is no longer a test;
- test (150) and test2 (120): written by hand by two people who never saw the extractor,
  the corpus generator, the adapter or the other sets; never trained or tuned on. test was
  written while the first draft-checking adapter trained and scored it and the frozen
  extractor once; test2 was written while its successor trained, and first read after
  that adapter was frozen;
- test5 (150): written by a third person from the frame's docstring and the catalog alone,
  for issue 18 (what a language model adds), labeled in today's convention.

The first four sets predate dialogue acts and the slots added with them, so a planner's frame
is graded on them as those labels would have written it (`as_labeled`): help, explain and
chat are "chat", compare is "info", feedback is a "recommend" request, disliked titles are
excluded titles, people named are a free-text wish, and slots the labels never had
(genres_any, exclude_years, asks, people, count, quality, narrow, moods) are not graded.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from convrec.agent.frame import RequestFrame
from convrec.eval.frame_scoring import FrameScore, score_frames

Plan = Callable[[str, RequestFrame | None], RequestFrame]
PLANNER_SETS = ("dev", "tune", "test", "test2", "test5")
LEGACY_SETS = ("dev", "tune", "test", "test2")  # graded through `as_labeled`
LABELED_ACTS = {"help": "chat", "explain": "chat", "compare": "info", "feedback": "recommend"}
UNLABELED_SLOTS = ("genres_any", "exclude_years", "asks", "people", "count", "quality",
                   "narrow", "moods")


def as_labeled(frame: RequestFrame) -> RequestFrame:
    """`frame` in the convention the planner sets were labeled with (see the docstring)."""
    update: dict = {slot: RequestFrame.model_fields[slot].get_default(call_default_factory=True)
                    for slot in UNLABELED_SLOTS}
    update["intent"] = LABELED_ACTS.get(frame.intent, frame.intent)
    update["exclude_titles"] = [*frame.exclude_titles, *frame.disliked]
    update["disliked"] = []
    if frame.people:  # names were a free-text wish then
        update["query"] = " ".join([*([frame.query] if frame.query else []), *frame.people])
    return frame.model_copy(update=update)


@dataclass(frozen=True)
class LabeledRequest:
    id: str
    message: str
    previous: RequestFrame | None
    expected: RequestFrame
    tags: tuple[str, ...] = ()


@dataclass
class BenchResult:
    name: str
    score: FrameScore
    latencies_ms: list[float]
    examples: list[LabeledRequest]
    predicted: list[RequestFrame] = field(default_factory=list)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]

    def failure_lines(self, limit: int = 20) -> list[str]:
        """One line per wrong frame: id, message, wrong slots, got vs expected."""
        lines = []
        for index, wrong in self.score.failures[:limit]:
            ex, got = self.examples[index], self.predicted[index]
            lines.append(f"{ex.id} {ex.message!r} wrong={','.join(wrong)}\n"
                         f"    got      {json.dumps(got.compact())}\n"
                         f"    expected {json.dumps(ex.expected.compact())}")
        return lines


def has_labeled_set(name: str) -> bool:
    return _set_path(name).is_file()


def _set_path(name: str):
    if name.endswith(".jsonl"):
        return Path(name)
    return resources.files("convrec.eval").joinpath(f"data/planner_{name}.jsonl")


def set_name(name: str) -> str:
    """A set's name in reports: a shipped set's own, or a file's stem."""
    return Path(name).stem if name.endswith(".jsonl") else name


def load_labeled(name: str = "dev") -> list[LabeledRequest]:
    """A labeled planner set shipped with the package ("dev", "test", ...), or a .jsonl file
    of the same format (graded in today's convention)."""
    path = _set_path(name)
    if not path.is_file():
        raise FileNotFoundError(f"no labeled planner set {name!r} at {path}; "
                                f"known sets: {', '.join(PLANNER_SETS)}")
    examples = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            previous = row.get("previous")
            examples.append(LabeledRequest(
                id=row["id"], message=row["message"],
                previous=RequestFrame.model_validate(previous) if previous else None,
                expected=RequestFrame.model_validate(row["expected"]),
                tags=tuple(row.get("tags", ()))))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{number}: bad labeled request ({exc})") from exc
    return examples


def run_bench(plan: Plan, examples: list[LabeledRequest], name: str) -> BenchResult:
    """Plan every example, timing each call, and score the frames (in the set's labeling
    convention: `as_labeled` for the sets that predate the dialogue acts)."""
    predicted, latencies = [], []
    for example in examples:
        start = time.perf_counter()
        predicted.append(plan(example.message, example.previous))
        latencies.append((time.perf_counter() - start) * 1000)
    graded = [as_labeled(p) for p in predicted] if name in LEGACY_SETS else predicted
    score = score_frames(graded, [e.expected for e in examples])
    return BenchResult(name, score, latencies, examples, predicted)


def report(result: BenchResult, show_failures: int = 0) -> str:
    """The printed form of one run: per-slot table, p50 latency, and optionally failures."""
    lines = [f"== planner set {result.name}", result.score.table(),
             f"{'p50 latency':<16}{result.p50_ms:7.2f} ms per message",
             f"{'p95 latency':<16}{result.p95_ms:7.2f} ms per message"]
    if show_failures:
        lines += result.failure_lines(show_failures)
    return "\n".join(lines)

"""Session metrics from finished session records (the lines of sessions.jsonl).

Hit@k    share of sessions whose target was shown within the first k turns.
AT       average turns to success, a miss counted as max_turns + 1.
recall   per turn t: share of the sessions still running at turn t whose list held the target.
replans / fallbacks / errors: share of all turns with at least one re-plan, with the
fallback plan, or where the method raised.
latency  seconds per turn (p50, p95, mean); peak memory: the process's peak RSS by the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class MethodMetrics:
    method: str
    sessions: int
    max_turns: int
    hit_by_turn: tuple[float, ...]  # Hit@1 .. Hit@max_turns
    average_turns: float
    recall_per_turn: tuple[float | None, ...]
    sessions_per_turn: tuple[int, ...]
    replan_share: float
    fallback_share: float
    error_share: float
    latency_p50: float
    latency_p95: float
    latency_mean: float
    peak_rss_mb: float
    guard_rejections: int

    def hit(self, k: int) -> float:
        """Hit@k (k beyond max_turns counts as max_turns)."""
        return self.hit_by_turn[min(k, self.max_turns) - 1]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update({f"hit@{k}": v for k, v in enumerate(self.hit_by_turn, start=1)})
        return out


def method_metrics(method: str, records: Sequence[dict[str, Any]],
                   max_turns: int) -> MethodMetrics:
    """Metrics of one method over its session records."""
    if not records:
        raise ValueError(f"no finished sessions for {method!r}")
    success = np.array([r["success_turn"] or max_turns + 1 for r in records], dtype=float)
    turns = [t for r in records for t in r["turns"]]
    seconds = np.array([t["seconds"] for t in turns], dtype=float)
    reached = [sum(1 for r in records if len(r["turns"]) >= t) for t in range(1, max_turns + 1)]
    recall: list[float | None] = []
    for t, count in enumerate(reached, start=1):
        hits = sum(1 for r in records if len(r["turns"]) >= t and r["turns"][t - 1]["hit"])
        recall.append(hits / count if count else None)
    return MethodMetrics(
        method=method,
        sessions=len(records),
        max_turns=max_turns,
        hit_by_turn=tuple(float(np.mean(success <= k)) for k in range(1, max_turns + 1)),
        average_turns=float(success.mean()),
        recall_per_turn=tuple(recall),
        sessions_per_turn=tuple(reached),
        replan_share=_share(t["replans"] > 0 for t in turns),
        fallback_share=_share(bool(t["fell_back"]) for t in turns),
        error_share=_share(t["error"] is not None for t in turns),
        latency_p50=float(np.percentile(seconds, 50)) if len(seconds) else 0.0,
        latency_p95=float(np.percentile(seconds, 95)) if len(seconds) else 0.0,
        latency_mean=float(seconds.mean()) if len(seconds) else 0.0,
        peak_rss_mb=max(float(r.get("peak_rss_mb", 0.0)) for r in records),
        guard_rejections=sum(int(t.get("guard_rejections", 0)) for t in turns),
    )


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def all_metrics(records: Sequence[dict[str, Any]], methods: Sequence[str],
                max_turns: int) -> list[MethodMetrics]:
    """Metrics per method, in the order of `methods` (methods without sessions are left out)."""
    out = []
    for method in methods:
        mine = [r for r in records if r["method"] == method]
        if mine:
            out.append(method_metrics(method, mine, max_turns))
    return out


def latencies(records: Sequence[dict[str, Any]], method: str) -> list[float]:
    """Every turn's seconds for one method (for the histogram)."""
    return [t["seconds"] for r in records if r["method"] == method for t in r["turns"]]

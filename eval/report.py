"""results.json, report.md and the plots (success by turn, latency histogram) of a run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt  # noqa: E402

from convrec.eval.metrics import MethodMetrics, latencies  # noqa: E402
from convrec.recsys.io import atomic_write_text  # noqa: E402

STATED = ":stated"  # the suffix of a method's sessions with the history stated in words
SUCCESS_PLOT = "success_by_turn.png"
LATENCY_PLOT = "latency.png"


def summary_table(metrics: Sequence[MethodMetrics]) -> str:
    """The Markdown table with one row per method."""
    t = metrics[0].max_turns if metrics else 5
    ks = sorted({1, min(3, t), t})
    head = (["method", "sessions"] + [f"Hit@{k}" for k in ks]
            + ["AT", "re-plans", "fallbacks", "errors", "p50 s", "p95 s", "peak MB"])
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in metrics:
        cells = ([m.method, str(m.sessions)] + [f"{m.hit(k):.3f}" for k in ks]
                 + [f"{m.average_turns:.2f}", f"{m.replan_share:.1%}", f"{m.fallback_share:.1%}",
                    f"{m.error_share:.1%}", f"{m.latency_p50:.3f}", f"{m.latency_p95:.3f}",
                    f"{m.peak_rss_mb:.0f}"])
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def side_by_side(metrics: Sequence[MethodMetrics]) -> str:
    """One row per method: Hit@1/3/T and AT with the history given and stated ("" if the
    run has only one of them)."""
    by_name = {m.method: m for m in metrics}
    bases = [m.method for m in metrics if not m.method.endswith(STATED)]
    pairs = [(b, by_name[b], by_name[b + STATED]) for b in bases if b + STATED in by_name]
    if not pairs:
        return ""
    t = metrics[0].max_turns
    ks = sorted({1, min(3, t), t})
    cells = [f"Hit@{k}" for k in ks] + ["AT"]
    head = ["method"] + [f"{c} given" for c in cells] + [f"{c} stated" for c in cells]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, given, stated in pairs:
        values: list[str] = []
        for m in (given, stated):
            values += [f"{m.hit(k):.3f}" for k in ks] + [f"{m.average_turns:.2f}"]
        rows.append("| " + " | ".join([name, *values]) + " |")
    return "\n".join(rows)


def turn_table(m: MethodMetrics) -> str:
    """Per turn: sessions still running, recall of the target in that turn, Hit@turn."""
    rows = ["| turn | sessions | recall | Hit@turn |", "|---|---|---|---|"]
    for t in range(m.max_turns):
        recall = m.recall_per_turn[t]
        rows.append(f"| {t + 1} | {m.sessions_per_turn[t]} | "
                    f"{'-' if recall is None else f'{recall:.3f}'} | {m.hit_by_turn[t]:.3f} |")
    return "\n".join(rows)


def write_report(folder: Path, metrics: Sequence[MethodMetrics],
                 records: Sequence[dict[str, Any]], settings: dict[str, Any],
                 command: str) -> list[Path]:
    """Write results.json, report.md and both plots into `folder`; returns their paths."""
    folder = Path(folder)
    results = {"settings": settings, "command": command,
               "methods": {m.method: m.to_dict() for m in metrics}}
    atomic_write_text(folder / "results.json", json.dumps(results, indent=2) + "\n")
    plot_success(metrics, folder / SUCCESS_PLOT)
    plot_latency(metrics, records, folder / LATENCY_PLOT)
    atomic_write_text(folder / "report.md", _markdown(metrics, settings, command))
    return [folder / n for n in ("results.json", "report.md", SUCCESS_PLOT, LATENCY_PLOT)]


def _markdown(metrics: Sequence[MethodMetrics], settings: dict[str, Any], command: str) -> str:
    user = f"LLM-driven ({settings['user_llm']})" if settings.get("user_llm") else "scripted"
    parts = [
        "# Session-wise evaluation", "",
        f"`{command}`", "",
        f"{settings.get('users')} users of {settings.get('dataset')} (seed {settings.get('seed')}),"
        f" {user} simulated user, at most {settings.get('max_turns')} turns, top "
        f"{settings.get('top')} items shown per turn. Hit@k: target shown within k turns; AT: "
        f"average turns to success, a miss counts as {settings.get('max_turns', 5) + 1}. "
        "Baselines (pop, sasrec) rank from the user's history alone and only drop the items "
        "the user disliked. Latency in seconds per turn, on a shared machine.", "",
        f"History: {_histories(settings)}. Target: the {settings.get('target', 'test')} "
        "item.", "",
        summary_table(metrics), "",
        *([side_by_side(metrics), ""] if side_by_side(metrics) else []),
        f"![success by turn]({SUCCESS_PLOT})", "", f"![latency per turn]({LATENCY_PLOT})", "",
    ]
    for m in metrics:
        parts += [f"## {m.method}", "", turn_table(m), "",
                  f"Title-guard rewrites: {m.guard_rejections}; latency mean "
                  f"{m.latency_mean:.3f} s.", ""]
    return "\n".join(parts)


def _histories(settings: dict[str, Any]) -> str:
    said = {"given": "given (the agent gets the user's past through set_history)",
            "stated": f"stated (rows '{STATED}': the agent gets no past; the user names its "
                      "5 most recent titles in its first message; baselines get those 5 "
                      "titles as their history)"}
    return "; ".join(said[h] for h in settings.get("histories", ("given",)))


def plot_success(metrics: Sequence[MethodMetrics], path: Path) -> None:
    """Hit@turn against the turn, one line per method."""
    fig, ax = plt.subplots(figsize=(6, 4))
    for m in metrics:
        ax.plot(range(1, m.max_turns + 1), m.hit_by_turn, marker="o", label=m.method)
    ax.set(xlabel="turn", ylabel="share of sessions with the target shown", ylim=(0, 1),
           title="Success by turn")
    ax.set_xticks(range(1, (metrics[0].max_turns if metrics else 5) + 1))
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_latency(metrics: Sequence[MethodMetrics], records: Sequence[dict[str, Any]],
                 path: Path) -> None:
    """Histogram of seconds per turn (log scale), one series per method."""
    fig, ax = plt.subplots(figsize=(6, 4))
    series = {m.method: [max(s, 1e-4) for s in latencies(records, m.method)] for m in metrics}
    values = [v for vs in series.values() for v in vs] or [1e-3]
    bins = np.logspace(np.log10(min(values)), np.log10(max(values) * 1.01 + 1e-9), 30)
    for name, secs in series.items():
        ax.hist(secs, bins=bins, alpha=0.5, label=name)
    ax.set(xscale="log", xlabel="seconds per turn", ylabel="turns", title="Latency per turn")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)

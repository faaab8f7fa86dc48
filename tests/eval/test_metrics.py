"""Metric arithmetic on hand-made transcripts, and the report written from it."""

from __future__ import annotations

import json

import pytest

from convrec.eval.metrics import all_metrics, method_metrics
from convrec.eval.report import summary_table, write_report


def _turn(hit: bool, seconds: float, replans: int = 0, fell_back: bool = False,
          error: str | None = None) -> dict:
    return {"hit": hit, "seconds": seconds, "replans": replans, "fell_back": fell_back,
            "error": error, "guard_rejections": 0}


def _session(method: str, user: int, success: int | None, turns: list[dict],
             rss: float = 100.0) -> dict:
    return {"method": method, "user": user, "success_turn": success, "turns": turns,
            "peak_rss_mb": rss}


@pytest.fixture()
def transcripts() -> list[dict]:
    return [
        # found at once
        _session("agent", 1, 1, [_turn(True, 0.1)], rss=200),
        # found in turn 3, the second turn re-planned, the third fell back
        _session("agent", 2, 3, [_turn(False, 0.2), _turn(False, 0.3, replans=2),
                                 _turn(True, 0.4, replans=1, fell_back=True)]),
        # never found in 5 turns, one turn raised
        _session("agent", 3, None, [_turn(False, 1.0)] * 4 + [_turn(False, 2.0, error="X")],
                 rss=350),
        _session("pop", 1, None, [_turn(False, 0.0)] * 5),
    ]


def test_hits_and_average_turns(transcripts):
    m = method_metrics("agent", [r for r in transcripts if r["method"] == "agent"], 5)
    assert m.sessions == 3
    assert m.hit(1) == pytest.approx(1 / 3)
    assert m.hit(2) == pytest.approx(1 / 3)
    assert m.hit(3) == pytest.approx(2 / 3)
    assert m.hit(5) == pytest.approx(2 / 3)
    assert m.average_turns == pytest.approx((1 + 3 + 6) / 3)  # a miss counts as 6


def test_recall_per_turn_counts_only_sessions_still_running(transcripts):
    m = method_metrics("agent", [r for r in transcripts if r["method"] == "agent"], 5)
    assert m.sessions_per_turn == (3, 2, 2, 1, 1)
    assert m.recall_per_turn == pytest.approx((1 / 3, 0.0, 0.5, 0.0, 0.0))


def test_shares_latency_and_memory(transcripts):
    m = method_metrics("agent", [r for r in transcripts if r["method"] == "agent"], 5)
    assert m.replan_share == pytest.approx(2 / 9)
    assert m.fallback_share == pytest.approx(1 / 9)
    assert m.error_share == pytest.approx(1 / 9)
    assert m.latency_p50 == pytest.approx(1.0)
    assert m.latency_p95 == pytest.approx(1.6)  # numpy's linear interpolation of 9 values
    assert m.peak_rss_mb == 350


def test_methods_keep_the_asked_order_and_a_method_without_sessions_is_refused(transcripts):
    assert [m.method for m in all_metrics(transcripts, ["pop", "agent", "x"], 5)] == \
        ["pop", "agent"]
    with pytest.raises(ValueError, match="no finished sessions"):
        method_metrics("x", [], 5)


def test_report_files(tmp_path, transcripts):
    metrics = all_metrics(transcripts, ["pop", "agent"], 5)
    paths = write_report(tmp_path, metrics, transcripts, {"users": 3, "seed": 0,
                                                          "max_turns": 5, "top": 5},
                         "convrec eval --users 3")
    assert {p.name for p in paths} == {"results.json", "report.md", "success_by_turn.png",
                                       "latency.png"}
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["methods"]["agent"]["hit@5"] == pytest.approx(2 / 3)
    report = (tmp_path / "report.md").read_text()
    assert "| agent | 3 | 0.333 | 0.667 | 0.667 | 3.33 |" in report
    assert "convrec eval --users 3" in report and "## pop" in report
    assert (tmp_path / "latency.png").read_bytes()[:4] == b"\x89PNG"
    assert summary_table(metrics).splitlines()[0].startswith("| method | sessions | Hit@1")

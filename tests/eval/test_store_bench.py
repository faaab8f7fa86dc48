"""`convrec bench agent --sessions`: the same conversations on each store, side by side."""

from __future__ import annotations

from convrec.eval.store_bench import conversations, run_sessions_bench


def test_conversations_lean_on_the_session():
    plan = conversations(["a", "b"], sessions=3, turns=5)
    assert [p[0] for p in plan] == ["a", "b", "a"]
    assert plan[0][1:] == ["something older", "more", "any comedies instead?", "something older"]


def test_every_store_answers_every_turn_and_reports_its_time(home, postgres_url):
    result = run_sessions_bench(home, "deterministic", ["some 90s sci-fi please"],
                                ["sqlite", postgres_url], sessions=3, threads=2, turns=2)
    assert [len(run.turn_seconds) for run in result.runs] == [6, 6]
    assert all(len(run.store_seconds) == 6 and run.without_memory == 0 for run in result.runs)
    report = result.report()
    assert "turns/s" in report and "vs sqlite: turn p50" in report

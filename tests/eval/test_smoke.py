"""`convrec eval` end to end: 3 users, the real agent (no LLM and the embedded model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convrec.cli import main
from convrec.eval.guard import names_title

METHODS = ["pop", "agent-deterministic", "agent-embedded"]


@pytest.fixture(scope="module")
def run(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eval") / "run"
    argv = ["--home", str(home), "eval", "--users", "3", "--seed", "0", "--methods",
            ",".join(METHODS), "--out", str(out)]
    assert main(argv) == 0
    return out


@pytest.mark.slow
def test_three_users_through_the_whole_pipeline(run: Path):
    sessions = [json.loads(line) for line in (run / "sessions.jsonl").read_text().splitlines()]
    both = [*METHODS, *(f"{m}:stated" for m in METHODS)]  # given and stated, by default
    assert sorted({s["method"] for s in sessions}) == sorted(both)
    assert len(sessions) == 18
    assert len({s["user"] for s in sessions}) == 3
    for s in sessions:
        assert 1 <= len(s["turns"]) <= 5
        assert all(len(t["shown"]) <= 5 and t["error"] is None for t in s["turns"])
        assert all(not names_title(t["message"], [s["target"]["title"].rsplit(" (", 1)[0]])
                   for t in s["turns"])
        assert (s["success_turn"] is not None) == s["turns"][-1]["hit"]
    results = json.loads((run / "results.json").read_text())
    assert set(results["methods"]) == set(both)
    assert results["methods"]["agent-deterministic"]["hit@5"] > 0
    report = (run / "report.md").read_text()
    assert "| agent-embedded | 3 |" in report
    assert (run / "success_by_turn.png").stat().st_size > 1000


@pytest.mark.slow
def test_resume_of_a_finished_run_adds_nothing(run: Path, home: Path):
    before = (run / "sessions.jsonl").read_text()
    argv = ["--home", str(home), "eval", "--users", "3", "--seed", "0", "--methods",
            ",".join(METHODS), "--out", str(run), "--resume", "--no-progress"]
    assert main(argv) == 0
    assert (run / "sessions.jsonl").read_text() == before
    assert main(argv[:-2]) == 1  # without --resume an existing run is not overwritten

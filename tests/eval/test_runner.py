"""The session loop, resumable run folders and the baselines' control flow.

The agent here is a scripted stand-in (its replies are fixed in advance) so that the loop
itself can be checked; the real agent runs in test_smoke.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convrec.agent.trace import PlanningStep, RecommendedItem, Reply, Trace
from convrec.eval.methods import AgentMethod, RecommenderMethod, check_method_names
from convrec.eval.runner import EvalConfig, run_methods, run_session
from convrec.eval.simulator import ScriptedUser, UserFacts, rank_liked
from convrec.eval.store import RunFolder
from convrec.recsys.train import load_or_train

GODFATHER = 126


class StandInAgent:
    """Replies with fixed item lists in order; remembers every call it got."""

    def __init__(self, replies: list[list[int]], fail_on: int | None = None):
        self.replies = replies
        self.fail_on = fail_on
        self.calls: list[tuple] = []

    def chat(self, message: str, session_id: str = "default", n: int = 5) -> Reply:
        turn = sum(1 for c in self.calls if c[0] == "chat" and c[1] == session_id)
        self.calls.append(("chat", session_id, message))
        if turn + 1 == self.fail_on:
            raise RuntimeError("planner exploded")
        ids = self.replies[min(turn, len(self.replies) - 1)][:n]
        trace = Trace([PlanningStep(0, "llm", {}, 0.0), PlanningStep(1, "fallback", {}, 0.0)])
        items = tuple(RecommendedItem(i, f"Movie {i}", 1990, ("Drama",), 1.0) for i in ids)
        return Reply("here you go", items, trace)

    def feedback(self, session_id: str, item_id: int, kind: str) -> None:
        self.calls.append(("feedback", session_id, item_id, kind))

    def reset(self, session_id: str) -> None:
        self.calls.append(("reset", session_id))

    def set_history(self, session_id: str, item_ids) -> None:
        self.calls.append(("history", session_id, tuple(item_ids)))


@pytest.fixture()
def facts(catalog) -> UserFacts:
    target = catalog.item(GODFATHER)
    history = (0, 49, 181)
    return UserFacts(5, target, history, rank_liked(catalog, target, list(history)))


def test_a_session_gets_the_past_dislikes_and_stops_at_the_hit(facts):
    agent = StandInAgent([[1, 2, 3, 4, 5], [7, GODFATHER, 8]])
    record = run_session(AgentMethod("agent-x", agent), ScriptedUser(facts, 0), EvalConfig())
    sid = "eval-agent-x-5"
    assert agent.calls[0] == ("reset", sid)
    assert agent.calls[1] == ("history", sid, (0, 49, 181))
    kinds = [c[0] for c in agent.calls]
    assert kinds == ["reset", "history", "chat"] + ["feedback"] * 5 + ["chat", "reset"]
    assert {c[2] for c in agent.calls if c[0] == "feedback"} == {1, 2, 3, 4, 5}
    assert all(c[3] == "dislike" for c in agent.calls if c[0] == "feedback")
    assert record["success_turn"] == 2
    assert record["turns"][1]["rank"] == 2
    assert record["turns"][1]["disliked_before"] == [1, 2, 3, 4, 5]
    assert record["turns"][0]["replans"] == 1 and record["turns"][0]["fell_back"] is True
    assert [s["plan"] for s in record["turns"][0]["plan"]] == ["llm", "fallback"]


def test_a_miss_runs_all_turns_and_a_failing_turn_is_recorded(facts):
    agent = StandInAgent([[1, 2, 3, 4, 5]], fail_on=2)
    record = run_session(AgentMethod("agent-x", agent), ScriptedUser(facts, 0),
                         EvalConfig(max_turns=4))
    assert record["success_turn"] is None
    assert len(record["turns"]) == 4
    assert record["turns"][1]["error"] == "RuntimeError: planner exploded"
    assert record["turns"][1]["shown"] == []
    assert "anything" in record["turns"][2]["message"] or "?" in record["turns"][2]["message"]


def test_baseline_pages_past_what_was_rejected_and_never_shows_the_past(home, catalog, facts):
    pop = RecommenderMethod("pop", load_or_train("pop", home), catalog)
    pop.start("s", facts.history)
    first = pop.respond("s", "anything", 5)
    for item in first.ids:
        pop.feedback("s", item, "dislike")
    second = pop.respond("s", "more", 5)
    assert len(first.ids) == len(second.ids) == 5
    assert not set(first.ids) & set(second.ids)
    assert not set(first.ids + second.ids) & set(facts.history)  # 49 = Star Wars, most popular
    assert first.titles[0].endswith(")")


class Interrupt(KeyboardInterrupt):
    pass


def _run(folder: RunFolder, people, agents: dict, resume: bool, stop_after: int | None = None):
    folder.open({"seed": 0, "max_turns": 2, "top": 5, "user_llm": None}, resume=resume)
    built: list[str] = []
    calls = {"n": 0}

    def build(name: str) -> AgentMethod:
        built.append(name)
        method = AgentMethod(name, agents[name])
        original = method.respond

        def respond(sid, message, n):
            calls["n"] += 1
            if stop_after is not None and calls["n"] > stop_after:
                raise Interrupt  # stands for Ctrl-C or a killed process
            return original(sid, message, n)

        method.respond = respond
        return method

    make = lambda f, history: ScriptedUser(f, 0)  # noqa: E731
    records = run_methods(["a", "b"], build, people, make,
                          EvalConfig(max_turns=2, histories=("given",)), folder)
    return records, built


def test_an_interrupted_run_loses_nothing_and_resume_finishes_it(tmp_path: Path, catalog):
    people = [UserFacts(u, catalog.item(GODFATHER), (0,), ()) for u in (1, 2, 3)]
    agents = {"a": StandInAgent([[GODFATHER]]), "b": StandInAgent([[0, 1]])}
    folder = RunFolder(tmp_path / "run")
    with pytest.raises(Interrupt):
        _run(folder, people, agents, resume=False, stop_after=4)  # a: 3 x 1 turn, b: 1 turn
    assert [(r["method"], r["user"]) for r in folder.records()] == [("a", 1), ("a", 2),
                                                                     ("a", 3)]
    with pytest.raises(FileExistsError, match="--resume"):
        folder.open({"seed": 0, "max_turns": 2, "top": 5, "user_llm": None}, resume=False)
    records, built = _run(folder, people, agents, resume=True)
    assert built == ["b"]  # nothing of method a is run (or even loaded) again
    assert sorted((r["method"], r["user"]) for r in records) == \
        [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("b", 3)]
    assert all(r["success_turn"] == 1 for r in records if r["method"] == "a")


def test_resume_refuses_other_settings_and_repairs_a_torn_line(tmp_path: Path):
    folder = RunFolder(tmp_path / "run")
    folder.open({"seed": 0, "max_turns": 5}, resume=False)
    folder.append({"method": "pop", "user": 1, "turns": []})
    with folder.sessions.open("a") as handle:
        handle.write('{"method": "pop", "us')  # killed mid-write
    with pytest.raises(ValueError, match="seed=0"):
        folder.open({"seed": 1, "max_turns": 5}, resume=True)
    folder.open({"seed": 0, "max_turns": 5}, resume=True)
    folder.append({"method": "pop", "user": 2, "turns": []})
    lines = folder.sessions.read_text().splitlines()
    assert [json.loads(line)["user"] for line in lines] == [1, 2]


def test_method_names_are_checked():
    assert check_method_names(["pop", "agent-embedded", "pop", "agent-openai:gpt-4o"]) == \
        ["pop", "agent-embedded", "agent-openai:gpt-4o"]
    with pytest.raises(ValueError, match="agent-deterministic"):
        check_method_names(["als"])

"""A hosted (demonstration) planner sees the conversation so far, trimmed to a token budget."""

from __future__ import annotations

import json

import pytest

from convrec.agent.assemble import build_agent
from convrec.agent.core import RecAgent
from convrec.agent.llm.testing import ScriptedChatModel
from convrec.agent.planner import DemonstrationPlanner
from convrec.memory.tokens import TiktokenCounter


@pytest.fixture
def agent(home, tmp_path, scripted) -> RecAgent:
    return build_agent(home, llm="scripted", demos=0, llm_reply=False,
                       profiles_path=tmp_path / "profiles.sqlite")


def last_prompt(scripted: ScriptedChatModel) -> str:
    return scripted.history[-1][-1].content


def test_the_second_turn_prompt_holds_the_first_exchange(agent, scripted):
    scripted.replies = [json.dumps({"genres": ["Sci-Fi"], "year_min": 1990, "year_max": 1999}),
                        json.dumps({"genres": ["Sci-Fi"], "year_min": 1990, "year_max": 1999,
                                    "exclude_genres": ["Action"], "refine": True})]
    first = agent.chat("some 90s sci-fi please", "ann")
    agent.chat("hmm, less action than that", "ann")
    prompt = scripted.history[1][-1].content  # the second turn's first plan
    assert prompt.startswith("Conversation so far:")
    assert "User: some 90s sci-fi please" in prompt
    assert f"Assistant: {first.text}"[:60] in prompt
    assert prompt.rstrip().endswith("Message: hmm, less action than that")
    assert "Conversation so far" not in scripted.history[0][-1].content  # nothing before turn 1


def test_sessions_do_not_see_each_others_conversation(agent, scripted):
    scripted.replies = [json.dumps({"genres": ["Comedy"]}), json.dumps({"genres": ["Drama"]})]
    agent.chat("a comedy for tonight", "ann")
    agent.chat("a drama", "bob")
    assert "Conversation so far" not in last_prompt(scripted)
    assert "comedy" not in last_prompt(scripted)


def test_old_turns_are_dropped_to_the_budget_and_summarised(agent, scripted):
    counter = TiktokenCounter()
    planner = agent.parts.planner
    assert isinstance(planner, DemonstrationPlanner)
    planner.history_tokens = 200
    asks = ["a western please", "a war film instead", "something with horses",
            "ok a musical then", "and now a documentary"]
    scripted.replies = [json.dumps({"genres": g}) for g in
                        (["Western"], ["War"], ["Western"], ["Musical"], ["Documentary"])]
    for ask in asks:
        agent.chat(ask, "cat")
    prompt = last_prompt(scripted)
    history = prompt.split("\n\n")[0]
    assert counter.count(history) <= 200 + 40  # the budget, plus per-message overhead
    assert "User: ok a musical then" in history  # the latest turn is kept
    assert "User: a western please" not in history
    assert "earlier turn(s) not shown" in history and "a western please" in history

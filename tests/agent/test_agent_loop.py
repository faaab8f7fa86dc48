"""The planning loop driven by a scripted chat model, on the real catalog and tools."""

from __future__ import annotations

import json

import pytest

from convrec.agent.assemble import build_agent
from convrec.agent.core import RecAgent
from convrec.agent.llm.registry import LLMConnectionError
from convrec.agent.llm.testing import ScriptedChatModel
from convrec.agent.planner import DraftCheckingPlanner


def frame(**slots) -> str:
    return json.dumps(slots)


@pytest.fixture
def agent(home, tmp_path, scripted) -> RecAgent:
    return build_agent(home, llm="scripted", demos=0, llm_reply=False,
                       profiles_path=tmp_path / "profiles.sqlite")


def check_drafts(agent: RecAgent, scripted: ScriptedChatModel) -> None:
    """Plan with a draft-checking planner (as the tuned one) that has no guard."""
    agent.parts.planner = DraftCheckingPlanner(scripted, agent.parts.toolkit.catalog.genres,
                                               guard=False)


def is_90s_scifi(item) -> bool:
    return "Sci-Fi" in item.genres and 1990 <= item.year <= 1999


def test_a_right_first_plan_is_executed_without_replanning(agent, scripted):
    scripted.replies = [frame(genres=["Sci-Fi"], year_min=1990, year_max=1999)]
    reply = agent.chat("recommend 90s sci-fi", "s")
    assert reply.trace.replans == 0 and not reply.trace.fell_back
    assert len(reply.items) == 5 and all(is_90s_scifi(i) for i in reply.items)
    assert [s.tool for s in reply.trace.tool_calls] == ["filter_items", "rank_candidates"]
    assert len(scripted.history) == 1


def test_the_critic_sends_wrong_plans_back_exactly_max_replans_times_then_falls_back(
        agent, scripted):
    scripted.replies = [frame(genres=["Comedy"]), frame(genres=["Drama"]),
                        frame(genres=["Horror"])]
    reply = agent.chat("recommend 90s sci-fi", "s")
    sources = [p.source for p in reply.trace.plans]
    assert sources == ["llm", "llm", "llm", "fallback"]
    assert reply.trace.replans == 3 and reply.trace.fell_back
    assert [v.ok for v in reply.trace.verdicts] == [False, False, False, True]
    assert all(is_90s_scifi(i) for i in reply.items)


def test_a_replan_carries_the_critics_advice_and_can_succeed(agent, scripted):
    scripted.replies = [frame(genres=["Comedy"]),
                        frame(genres=["Sci-Fi"], year_min=1990, year_max=1999)]
    reply = agent.chat("recommend 90s sci-fi", "s")
    assert reply.trace.replans == 1 and not reply.trace.fell_back
    second_prompt = scripted.history[1][-1].content
    assert "remove 'Comedy' from genres" in second_prompt
    assert "set year_min to 1990" in second_prompt


def test_a_plan_repeated_word_for_word_goes_straight_to_the_fallback(agent, scripted):
    scripted.replies = [frame(genres=["Comedy"])] * 2
    reply = agent.chat("recommend 90s sci-fi", "s")
    assert [p.source for p in reply.trace.plans] == ["llm", "llm", "fallback"]
    assert all(is_90s_scifi(i) for i in reply.items)


def test_a_planner_that_takes_no_advice_falls_back_after_its_first_miss(agent, scripted):
    agent.parts.planner.accepts_feedback = False  # as the tuned planner, trained without it
    scripted.replies = [frame(genres=["Comedy"]), frame(genres=["Drama"])]
    reply = agent.chat("recommend 90s sci-fi", "s")
    assert [p.source for p in reply.trace.plans] == ["llm", "fallback"]
    assert len(scripted.history) == 1 and all(is_90s_scifi(i) for i in reply.items)


def test_a_planner_that_checked_the_draft_may_overrule_the_extractor(agent, scripted):
    # "live action" is not the Action genre: a draft-checking planner that drops it is kept
    check_drafts(agent, scripted)
    scripted.replies = [frame(genres=["Children's"], exclude_genres=["Animation"])]
    reply = agent.chat("a kids film in live action, no cartoons", "s")
    assert [p.source for p in reply.trace.plans] == ["llm"]
    assert reply.items and all("Children's" in i.genres and "Animation" not in i.genres
                               for i in reply.items)


def test_a_draft_checking_planner_cannot_bring_back_a_film_the_user_has_seen(agent, scripted):
    check_drafts(agent, scripted)
    scripted.replies = [frame(similar_to=["Star Wars"])]  # forgot the seen film
    reply = agent.chat("more like star wars, I've seen return of the jedi", "s")
    titles = [i.title for i in reply.items]
    assert reply.items and "Return of the Jedi" not in titles and "Star Wars" not in titles


def test_invalid_json_and_unknown_genres_are_counted_and_recovered(agent, scripted):
    scripted.replies = ["{not json", frame(genres=["Space Westerns"]),
                        frame(genres=["Sci-Fi"], year_min=1990, year_max=1999)]
    reply = agent.chat("recommend 90s sci-fi", "s")
    plans = reply.trace.plans
    assert plans[0].error and plans[1].error and plans[2].error is None
    assert not reply.trace.fell_back and all(is_90s_scifi(i) for i in reply.items)


def test_an_unreachable_llm_falls_back_at_once(agent, scripted, monkeypatch):
    def down(*args, **kwargs):
        raise LLMConnectionError("cannot reach http://127.0.0.1:9/v1")

    monkeypatch.setattr(ScriptedChatModel, "generate_structured", down)
    reply = agent.chat("recommend 90s sci-fi", "s")
    assert [p.source for p in reply.trace.plans] == ["llm", "fallback"]
    assert all(is_90s_scifi(i) for i in reply.items)


def test_a_hallucinated_title_is_reported_and_never_shown(agent, scripted):
    scripted.replies = [frame(similar_to=["Star Wars: The Phantom Menace 2"]),
                        frame(similar_to=["The Godfather"])]
    reply = agent.chat("I loved The Godfather", "s")
    assert "not a title in the catalog" in " ".join(reply.trace.verdicts[0].problems)
    assert reply.items and all(i.title != "The Godfather" for i in reply.items)
    assert "Phantom" not in reply.text


def test_impossible_constraints_are_relaxed_and_the_reply_says_which(home, tmp_path):
    agent = build_agent(home, llm="deterministic", profiles_path=tmp_path / "p.sqlite")
    reply = agent.chat("horror musicals please", "s")
    assert reply.items and all("Horror" in i.genres for i in reply.items)
    assert "dropped the genre Musical" in reply.text


def test_tool_calls_are_traced_with_sizes_and_times(agent, scripted):
    scripted.replies = [frame(genres=["Sci-Fi"], year_min=1990, year_max=1999)]
    reply = agent.chat("recommend 90s sci-fi", "s")
    first = reply.trace.tool_calls[0]
    assert first.tool == "filter_items" and first.n_in == 1682 and 0 < first.n_out < 100
    assert first.seconds >= 0 and "Sci-Fi" in str(first.args)

"""The `openai:` backend against a REAL OpenAI-compatible server on loopback: `transformers
serve` with the converted embedded model (conftest.py). That server ignores `response_format`
(the model answers free text, often a JSON object with more text around it) and a 135M model
often writes a wrong frame, so these tests check what a user sees: the answer meets the
request, whatever the model wrote, and a slow server costs a bounded wait."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from convrec import RecAgent
from convrec.agent.llm.openai_compat import (
    StructuredOutputError,
    first_json_object,
    parse_structured,
)
from convrec.agent.llm.registry import LLMError, get_chat_model
from convrec.agent.trace import CriticStep, PlanningStep, ReplyStep, ToolStep, Trace
from convrec.agent.turn import LLM_DOWN_NOTES

PICK_LINE = re.compile(r"^\d+\. (?P<title>.+) \((?P<year>\d{4})\) - (?P<genres>[^(]+)", re.M)
IGNORED = "Ignoring unsupported fields in the request: {'response_format'}"
SLOW_TIMEOUT = 2.0  # the backend's timeout against the slow proxy (which holds requests 60 s)


class Frame(BaseModel):
    """A small schema for the backend alone."""

    model_config = ConfigDict(extra="forbid")

    genres: list[str] = []
    year_min: int | None = None


def planner_requests(seen) -> list:
    """The planner's requests (they carry the frame schema; the reply sentence's do not)."""
    return [s for s in seen if s.body and "response_format" in s.body]


def assert_llm_plans_were_read(trace: Trace, requests: int) -> None:
    """Every plan the server wrote became a frame or an 'invalid' error the turn recovered
    from (or ran past the turn's deadline on a busy machine); none broke the backend, which
    an exception the turn does not expect would show as error_kind 'failed'."""
    llm_plans = [p for p in trace.plans if p.source == "llm"]
    assert len(llm_plans) == requests >= 1
    assert all(p.error_kind in (None, "invalid", "timeout") for p in llm_plans), llm_plans


@pytest.fixture(scope="module")
def agent(home: Path, served_model, proxy, tmp_path_factory: pytest.TempPathFactory
          ) -> RecAgent:
    """The agent planning with the served model, through the recording proxy. The reply's
    one sentence needs no more than 64 tokens (the server would otherwise allow 1024)."""
    store = tmp_path_factory.mktemp("openai-agent") / "profiles.sqlite"
    return RecAgent.default(home, llm=f"openai:{served_model.model}", base_url=proxy.url,
                            store=store, max_new_tokens=64)


# --- a user's requests, answered through the real server -------------------------------------

@pytest.mark.slow
def test_ask_through_the_server_prints_picks_that_meet_the_request(served_model, proxy,
                                                                   tmp_path):
    before = len(proxy.seen)
    convrec = Path(sys.executable).with_name("convrec")
    done = subprocess.run(
        [str(convrec), "ask", "--llm", f"openai:{served_model.model}", "--base-url", proxy.url,
         "--store", str(tmp_path / "s.sqlite"), "a comedy from the 80s"],
        capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    picks = PICK_LINE.findall(done.stdout)
    assert len(picks) == 5, done.stdout
    assert all("Comedy" in genres and 1980 <= int(year) <= 1989 for _, year, genres in picks), \
        done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    # the server planned this turn (and ignored the schema it was sent)
    planned = planner_requests(proxy.completions(before))
    assert planned and all(s.status == 200 for s in planned)
    assert all(s.body["model"] == served_model.model for s in planned)
    assert planned[0].body["response_format"]["type"] == "json_schema"
    assert IGNORED in served_model.log_text()


@pytest.mark.slow
def test_stream_yields_steps_while_the_turn_runs_and_ends_with_picks(agent, proxy):
    before = len(proxy.seen)
    arrived: list[tuple[object, int]] = []  # each step with the requests made by then
    for step in agent.stream("I want a thriller", "stream"):
        arrived.append((step, len(proxy.completions(before))))
    steps = [step for step, _ in arrived]
    assert isinstance(steps[0], PlanningStep) and steps[0].source == "llm"
    assert any(isinstance(s, ToolStep) for s in steps)
    assert any(isinstance(s, CriticStep) for s in steps)
    assert isinstance(steps[-1], ReplyStep) and not any(
        isinstance(s, ReplyStep) for s in steps[:-1])
    # the plan arrived before the reply's sentence was asked for: pieces, not one block
    assert arrived[0][1] < arrived[-1][1] == len(proxy.completions(before))
    reply = steps[-1]
    assert len(reply.items) == 5 and all("Thriller" in i.genres for i in reply.items)
    trace = Trace(steps)
    assert_llm_plans_were_read(trace, len(planner_requests(proxy.completions(before))))
    assert not any(note in reply.text for note in LLM_DOWN_NOTES.values())


@pytest.mark.slow
def test_a_follow_up_refines_the_request_through_the_server(agent):
    first = agent.chat("I want a thriller", "follow-up")
    assert first.items and all("Thriller" in i.genres for i in first.items)
    older = agent.chat("90s ones please", "follow-up")
    assert len(older.items) >= 3
    assert all("Thriller" in i.genres and 1990 <= i.year <= 1999 for i in older.items)
    assert any(p.source == "llm" for p in older.trace.plans)  # the server was asked


@pytest.mark.slow
def test_a_slow_server_costs_a_bounded_wait_and_the_reply_says_so(home, slow_proxy, tmp_path):
    agent = RecAgent.default(home, llm="openai:slow-model", base_url=slow_proxy.url,
                             store=tmp_path / "s.sqlite", timeout=SLOW_TIMEOUT, max_retries=0)
    started = time.perf_counter()
    reply = agent.chat("some 90s sci-fi please", "slow")
    seconds = time.perf_counter() - started
    # one call gave up after the timeout (the plan); the reply's sentence did not ask again
    assert seconds < SLOW_TIMEOUT + 10
    assert len(slow_proxy.completions()) == 1
    assert all(s.status is None for s in slow_proxy.seen)  # none was answered
    plans = reply.trace.plans
    assert [p.source for p in plans] == ["llm", "fallback"]
    assert f"no answer within {SLOW_TIMEOUT}" in plans[0].error
    assert any(note in reply.text for note in LLM_DOWN_NOTES.values())
    assert len(reply.items) == 5
    assert all("Sci-Fi" in i.genres and 1990 <= i.year <= 1999 for i in reply.items)


@pytest.mark.slow
def test_a_free_text_reply_is_an_llm_error_that_says_what_to_do(served_model, proxy):
    model = get_chat_model(f"openai:{served_model.model}", base_url=proxy.url)
    with pytest.raises(LLMError) as caught:  # the model chats instead of writing the object
        model.generate_structured([("human", "Tell me a story about a cat.")], Frame,
                                  max_new_tokens=24)
    message = str(caught.value)
    assert isinstance(caught.value, StructuredOutputError)
    assert "response_format" in message and "--llm" in message and proxy.url in message


# --- the reply parser, without a server ------------------------------------------------------

@pytest.mark.parametrize("text", [
    '{"genres": ["Comedy"], "year_min": 1980}',
    'Sure! Here is the frame: {"genres": ["Comedy"], "year_min": 1980} Enjoy.',
    '{"genres":["Comedy"],"year_min":1980};\n{"year_min":1990,"year_max":1999};\n{"gen',
    '```json\n{"genres": ["Comedy"], "year_min": 1980}\n```',
    'A {draft} first, then {"genres": ["Comedy"], "year_min": 1980}',
])
def test_the_first_json_object_in_a_reply_is_read(text):
    assert parse_structured(text, Frame) == Frame(genres=["Comedy"], year_min=1980)


def test_braces_inside_strings_do_not_end_the_object():
    assert first_json_object('x {"a": "}{", "b": {"c": 1}} y') == {"a": "}{", "b": {"c": 1}}


@pytest.mark.parametrize("text, says", [
    ("I'm sorry for any confusion. I'm here to help.", "no complete JSON object"),
    ('{"genres": ["Comedy"], "year_min": 19', "no complete JSON object"),
    ('{"genre": "Comedy"}', "wrong at genre"),
    ('{"genres": "Comedy"}', "wrong at genres, 'Comedy'"),
])
def test_a_reply_without_a_valid_object_is_an_llm_error(text, says):
    with pytest.raises(StructuredOutputError, match=says) as caught:
        parse_structured(text, Frame)
    assert isinstance(caught.value, LLMError) and isinstance(caught.value, ValueError)

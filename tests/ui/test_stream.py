"""The stream adapter: a scripted run becomes chat messages a person can read."""

from __future__ import annotations

from convrec.agent.trace import PlanningStep
from convrec.ui.stream import MAX_MESSAGE_CHARS, check_message, turn_updates


def test_a_scripted_run_becomes_a_trace_then_the_reply(scripted):
    updates = list(turn_updates(scripted(), turn=3))
    assert len(updates) == 7  # one per trace step, then the reply
    assert not any(u.done for u in updates[:-1]) and updates[-1].done
    final = updates[-1].messages
    header, *children, reply = final
    assert header["metadata"]["id"] == "trace-3"
    assert header["metadata"]["status"] == "done"
    assert header["metadata"]["log"] == "2 tool calls, 1 re-plan"
    assert all(m["metadata"]["parent_id"] == "trace-3" for m in children)
    titles = [m["metadata"]["title"] for m in children]
    assert titles == ["Plan by llm", "Tool filter", "Critic: needs another plan",
                      "Re-plan (attempt 2) by extractor", "Tool rank", "Critic: looks right"]
    assert children[1]["metadata"]["log"] == "1682 in → 0 out"
    assert "no items left after the filters" in children[2]["content"]
    assert reply == {"role": "assistant", "content": "Here are some picks."}
    assert [i.title for i in updates[-1].items] == ["Star Wars", "Jurassic Park", "Toy Story"]


def test_the_trace_is_open_and_pending_while_steps_arrive(scripted):
    first = next(turn_updates(scripted()))
    header, plan = first.messages
    assert header["metadata"]["status"] == "pending"
    assert "Sci-Fi" in plan["content"] and "1990" in plan["content"]
    assert first.items == ()


def test_a_failing_backend_gives_a_readable_message_not_a_traceback(scripted):
    def broken():
        yield scripted()[0]
        raise ConnectionError("LLM server at http://localhost:8000 refused the connection")

    *_, last = turn_updates(broken())
    text = last.messages[-1]["content"]
    assert last.done and last.items == ()
    assert "ConnectionError" in text and "refused the connection" in text
    assert "Traceback" not in text and "File \"" not in text
    assert last.messages[0]["metadata"]["status"] == "done"  # no spinner left running


def test_a_run_that_ends_without_a_reply_says_so():
    steps = [PlanningStep(0, "llm", {}, 0.1)]
    *_, last = turn_updates(steps)
    assert last.done and "without an answer" in last.messages[-1]["content"]


def test_empty_and_long_messages_are_refused_with_a_reason():
    assert "empty" in check_message("   \n")
    assert "characters long" in check_message("x" * (MAX_MESSAGE_CHARS + 1))
    assert check_message("some 90s sci-fi please") is None


def test_the_stream_is_drained_so_the_agent_can_save_the_turn(scripted):
    saved = []

    def agent_stream():
        yield from scripted()
        saved.append("turn remembered")  # what RecAgent.stream does after its last yield

    *_, last = turn_updates(agent_stream())
    assert last.done and saved == ["turn remembered"]


def test_a_failure_after_the_reply_is_still_reported(scripted):
    def agent_stream():
        yield from scripted()
        raise OSError("disk full while saving the profile")

    *_, last = turn_updates(agent_stream())
    assert "disk full" in last.messages[-1]["content"]

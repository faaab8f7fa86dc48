"""The stream adapter: a scripted run becomes chat messages a person can read."""

from __future__ import annotations

from convrec.agent.trace import PlanningStep
from convrec.ui.stream import MAX_MESSAGE_CHARS, bubble_text, check_message, turn_updates


def test_a_scripted_run_becomes_the_reply_then_a_collapsed_trace(scripted):
    updates = list(turn_updates(scripted(), turn=3))
    assert len(updates) == 8  # one per trace step, then the reply
    assert not any(u.done for u in updates[:-1]) and updates[-1].done
    reply, summary, details, *raw = updates[-1].messages
    assert reply == {"role": "assistant", "content": "Here are some picks."}
    assert summary["metadata"] == {"title": "How I got this", "id": "trace-3",
                                   "status": "done",
                                   "duration": summary["metadata"]["duration"]}
    assert summary["content"].startswith("- Understood: a request for picks (Sci-Fi;")
    assert details["metadata"]["parent_id"] == "trace-3"
    assert details["metadata"]["log"] == "3 tool calls, 1 re-plan"
    assert all(m["metadata"]["parent_id"] == "details-3" for m in raw)
    titles = [m["metadata"]["title"] for m in raw]
    assert titles == ["Plan (llm)", "Tool filter_items", "Critic: needs another plan",
                      "Re-plan 1 (extractor)", "Tool filter_items", "Tool rank_candidates",
                      "Critic: looks right"]
    assert raw[1]["metadata"]["log"] == "nothing matched"  # not "1682 in -> 1682 out"
    assert raw[4]["metadata"]["log"] == "1682 in → 101 out"
    assert "no items left after the filters" in raw[2]["content"]
    assert updates[-1].picks
    assert [i.title for i in updates[-1].items] == ["Star Wars", "Jurassic Park", "Toy Story"]


def test_the_trace_is_open_and_pending_while_steps_arrive(scripted):
    first = next(turn_updates(scripted()))
    summary, details, plan = first.messages
    assert summary["metadata"]["status"] == "pending"
    assert summary["metadata"]["title"] == "Working on it…"
    assert "Sci-Fi" in summary["content"] and "1990" in plan["content"]
    assert first.items == ()


def test_an_info_answer_keeps_its_text_and_is_not_picks(info):
    *_, last = turn_updates(info())
    assert last.messages[0]["content"].startswith("Fargo is Crime, Drama")
    assert last.act == "info" and not last.picks and last.items[0].title == "Fargo"


def test_the_bubble_drops_only_the_numbered_list_of_the_items(scripted):
    *_, reply = scripted()
    text = reply.text + "\n(Only 3 left: I don't repeat what I've already shown you.)"
    assert bubble_text(text, reply.items) == "Here are some picks.\n(Only 3 left: I don't " \
                                             "repeat what I've already shown you.)"
    assert bubble_text("1. not a pick", reply.items) == "1. not a pick"
    assert bubble_text(reply.text, ()) == reply.text


def test_a_failing_backend_gives_a_readable_message_not_a_traceback(scripted):
    def broken():
        yield scripted()[0]
        raise ConnectionError("LLM server at http://localhost:8000 refused the connection")

    *_, last = turn_updates(broken())
    text = last.messages[0]["content"]
    assert last.done and last.items == ()
    assert "ConnectionError" in text and "refused the connection" in text
    assert "Traceback" not in text and "File \"" not in text
    assert last.messages[1]["metadata"]["status"] == "done"  # no spinner left running


def test_a_run_that_ends_without_a_reply_says_so():
    steps = [PlanningStep(0, "llm", {}, 0.1)]
    *_, last = turn_updates(steps)
    assert last.done and "without an answer" in last.messages[0]["content"]


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
    assert "disk full" in last.messages[0]["content"]

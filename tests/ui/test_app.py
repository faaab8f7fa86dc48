"""The app builds without launching; its handlers keep sessions apart and never show a traceback."""

from __future__ import annotations

import gradio as gr
import pytest

from convrec.cli import build_parser
from convrec.ui.app import ChatHandlers, build_app, new_session_id, parse_auth
from convrec.ui.panels import Card


def _turn(handlers: ChatHandlers, message: str, sid: str, history=None, labels=None):
    *_, last = handlers.respond(message, history or [], sid, "stand-in", labels or {})
    return last  # (box, chat, cards, labels, profile)


def test_the_app_builds_without_launching(make_agent):
    app = build_app([make_agent("deterministic"), make_agent("openai:gpt-4o-mini")])
    assert isinstance(app, gr.Blocks) and not app.is_running
    by_id = {getattr(b, "elem_id", None): b for b in app.blocks.values()}
    assert isinstance(by_id["chat"], gr.Chatbot)
    selector = by_id["backend"]
    assert [c[0] for c in selector.choices] == ["deterministic", "openai:gpt-4o-mini"]
    assert selector.value == "deterministic"
    assert app.analytics_enabled is False


def test_a_turn_fills_chat_cards_and_profile(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    box, chat, cards, labels, profile = _turn(handlers, "some 90s sci-fi please", "a")
    assert box == "" and chat[0] == {"role": "user", "content": "some 90s sci-fi please"}
    assert chat[-1]["content"] == "Here are some picks."
    assert [c.title for c in cards] == ["Star Wars", "Jurassic Park", "Toy Story"]
    assert cards[0].reason == "a space classic"
    assert labels[49] == "Star Wars (1977)" and "Liked:** nothing yet" in profile


def test_feedback_updates_profile_cards_and_the_next_turn(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    _, chat, cards, labels, _ = _turn(handlers, "some 90s sci-fi please", "a")
    cards, profile, _ = handlers.feedback(49, "dislike", "a", "stand-in", cards, labels, chat)
    assert [c.id for c in cards] == [81, 0]
    assert "Not for me:** Star Wars (1977)" in profile
    cards, profile, _ = handlers.feedback(81, "like", "a", "stand-in", cards, labels, chat)
    assert cards[0].mark == "like" and "You liked this" in cards[0].markdown()
    assert "Liked:** Jurassic Park (1993)" in profile
    _, _, cards, _, _ = _turn(handlers, "more like that", "a", chat, labels)
    assert 49 not in [c.id for c in cards]


def test_sessions_never_see_each_other(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    _, chat, cards, labels, _ = _turn(handlers, "sci-fi", "a")
    handlers.feedback(49, "dislike", "a", "stand-in", cards, labels, chat)
    assert "Not for me:** nothing yet" in handlers.show_profile("b", "stand-in", {})
    _, _, cards_b, _, _ = _turn(handlers, "sci-fi", "b")
    assert 49 in [c.id for c in cards_b]
    assert new_session_id() != new_session_id()


@pytest.mark.parametrize("message, expected", [("   ", "empty"), ("x" * 5000, "characters long")])
def test_empty_and_long_messages_get_a_readable_answer(stand_in, message, expected):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    box, chat, *rest = _turn(handlers, message, "a")
    assert expected in chat[-1]["content"] and len(chat[0]["content"]) < 400
    assert stand_in.messages == []  # never reached the agent


def test_a_backend_error_is_a_chat_message_and_the_app_keeps_working(make_agent):
    agent = make_agent(fail_with=RuntimeError("the LLM server is down"))
    handlers = ChatHandlers({"stand-in": agent}, n=5)
    _, chat, cards, _, _ = _turn(handlers, "sci-fi", "a")
    assert "the LLM server is down" in chat[-1]["content"]
    assert "Traceback" not in chat[-1]["content"]
    agent.fail_with = None
    _, chat, cards, _, _ = _turn(handlers, "sci-fi", "a", chat)
    assert chat[-1]["content"] == "Here are some picks." and len(cards) == 3


def test_feedback_on_an_unknown_item_is_reported_in_the_chat(make_agent):
    class Strict(make_agent):
        def feedback(self, session_id, item_id, kind):
            raise ValueError(f"no item with id {item_id} in the catalog")

    handlers = ChatHandlers({"stand-in": Strict()}, n=5)
    card = Card(99999, "Ghost", None, (), "")
    cards, _, chat = handlers.feedback(99999, "like", "a", "stand-in", [card], {}, [])
    assert "no item with id 99999" in chat[-1]["content"]


def test_reset_forgets_the_session(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    _, chat, cards, labels, _ = _turn(handlers, "sci-fi", "a")
    handlers.feedback(49, "like", "a", "stand-in", cards, labels, chat)
    chat, cards, labels, profile = handlers.reset("a", "stand-in")
    assert chat == [] and cards == [] and labels == {}
    assert "Liked:** nothing yet" in profile


@pytest.mark.parametrize("value", ["user", ":pw", "user:", ""])
def test_malformed_auth_is_a_clear_error(value):
    with pytest.raises(ValueError, match="user:password"):
        parse_auth(value)
    assert parse_auth("ann:s3:cret") == ("ann", "s3:cret")


def test_the_cli_defaults_to_loopback_without_share():
    args = build_parser().parse_args(["ui"])
    assert args.host == "127.0.0.1" and args.share is False and args.auth is None

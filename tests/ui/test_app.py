"""The app builds without launching; its handlers keep sessions apart, show picks once, keep
them through a question about a title, undo feedback, and never show a traceback."""

from __future__ import annotations

import gradio as gr
import pytest

from convrec.agent.answers import CatalogFacts
from convrec.cli import build_parser
from convrec.ui.app import build_app, new_session_id, parse_auth
from convrec.ui.handlers import ChatHandlers
from convrec.ui.panels import Card, capabilities_markdown, catalog_summary, profile_markdown


def _turn(handlers: ChatHandlers, message: str, sid: str, history=None):
    *_, last = handlers.respond(message, history or [], sid, "stand-in")
    return last  # (box, chat, picks, about, profile)


def _said(chat: list[dict]) -> list[str]:
    """What the assistant said in the chat, without the trace."""
    return [m["content"] for m in chat if m["role"] == "assistant" and not m.get("metadata")]


def _blocks(app: gr.Blocks) -> dict:
    return {getattr(b, "elem_id", None): b for b in app.blocks.values()}


def test_the_app_builds_without_launching(make_agent):
    app = build_app([make_agent("deterministic"), make_agent("openai:gpt-4o-mini")])
    assert isinstance(app, gr.Blocks) and not app.is_running
    by_id = _blocks(app)
    assert isinstance(by_id["chat"], gr.Chatbot)
    selector = by_id["backend"]
    assert [c[0] for c in selector.choices] == ["deterministic", "openai:gpt-4o-mini"]
    assert selector.value == "deterministic" and selector.visible
    assert app.analytics_enabled is False


def test_one_backend_shows_no_selector(make_agent):
    assert _blocks(build_app(make_agent("embedded")))["backend"].visible is False


def test_a_turn_shows_the_picks_once(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    box, chat, picks, about, profile = _turn(handlers, "some 90s sci-fi please", "a")
    assert box == "" and chat[0] == {"role": "user", "content": "some 90s sci-fi please"}
    assert _said(chat) == ["Here are some picks."]  # the numbered list is on the cards only
    assert [c.title for c in picks] == ["Star Wars", "Jurassic Park", "Toy Story"]
    assert picks[0].reason == "a space classic" and about == []
    assert "4.4 average rating" in picks[0].markdown()
    assert "Liked:** nothing yet" in profile


def test_the_trace_is_collapsed_and_written_for_a_person(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    _, chat, *_ = _turn(handlers, "some 90s sci-fi please", "a")
    summary = chat[2]
    assert summary["metadata"]["title"] == "How I got this"
    assert summary["metadata"]["status"] == "done"  # Gradio starts "done" thoughts closed
    assert "Searched the catalog (Sci-Fi; from 1990 on): nothing matched." in summary["content"]
    assert "so I left out the years" in summary["content"]
    assert "filter_items" not in summary["content"] and "attempt" not in summary["content"]
    details = chat[3]["metadata"]
    assert details["title"] == "Details for developers" and details["status"] == "done"


def test_a_question_about_a_title_keeps_the_picks(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    _, chat, picks, _, _ = _turn(handlers, "sci-fi", "a")
    _, chat, kept, about, _ = _turn(handlers, "tell me about Fargo", "a", chat)
    assert kept is not picks and isinstance(kept, type(gr.skip()))  # picks left as they were
    assert [c.title for c in about] == ["Fargo"]
    assert "508 people rated it" in about[0].markdown()
    assert _said(chat)[-1].startswith("Fargo is Crime")


def test_feedback_shows_its_state_and_can_be_undone(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    _, chat, picks, about, _ = _turn(handlers, "some 90s sci-fi please", "a")
    picks, about, profile, _ = handlers.feedback(49, "dislike", "a", "stand-in", picks, about,
                                                 chat)
    assert [c.id for c in picks] == [49, 81, 0]  # stays, marked, with an Undo
    assert picks[0].mark == "dislike" and "Not for you" in picks[0].markdown()
    assert "Not for me:** Star Wars (1977)" in profile
    picks, about, profile, _ = handlers.undo(49, "dislike", "a", "stand-in", picks, about, chat)
    assert picks[0].mark is None and "Not for me:** nothing yet" in profile
    picks, _, profile, _ = handlers.feedback(81, "like", "a", "stand-in", picks, about, chat)
    assert picks[1].mark == "like" and "You liked this" in picks[1].markdown()
    assert "Liked:** Jurassic Park (1993)" in profile
    _, _, picks, _, _ = _turn(handlers, "more like that", "a", chat)
    assert [c.mark for c in picks if c.id == 81] == ["like"]  # the profile marks new cards


def test_the_profile_names_items_it_never_showed_as_cards(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    stand_in.profile("a").dislike(312)  # "I hated Titanic", said in words
    assert "Not for me:** Titanic (1997)" in handlers.show_profile("a", "stand-in")
    assert "#312" not in handlers.show_profile("a", "stand-in")


def test_sessions_never_see_each_other(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    _, chat, picks, about, _ = _turn(handlers, "sci-fi", "a")
    handlers.feedback(49, "dislike", "a", "stand-in", picks, about, chat)
    assert "Not for me:** nothing yet" in handlers.show_profile("b", "stand-in")
    _, _, picks_b, _, _ = _turn(handlers, "sci-fi", "b")
    assert 49 in [c.id for c in picks_b]
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
    _, chat, _, _, _ = _turn(handlers, "sci-fi", "a")
    assert any("the LLM server is down" in m["content"] for m in chat)
    assert not any("Traceback" in m["content"] for m in chat)
    agent.fail_with = None
    _, chat, picks, _, _ = _turn(handlers, "sci-fi", "a", chat)
    assert _said(chat)[-1] == "Here are some picks." and len(picks) == 3


def test_feedback_on_an_unknown_item_is_reported_in_the_chat(make_agent):
    class Strict(make_agent):
        def feedback(self, session_id, item_id, kind):
            raise ValueError(f"no item with id {item_id} in the catalog")

    handlers = ChatHandlers({"stand-in": Strict()}, n=5)
    card = Card(99999, "Ghost", None, (), "")
    *_, chat = handlers.feedback(99999, "like", "a", "stand-in", [card], [], [])
    assert "no item with id 99999" in chat[-1]["content"]


def test_reset_forgets_the_session(stand_in):
    handlers = ChatHandlers({"stand-in": stand_in}, n=5)
    _, chat, picks, about, _ = _turn(handlers, "sci-fi", "a")
    handlers.feedback(49, "like", "a", "stand-in", picks, about, chat)
    chat, picks, about, profile = handlers.reset("a", "stand-in")
    assert chat == [] and picks == [] and about == []
    assert "Liked:** nothing yet" in profile


def test_what_i_can_do_comes_from_the_catalog(stand_in):
    short = catalog_summary(stand_in.facts(), "deterministic")
    assert "1,682 films**, 1922\u20131998" in short and "Action, Comedy, Sci-Fi" in short
    assert "average ratings" in short and "Not known:** cast, crew or authors, plots" in short
    text = capabilities_markdown(stand_in.facts())
    assert "cast, crew or author" in text and "top rated" in text
    games = CatalogFacts(("Worker Placement",), None, None, False, 9, roles=("designer",),
                         noun="game", nouns="games", facet_label="mechanic",
                         has_descriptions=True)
    short = catalog_summary(games, "x")
    assert "**9 games**" in short and "Mechanics:** Worker Placement" in short
    assert "designer, descriptions" in short and "Not known:** ratings" in short
    assert "by designer" in capabilities_markdown(games)


def test_a_long_profile_is_capped():
    from convrec.memory.profile import UserProfile

    profile = UserProfile(seen=list(range(40)))
    text = profile_markdown(profile, {i: f"T{i}" for i in range(40)})
    assert "T11" in text and "T12" not in text and "and 28 more" in text


@pytest.mark.parametrize("value", ["user", ":pw", "user:", ""])
def test_malformed_auth_is_a_clear_error(value):
    with pytest.raises(ValueError, match="user:password"):
        parse_auth(value)
    assert parse_auth("ann:s3:cret") == ("ann", "s3:cret")


def test_the_cli_defaults_to_loopback_without_share():
    args = build_parser().parse_args(["ui"])
    assert args.host == "127.0.0.1" and args.share is False and args.auth is None

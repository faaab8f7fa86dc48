"""The Gradio chat for the agent: the conversation and its cards first, then what the bot
can do and the profile.

`build_app(agent)` builds the Blocks without launching (tests use it); `launch(app, ...)`
serves it on 127.0.0.1 by default, with no share link and no analytics. Every browser tab
gets its own random session id, so two browsers never see each other's conversation or
profile. Picks are shown once: the chat bubble carries the reply's intro, the cards carry
the items (year, facets, average rating, why); an answer about a title adds its card beside
the picks instead of replacing them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import gradio as gr

from convrec.agent.answers import CatalogFacts
from convrec.agent.core import RecAgent
from convrec.ui.backend import ChatAgent, as_chat_agent
from convrec.ui.handlers import ChatHandlers
from convrec.ui.panels import (
    FEEDBACK_LABELS,
    Card,
    capabilities_markdown,
    catalog_summary,
    placeholder,
)

TITLE = "convrec"
CHAT_HEIGHT = 460
CSS = """
#header p { margin: 0; font-size: 1.1em; }
.rec-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
            padding: 8px; background: var(--background-fill-secondary); gap: 6px; }
.rec-card > .block { flex: 1 1 auto !important; }
.rec-card > .card-actions { margin-top: auto !important; flex: 0 0 auto !important; }
.rec-card h3 { margin: 0 0 4px 0; font-size: 1.05em; }
.rec-card .card-actions { flex-wrap: wrap; gap: 4px; }
.rec-card .card-actions button { flex: 1 1 auto !important; white-space: nowrap;
                                 min-width: fit-content !important; padding: 2px 6px; }
.rec-card.mark-dislike, .rec-card.mark-seen { opacity: 0.75; }
#picks, #about { display: grid !important; gap: 10px;
                 grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); }
@media (max-width: 640px) { #chat { height: 360px !important; } }
"""


def new_session_id() -> str:
    """A fresh, unguessable session id; gr.State calls this once per page load."""
    return uuid.uuid4().hex


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """`user:pass` -> ("user", "pass"); None stays None; anything else is a clear error."""
    if value is None:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError(f"--auth must look like user:password (both non-empty), got {value!r}")
    return user, password


def build_app(agents: RecAgent | ChatAgent | Sequence[RecAgent | ChatAgent], n: int = 5
              ) -> gr.Blocks:
    """The chat app for one agent, or several (one per LLM backend, chosen in a selector
    that lists exactly those; with one backend there is no selector)."""
    listed = list(agents) if isinstance(agents, Sequence) else [agents]
    if not listed:
        raise ValueError("build_app needs at least one agent")
    by_name = {a.llm_name: a for a in map(as_chat_agent, listed)}
    names = list(by_name)
    first = by_name[names[0]]
    facts = first.facts()
    examples = _examples(facts)
    h = ChatHandlers(by_name, n)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        session = gr.State(new_session_id)
        backend = gr.State(names[0])
        picks = gr.State([])
        about = gr.State([])
        gr.Markdown(f"**convrec**: picks of {facts.nouns} from real recommender models",
                    elem_id="header")
        with gr.Row():
            with gr.Column(scale=3, min_width=320, elem_id="main"):
                chatbot = gr.Chatbot(label="Chat", height=CHAT_HEIGHT, elem_id="chat",
                                     feedback_options=None, placeholder=placeholder(facts))
                with gr.Row():
                    box = gr.Textbox(show_label=False, scale=5, elem_id="message", max_lines=4,
                                     placeholder=f"e.g. {examples[0]}")
                    send = gr.Button("Send", variant="primary", scale=1, min_width=70)

                @gr.render(inputs=[picks, about])
                def show_cards(shown: list[Card], asked: list[Card]) -> None:
                    feedback_io = ([session, backend, picks, about, chatbot],
                                   [picks, about, profile, chatbot])
                    _card_group(asked, "about", "You asked about", h, feedback_io)
                    _card_group(shown, "picks", "Picks", h, feedback_io)

                gr.Examples(examples, inputs=box, label="Try")
            with gr.Column(scale=1, min_width=260, elem_id="side"):
                selector = gr.Dropdown(names, value=names[0], label="LLM backend",
                                       elem_id="backend", visible=len(names) > 1)
                with gr.Column(elem_id="capabilities", variant="panel"):
                    gr.Markdown("### What I can do here\n\n" +
                                catalog_summary(facts, first.llm_name), padding=True)
                    with gr.Accordion("What you can ask", open=False, elem_id="how-to-ask"):
                        gr.Markdown(capabilities_markdown(facts))
                gr.Markdown("### Your profile")
                profile = gr.Markdown("", elem_id="profile")
                reset = gr.Button("Reset profile and chat", size="sm", elem_id="reset")

        turn_outputs = [box, chatbot, picks, about, profile]
        turn_inputs = [box, chatbot, session, backend]
        box.submit(h.respond, turn_inputs, turn_outputs)
        send.click(h.respond, turn_inputs, turn_outputs)
        reset.click(h.reset, [session, backend], [chatbot, picks, about, profile])
        selector.change(h.switch, [selector, session], [backend, chatbot, picks, about, profile])
        app.load(h.show_profile, [session, backend], profile)
    return app


def _card_group(cards: list[Card], group: str, heading: str, h: ChatHandlers,
                io: tuple[list[Any], list[Any]]) -> None:
    """A heading and a row of cards; each card has feedback buttons, or its verdict and
    an Undo once it has one."""
    if not cards:
        return
    gr.Markdown(f"#### {heading}", elem_id=f"{group}-heading")
    with gr.Row(equal_height=True, elem_id=group):
        for card in cards:
            with gr.Column(min_width=170, elem_id=f"{group}-card-{card.id}",
                           elem_classes=["rec-card", f"turn-{card.turn}", f"in-{group}",
                                         f"mark-{card.mark or 'none'}"]):
                gr.Markdown(card.markdown())
                with gr.Row(elem_classes=["card-actions"]):
                    _card_buttons(card, group, h, io)


def _card_buttons(card: Card, group: str, h: ChatHandlers,
                  io: tuple[list[Any], list[Any]]) -> None:
    inputs, outputs = io
    if card.mark:
        undo = gr.Button("Undo", size="sm", min_width=0, key=f"{group}-{card.id}-undo")
        undo.click(_bind(h.undo, card.id, card.mark), inputs=inputs, outputs=outputs)
        return
    for kind, text in FEEDBACK_LABELS.items():
        button = gr.Button(text, size="sm", min_width=0, key=f"{group}-{card.id}-{kind}")
        button.click(_bind(h.feedback, card.id, kind), inputs=inputs, outputs=outputs)


def _examples(facts: CatalogFacts) -> list[str]:
    """Example requests in the catalog's own words: its facets, latest decade, a title."""
    plain = [f.lower() for f in facts.facets if f.isalpha()][:2]
    asks = ["what can you do?"]
    if facts.example:
        asks.insert(0, f"more like {facts.example}")
    if len(plain) == 2:
        decade = f"{facts.year_max // 10 * 10}s " if facts.year_max else ""
        asks.insert(0, f"some {decade}{plain[0]}, no {plain[1]}")
    return asks


def _bind(fn: Any, item_id: int, kind: str) -> Any:
    def handler(*args: Any) -> tuple[Any, ...]:
        return fn(item_id, kind, *args)
    return handler


def launch(app: gr.Blocks, host: str = "127.0.0.1", port: int | None = None,
           auth: tuple[str, str] | None = None, share: bool = False) -> gr.Blocks:
    """Start serving the app in the background (loopback only unless `host` says otherwise,
    no share link by default); `app.local_url` is its address, `app.block_thread()` waits."""
    app.queue(default_concurrency_limit=4)
    app.launch(server_name=host, server_port=port, auth=auth, share=share, css=CSS,
               ssr_mode=False, prevent_thread_lock=True, inbrowser=False, quiet=True,
               show_error=False)
    return app

"""The Gradio chat for `RecAgent`: streamed replies with a trace, cards with feedback, a profile.

`build_app(agent)` builds the Blocks without launching (tests use it); `launch(app, ...)`
serves it on 127.0.0.1 by default, with no share link and no analytics. Every browser tab
gets its own random session id, so two browsers never see each other's conversation or
profile. The UI uses only `stream`, `feedback`, `profile`, `reset` and `llm_name` of the agent.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from convrec.agent.trace import Step
from convrec.ui.panels import (
    FEEDBACK_LABELS,
    Card,
    after_feedback,
    cards_for,
    profile_markdown,
    remember_labels,
)
from convrec.ui.stream import ChatAgent, Message, check_message, error_text, turn_updates

log = logging.getLogger(__name__)

TITLE = "convrec"
MAX_ECHO_CHARS = 300
EXAMPLES = ["some 90s sci-fi please", "a feel-good comedy, no horror", "films like Star Wars"]
CSS = """
.rec-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
            padding: 8px; background: var(--background-fill-secondary); }
.rec-card h3 { margin: 0 0 4px 0; }
.rec-card button { white-space: nowrap; padding-left: 4px; padding-right: 4px; }
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


@dataclass
class ChatHandlers:
    """The event functions, closed over the agents (one per LLM backend name)."""

    agents: Mapping[str, ChatAgent]
    n: int

    def agent(self, name: str) -> ChatAgent:
        return self.agents.get(name) or next(iter(self.agents.values()))

    def respond(self, message: str, history: list[Message], sid: str, backend: str,
                labels: dict[int, str]) -> Iterator[tuple[Any, ...]]:
        """Submit: stream the turn into the chat; on the reply, refresh cards and profile."""
        message = message or ""
        echo = message if len(message) <= MAX_ECHO_CHARS else message[:MAX_ECHO_CHARS] + " …"
        history = [*history, {"role": "user", "content": echo or " "}]
        problem = check_message(message)
        if problem:
            yield "", [*history, {"role": "assistant", "content": problem}], *_skip(3)
            return
        agent = self.agent(backend)
        turn = sum(1 for m in history if m.get("role") == "user")
        for update in turn_updates(_lazy_stream(agent, message, sid, self.n), turn):
            chat = [*history, *update.messages]
            if not update.done:
                yield "", chat, *_skip(3)
                continue
            if not update.items:  # an error or an answer without items: keep the old cards
                yield "", chat, gr.skip(), gr.skip(), self._profile_md(agent, sid, labels)
                return
            cards = cards_for(update.items, turn)
            labels = remember_labels(labels, cards)
            yield "", chat, cards, labels, self._profile_md(agent, sid, labels)

    def feedback(self, item_id: int, kind: str, sid: str, backend: str, cards: list[Card],
                 labels: dict[int, str], history: list[Message]) -> tuple[Any, ...]:
        """A card button: tell the agent, update the cards and the profile panel."""
        agent = self.agent(backend)
        try:
            profile = agent.feedback(sid, item_id, kind)  # type: ignore[arg-type]
        except Exception as exc:  # the UI boundary
            log.exception("feedback failed")
            note = {"role": "assistant", "content": error_text(exc)}
            return gr.skip(), gr.skip(), [*history, note]
        return after_feedback(cards, item_id, kind), profile_markdown(profile, labels), gr.skip()

    def reset(self, sid: str, backend: str) -> tuple[Any, ...]:
        """Forget this session's conversation and profile."""
        agent = self.agent(backend)
        try:
            agent.reset(sid)
        except Exception as exc:  # the UI boundary
            log.exception("reset failed")
            return [{"role": "assistant", "content": error_text(exc)}], *_skip(3)
        return [], [], {}, self._profile_md(agent, sid, {})

    def switch(self, backend: str, sid: str, labels: dict[int, str]) -> tuple[Any, ...]:
        """The model selector: later turns go to that backend; the chat starts afresh."""
        note = {"role": "assistant", "content": f"Now answering with the {backend} backend."}
        return backend, [note], [], self._profile_md(self.agent(backend), sid, labels)

    def show_profile(self, sid: str, backend: str, labels: dict[int, str]) -> str:
        return self._profile_md(self.agent(backend), sid, labels)

    @staticmethod
    def _profile_md(agent: ChatAgent, sid: str, labels: Mapping[int, str]) -> str:
        try:
            return profile_markdown(agent.profile(sid), labels)
        except Exception as exc:  # the UI boundary
            log.exception("reading the profile failed")
            return error_text(exc)


def _skip(count: int) -> list[Any]:
    return [gr.skip() for _ in range(count)]


def _lazy_stream(agent: ChatAgent, message: str, sid: str, n: int) -> Iterator[Step]:
    """Defer the call to `agent.stream`, so that even its first error lands in the adapter."""
    yield from agent.stream(message, sid, n=n)


def build_app(agents: ChatAgent | Sequence[ChatAgent], n: int = 5) -> gr.Blocks:
    """The chat app for one agent, or several (one per LLM backend, chosen in the selector)."""
    listed = [agents] if not isinstance(agents, Sequence) else list(agents)
    if not listed:
        raise ValueError("build_app needs at least one agent")
    by_name = {agent.llm_name: agent for agent in listed}
    names = list(by_name)
    h = ChatHandlers(by_name, n)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        session = gr.State(new_session_id)
        backend = gr.State(names[0])
        cards = gr.State([])
        labels = gr.State({})
        gr.Markdown("## convrec: ask for films, get picks from real recommender models")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=460, elem_id="chat",
                                     feedback_options=None, placeholder="Ask for a film …")
                with gr.Row():
                    box = gr.Textbox(show_label=False, scale=5, elem_id="message", max_lines=4,
                                     placeholder="e.g. some 90s sci-fi please")
                    send = gr.Button("Send", variant="primary", scale=1, min_width=80)
                gr.Examples(EXAMPLES, inputs=box, label="Try")
            with gr.Column(scale=1, min_width=240):
                selector = gr.Dropdown(names, value=names[0], label="LLM backend",
                                       interactive=len(names) > 1, elem_id="backend")
                gr.Markdown("### Your profile")
                profile = gr.Markdown("", elem_id="profile")
                reset = gr.Button("Reset profile and chat", variant="stop", elem_id="reset")

        @gr.render(inputs=cards)
        def show_cards(shown: list[Card]) -> None:
            if not shown:
                gr.Markdown("*Recommendations will appear here.*", elem_id="no-cards")
                return
            with gr.Row(equal_height=True, elem_id="cards"):
                for card in shown:
                    with gr.Column(min_width=200, elem_classes=["rec-card", f"turn-{card.turn}"],
                                   elem_id=f"card-{card.id}"):
                        gr.Markdown(card.markdown())
                        with gr.Row():
                            for kind, text in FEEDBACK_LABELS.items():
                                button = gr.Button(text, size="sm", min_width=0,
                                                   key=f"{card.id}-{kind}")
                                button.click(
                                    _bind(h.feedback, card.id, kind),
                                    inputs=[session, backend, cards, labels, chatbot],
                                    outputs=[cards, profile, chatbot])

        turn_outputs = [box, chatbot, cards, labels, profile]
        turn_inputs = [box, chatbot, session, backend, labels]
        box.submit(h.respond, turn_inputs, turn_outputs)
        send.click(h.respond, turn_inputs, turn_outputs)
        reset.click(h.reset, [session, backend], [chatbot, cards, labels, profile])
        selector.change(h.switch, [selector, session, labels], [backend, chatbot, cards, profile])
        app.load(h.show_profile, [session, backend, labels], profile)
    return app


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

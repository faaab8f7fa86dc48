"""`convrec chat` (a terminal conversation) and `convrec ask "..." [--json]` (one turn)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid

from convrec.settings import Settings

HELP = """Commands: /trace shows how the last answer was found (/trace raw: the plan and tool
calls), /profile what I remember about you,
/like N, /dislike N, /seen N give feedback on item N of the last reply, /reset starts over,
/quit leaves."""


def register(subparsers: argparse._SubParsersAction) -> None:
    chat = subparsers.add_parser("chat", help="chat with the agent in the terminal")
    _agent_options(chat)
    chat.add_argument("--session", help="session id (default: a new one)")
    chat.add_argument("--trace", action="store_true", help="print the trace after each reply")
    chat.set_defaults(handler=_chat)
    ask = subparsers.add_parser("ask", help="ask the agent one question")
    ask.add_argument("message", help="what you would like, e.g. \"some 90s sci-fi\"")
    _agent_options(ask)
    ask.add_argument("--session", help="continue this session (default: a one-off question "
                                       "with no memory, forgotten afterwards)")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    ask.set_defaults(handler=_ask)


def _agent_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--llm", help="embedded (default), deterministic, hf:<path>, "
                        "openai:<model>")
    parser.add_argument("--base-url", help="OpenAI-compatible server, e.g. "
                        "http://127.0.0.1:11434/v1 for Ollama")
    parser.add_argument("--dataset", help="dataset name (default movielens-100k)")
    add_store_option(parser)
    parser.add_argument("-n", type=int, default=5, help="items per reply (default 5)")


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="PATH_OR_URL",
                        help="where sessions and profiles live: a SQLite file (default "
                             "$CONVREC_HOME/profiles.sqlite) or postgresql://user@host:port/db "
                             "(default: $CONVREC_STORE)")


def quiet_start() -> None:
    """No library progress bars or notices on an ordinary start (set before they load)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


def announce(settings: Settings, llm: str) -> None:
    """One line on stderr; a longer one when the embedded model is prepared the first time."""
    from convrec.agent.llm.embedded import CONVERTED_NAME, DONE_MARKER, llm_cache_dir

    first_run = llm == "embedded" and not (
        llm_cache_dir(settings.home) / CONVERTED_NAME / DONE_MARKER).is_file()
    note = "preparing the embedded model (first run only, about a minute) ..." if first_run \
        else f"loading the agent ({llm}) ..."
    print(note, file=sys.stderr)


def build(args: argparse.Namespace, settings: Settings):
    quiet_start()
    from convrec.agent.core import RecAgent

    settings = settings.with_overrides(llm=args.llm, dataset=args.dataset, store=args.store)
    options = {"base_url": args.base_url} if args.base_url else {}
    announce(settings, settings.llm)
    return RecAgent.default(settings.home, llm=settings.llm, dataset=settings.dataset,
                            chroma_host=settings.chroma_host, chroma_port=settings.chroma_port,
                            store=settings.store, **options)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    agent = build(args, settings)
    session = args.session or f"ask-{uuid.uuid4().hex}"
    reply = agent.chat(args.message, session, n=args.n)
    if args.session is None:
        agent.store.delete(session)
    if args.json:
        print(json.dumps(reply.to_dict(), indent=2, default=str))
    else:
        print(reply.text)
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from convrec.agent.answers import empty_message_text

    agent = build(args, settings)
    session = args.session or f"chat-{uuid.uuid4().hex[:8]}"
    print(f"convrec ({agent.llm_name}). {empty_message_text(agent.parts.facts)} "
          "/help for commands.")
    last = None
    while True:
        try:
            line = input("you> ").strip()
        except EOFError:
            print()
            return 0
        if not line:
            continue
        if line.startswith("/"):
            if _command(agent, session, line, last) == "quit":
                return 0
            continue
        last = agent.chat(line, session, n=args.n)
        print(last.text)
        if args.trace:
            print(format_trace(last.trace))


def _command(agent, session: str, line: str, last) -> str | None:
    from convrec.ui.backend import AgentView

    word, _, rest = line[1:].partition(" ")
    if word in ("quit", "exit", "q"):
        return "quit"
    if word == "trace":
        if last is None:
            print("no turn yet")
        else:
            print(format_trace(last.trace) if rest.strip() == "raw" else
                  "\n".join(f"  {line}" for line in last.trace.summary()))
    elif word == "profile":
        print(format_profile(agent.profile(session), AgentView(agent).titles))
    elif word == "reset":
        agent.reset(session)
        print("forgotten; starting over")
    elif word in ("like", "dislike", "seen"):
        if not last or not rest.strip().isdigit() or not 1 <= int(rest) <= len(last.items):
            print(f"usage: /{word} N, with N the number of an item in the last reply")
        else:
            item = last.items[int(rest) - 1]
            agent.feedback(session, item.id, word)
            print(f"noted: {word} {item.label()}")
    else:
        print(HELP)
    return None


def format_trace(trace) -> str:
    lines = []
    for step in trace.steps:
        if step.kind == "plan":
            state = f"error: {step.error}" if step.error else json.dumps(step.frame)
            lines.append(f"  plan #{step.attempt} ({step.source}, {step.seconds:.2f}s) {state}")
        elif step.kind == "tool":
            state = f" error: {step.error}" if step.error else ""
            lines.append(f"  tool {step.tool} {json.dumps(step.args)} {step.n_in}->{step.n_out} "
                         f"({step.seconds * 1000:.1f} ms){state}")
        elif step.kind == "critic":
            lines.append(f"  critic #{step.attempt}: " + ("ok" if step.ok else
                                                          "; ".join(step.problems[:3])))
    lines.append(f"  re-plans {trace.replans}, fallback {'yes' if trace.fell_back else 'no'}")
    return "\n".join(lines)


def format_profile(profile, titles) -> str:
    """The profile by title: liked, not for me, seen, stated wishes."""
    named = titles([*profile.liked, *profile.disliked, *profile.seen])
    exp = profile.expectations
    wishes = [*(f"wants {g}" for g in exp.genres), *(f"no {g}" for g in exp.exclude_genres)]
    if exp.year_min is not None or exp.year_max is not None:
        wishes.append(f"years {exp.year_min or '...'}-{exp.year_max or '...'}")
    rows = [("liked", [named[i] for i in profile.liked]),
            ("not for me", [named[i] for i in profile.disliked]),
            ("seen", [named[i] for i in profile.seen]),
            ("wishes", [*wishes, *exp.notes])]
    return "\n".join(f"  {name}: {'; '.join(values) or 'nothing yet'}" for name, values in rows)

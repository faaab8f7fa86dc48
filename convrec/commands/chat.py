"""`convrec chat` (a terminal conversation) and `convrec ask "..." [--json]` (one turn)."""

from __future__ import annotations

import argparse
import json
import sys
import uuid

from convrec.settings import Settings

HELP = """Commands: /trace shows the last turn's plan and tool calls, /profile your profile,
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


def build(args: argparse.Namespace, settings: Settings):
    from convrec.agent.core import RecAgent

    settings = settings.with_overrides(llm=args.llm, dataset=args.dataset, store=args.store)
    options = {"base_url": args.base_url} if args.base_url else {}
    print(f"loading the agent ({settings.llm}) ...", file=sys.stderr)
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
    agent = build(args, settings)
    session = args.session or f"chat-{uuid.uuid4().hex[:8]}"
    print(f"convrec ({agent.llm_name}). Tell me what you'd like to watch. /help for commands.")
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
    word, _, rest = line[1:].partition(" ")
    if word in ("quit", "exit", "q"):
        return "quit"
    if word == "trace":
        print(format_trace(last.trace) if last else "no turn yet")
    elif word == "profile":
        print(json.dumps(agent.profile(session).to_dict(), indent=2))
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

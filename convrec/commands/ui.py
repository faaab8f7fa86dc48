"""`convrec ui`: the Gradio chat in the browser (127.0.0.1 only unless --host says otherwise)."""

from __future__ import annotations

import argparse

from convrec.commands.chat import add_store_option, announce, quiet_start
from convrec.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ui", help="open the chat in a browser (Gradio)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1; 0.0.0.0 exposes it to the "
                             "network, use --auth then)")
    parser.add_argument("--port", type=int, help="port (default: first free from 7860)")
    parser.add_argument("--auth", metavar="USER:PASS", help="ask for this login (Gradio auth)")
    parser.add_argument("--share", action="store_true",
                        help="also open a public gradio.live link (off by default; needs the "
                             "internet)")
    parser.add_argument("--llm", action="append",
                        help="LLM backend: embedded (default), deterministic, hf:<path>, "
                             "openai:<model>; repeat to offer several in the model selector")
    parser.add_argument("--base-url", help="OpenAI-compatible server for openai:<model>, e.g. "
                        "http://127.0.0.1:11434/v1")
    parser.add_argument("--dataset", help="dataset name (default movielens-100k)")
    add_store_option(parser)
    parser.add_argument("-n", type=int, default=5, help="items per reply (default 5)")
    parser.set_defaults(handler=_ui)


def _ui(args: argparse.Namespace, settings: Settings) -> int:
    quiet_start()
    from convrec.ui.app import build_app, launch, parse_auth

    auth = parse_auth(args.auth)
    if args.port is not None and not 0 < args.port < 65536:
        raise ValueError(f"--port must be between 1 and 65535, got {args.port}")
    if not 1 <= args.n <= 50:
        raise ValueError(f"-n must be between 1 and 50, got {args.n}")
    settings = settings.with_overrides(store=args.store)
    agents = [_agent(name, args, settings) for name in dict.fromkeys(args.llm or [settings.llm])]
    app = launch(build_app(agents, n=args.n), host=args.host, port=args.port, auth=auth,
                 share=args.share)
    print(f"convrec ui: open {app.local_url} (Ctrl+C stops it)")
    if app.share_url:
        print(f"public link (--share): {app.share_url}")
    app.block_thread()
    return 0


def _agent(llm: str, args: argparse.Namespace, settings: Settings):
    from convrec.agent.core import RecAgent

    dataset = args.dataset or settings.dataset
    options = {"base_url": args.base_url} if args.base_url and llm.startswith("openai") else {}
    announce(settings, llm)
    return RecAgent.default(settings.home, llm=llm, dataset=dataset,
                            chroma_host=settings.chroma_host, chroma_port=settings.chroma_port,
                            store=settings.store, **options)

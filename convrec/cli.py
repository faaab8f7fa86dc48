"""The `convrec` command line. Each command group lives in `convrec.commands.<name>`.

A command module exposes `register(subparsers)`, which adds its parser and sets
`handler=function(args, settings) -> int`. Errors become one readable line here, at the
boundary, never a stack trace (set CONVREC_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from convrec import __version__
from convrec.settings import Settings

COMMAND_MODULES = ["data", "models", "chat", "bench", "evaluation", "ui"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convrec", description="A conversational recommender agent that runs on a CPU."
    )
    parser.add_argument("--version", action="version", version=f"convrec {__version__}")
    parser.add_argument("--home", help="cache folder (default: $CONVREC_HOME or "
                        "~/.cache/convrec)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"convrec.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        settings = Settings.from_env().with_overrides(home=args.home)
        return int(args.handler(args, settings) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError, RuntimeError, OSError) as exc:
        if os.environ.get("CONVREC_DEBUG"):
            raise
        print(f"convrec: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

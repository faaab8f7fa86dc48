"""`convrec eval`: session-wise evaluation with simulated users (Hit@k, AT, latency, memory)."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from convrec.settings import Settings

DEFAULT_METHODS = "pop,sasrec,agent-deterministic,agent-embedded"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval", help="simulated users look for a hidden item: Hit@1/@5, AT, latency, memory",
        description="Each sampled user looks for its held-out test item in at most "
        "--max-turns turns; every method meets the same users. Results go to "
        "$CONVREC_HOME/eval/<run>/ (sessions.jsonl as they finish, results.json, report.md, "
        "plots).")
    parser.add_argument("--users", type=int, default=200, help="sampled users (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="sampling and wording seed")
    parser.add_argument("--max-turns", type=int, default=5, help="turns per session (default 5)")
    parser.add_argument("--top", type=int, default=5, help="items shown per turn (default 5)")
    parser.add_argument("--methods",
                        help="comma-separated: pop, sasrec, agent-deterministic, "
                        "agent-embedded, agent-embedded-untuned (without the planner adapter), "
                        f"agent-<llm spec> (default {DEFAULT_METHODS}, plus "
                        "agent-$CONVREC_LLM when that names another backend)")
    parser.add_argument("--llm", action="append", default=[], metavar="SPEC",
                        help="also evaluate the agent on this LLM backend (e.g. "
                        "openai:gpt-4o-mini); may be repeated")
    parser.add_argument("--history", default="given,stated",
                        help="given: the agent gets the user's history (set_history); stated: "
                        "it gets none and the user names its 5 most recent titles in its "
                        "first message (baselines get those 5 as history); comma-separated, "
                        "side by side (default given,stated)")
    parser.add_argument("--target", choices=("test", "valid"), default="test",
                        help="valid: the validation protocol (the valid item is the target, "
                        "the past is train alone), for choosing settings (default test)")
    parser.add_argument("--user-llm", metavar="SPEC",
                        help="an LLM writes the simulated user's messages (default: scripted)")
    parser.add_argument("--run", help="run name (default u<users>-s<seed>-t<turns>[-llmuser])")
    parser.add_argument("--out", type=Path, help="run folder (default $CONVREC_HOME/eval/<run>)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the run: finished sessions are kept and skipped")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_eval)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from convrec.eval.methods import AGENT_PREFIX, build_method, check_method_names
    from convrec.eval.metrics import all_metrics
    from convrec.eval.report import side_by_side, summary_table, write_report
    from convrec.eval.runner import EvalConfig, labels, run_methods
    from convrec.eval.simulator import build_facts, sample_users
    from convrec.eval.store import RunFolder
    from convrec.recsys.fetch import open_catalog
    from convrec.recsys.train import load_split

    histories = tuple(h.strip() for h in args.history.split(",") if h.strip())
    config = EvalConfig(args.users, args.seed, args.max_turns, args.top, args.user_llm,
                        settings.dataset, histories, args.target)
    methods = check_method_names([m.strip() for m in _methods(args, settings).split(",")
                                  if m.strip()] + [AGENT_PREFIX + spec for spec in args.llm])
    split = load_split(settings.home, settings.dataset)
    catalog = open_catalog(settings.home, settings.dataset)
    people = [build_facts(split, catalog, u, config.target)
              for u in sample_users(split, config.users, config.seed)]
    name = args.run or (f"u{config.users}-s{config.seed}-t{config.max_turns}"
                        + ("-llmuser" if config.user_llm else "")
                        + ("-valid" if config.target == "valid" else ""))
    folder = RunFolder(args.out or settings.home / "eval" / name)
    folder.open({**config.to_dict(), "methods": methods}, resume=args.resume)
    print(f"run {folder.path}: {len(methods)} methods x {len(people)} users", file=sys.stderr)

    records = run_methods(methods, lambda m: build_method(m, settings.home, settings.dataset,
                                                          catalog),
                          people, _user_factory(config), config, folder,
                          None if args.no_progress else _progress)
    wanted = {p.user_id for p in people}
    recorded = labels(methods, config)
    records = [r for r in records if r["user"] in wanted and r["method"] in recorded]
    metrics = all_metrics(records, recorded, config.max_turns)
    command = _command(config, methods, name)
    paths = write_report(folder.path, metrics, records, {**config.to_dict(),
                                                         "methods": methods}, command)
    print(summary_table(metrics))
    print(side_by_side(metrics))
    print("\n".join(f"wrote {p}" for p in paths))
    return 0


def _methods(args: argparse.Namespace, settings: Settings) -> str:
    """--methods, or the default set plus the configured hosted backend, if any."""
    if args.methods:
        return args.methods
    if settings.llm not in ("embedded", "deterministic"):
        return f"{DEFAULT_METHODS},agent-{settings.llm}"
    return DEFAULT_METHODS


def _command(config: Any, methods: list[str], run: str) -> str:
    """The command line that reproduces this run."""
    parts = ["convrec", "eval", "--users", str(config.users), "--seed", str(config.seed),
             "--max-turns", str(config.max_turns), "--top", str(config.top),
             "--methods", ",".join(methods), "--history", ",".join(config.histories),
             "--run", run]
    if config.target != "test":
        parts += ["--target", config.target]
    if config.user_llm:
        parts += ["--user-llm", config.user_llm]
    return " ".join(shlex.quote(p) for p in parts)


def _user_factory(config: Any) -> Callable[[Any], Any]:
    """Scripted users, or LLM-driven ones when `--user-llm` names a backend."""
    from convrec.eval.simulator import ScriptedUser, StatedUser, UserFacts

    def scripted(facts: UserFacts, history: str) -> ScriptedUser:
        return (StatedUser if history == "stated" else ScriptedUser)(facts, config.seed)

    if not config.user_llm:
        return scripted
    from convrec.agent.llm.registry import get_chat_model
    from convrec.eval.llm_user import LLMUser

    model = get_chat_model(config.user_llm)

    def make(facts: UserFacts, history: str) -> LLMUser:
        return LLMUser(scripted(facts, history), model)

    return make


def _progress(items: Iterable[Any], total: int, done: int) -> Iterable[Any]:
    from tqdm import tqdm

    return tqdm(items, total=total, initial=done, unit="session", desc="eval",
                file=sys.stderr, dynamic_ncols=True)

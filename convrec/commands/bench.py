"""`convrec bench <what>`: one subcommand per benchmark; the logic lives in the rooms.

To add a benchmark, write `_register_<what>(actions)` that adds its parser and sets
`handler`, and append it to BENCHMARKS.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from convrec.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="run a benchmark and print its table")
    actions = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    for add in BENCHMARKS:
        add(actions)


# --- planner -------------------------------------------------------------------------------

def _register_planner(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "planner", help="frame accuracy (per slot, all slots) on the labeled planner sets: "
                        "extractor, embedded model alone, combined, and any --llm")
    parser.add_argument("--planners", nargs="+", metavar="NAME",
                        help="columns: extractor (the slot extractor), model (the tuned "
                             "embedded model's frame, unguarded), combined (the default "
                             "embedded planner) (default: all three)")
    parser.add_argument("--llm", help="also this LLM spec, e.g. openai:<model>")
    parser.add_argument("--planner", help="only this planner: deterministic, embedded or an "
                                          "LLM spec (same as --planners/--llm with one column)")
    parser.add_argument("--loop", action="store_true",
                        help="with an LLM: score the frame the agent executes after its "
                             "critic, re-plans and fallback, not the LLM's first answer")
    parser.add_argument("--planner-adapter", default="default", metavar="ADAPTER",
                        help="with the embedded model: the planner LoRA adapter, default (the "
                             "shipped one), none (the untuned model with demonstrations) or a "
                             "folder")
    parser.add_argument("--sets", nargs="+", default=["dev", "tune", "test", "test2"],
                        help="labeled sets: dev, tune, test, test2, test5 or a .jsonl path "
                             "(default: dev tune test test2)")
    parser.add_argument("--limit", type=int, help="only the first N requests of each set")
    parser.add_argument("--failures", type=int, default=0, metavar="N",
                        help="also print the first N wrong frames")
    parser.set_defaults(handler=_planner)


def _planner(args: argparse.Namespace, settings: Settings) -> int:
    from convrec.eval import planner_bench, variants

    columns = _planner_columns(args)
    examples = {planner_bench.set_name(name): planner_bench.load_labeled(name)[: args.limit]
                for name in args.sets}
    cells: dict[str, dict[str, str]] = {name: {} for name in examples}
    for column in columns:
        plan, counts = _planner_function(args, settings, column)
        for name, labeled in examples.items():
            result = planner_bench.run_bench(plan, labeled, name)
            print(f"[{column.label}]")
            print(planner_bench.report(result, args.failures))
            cells[name][column.name] = (f"{result.score.all_slots:6.1%} "
                                        f"{result.p50_ms / 1000:5.2f}s")
            if counts is not None:
                print(counts.line())
                counts.__init__()
    print(variants.summary_table("== all slots right, and plan p50 per message", cells,
                                 columns))
    mode = " (agent loop)" if args.loop else ""
    print(f"adapter {args.planner_adapter}{mode}; latency is wall clock on this machine as "
          "it is now")
    return 0


def _planner_columns(args: argparse.Namespace):
    from convrec.eval import variants

    if args.planner:
        if args.planners or args.llm:
            raise ValueError("give --planner alone, or --planners/--llm")
        alias = variants.ALIASES.get(args.planner)
        return variants.choose([alias], None) if alias else variants.choose([], args.planner)
    return variants.choose(args.planners, args.llm)


def _planner_function(args: argparse.Namespace, settings: Settings, column):
    if column.llm == "deterministic":
        from convrec.agent.nlu.extractor import SlotExtractor
        from convrec.recsys.fetch import open_catalog

        catalog = open_catalog(settings.home, settings.dataset)
        return SlotExtractor(catalog).extract, None
    from convrec.agent.assemble import build_agent
    from convrec.eval import agent_bench

    agent = build_agent(settings.home, dataset=settings.dataset,
                        profiles_path=settings.home / "bench-profiles.sqlite",
                        planner_adapter=args.planner_adapter, **column.agent_options())
    if args.loop:
        counts = agent_bench.LoopCounts()
        return agent_bench.loop_plan(agent, counts), counts
    return agent_bench.llm_plan(agent), None


# --- agent ----------------------------------------------------------------------------------

def _register_agent(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "agent", help="cold start, turn latency p50/p95, re-plan/fallback share, peak memory")
    parser.add_argument("--llm", help="LLM spec (default: settings, i.e. embedded)")
    parser.add_argument("--turns", type=int, default=30, help="timed turns (default 30)")
    parser.add_argument("--sessions", type=int, metavar="N",
                        help="instead: N conversations at once, on each --store side by side "
                             "(turns/s, p50/p95, time in the store)")
    parser.add_argument("--threads", type=int, default=8, help="with --sessions: threads "
                        "running sessions at once (default 8)")
    parser.add_argument("--turns-per-session", type=int, default=4,
                        help="with --sessions: a request and its follow-ups (default 4)")
    parser.add_argument("--store", action="append", metavar="STORE",
                        help="with --sessions, repeatable: sqlite (a new temporary file), "
                             "postgresql-temp (a throwaway PostgreSQL on loopback, needs "
                             "Debian's postgresql), or a path or postgresql:// URL (default: "
                             "sqlite and postgresql-temp)")
    parser.set_defaults(handler=_agent)


def _agent(args: argparse.Namespace, settings: Settings) -> int:
    from convrec.eval import agent_bench, planner_bench

    examples = planner_bench.load_labeled("dev")
    if args.sessions is not None:
        from convrec.eval import store_bench

        result = store_bench.run_sessions_bench(
            settings.home, args.llm or settings.llm, [e.message for e in examples],
            args.store or ["sqlite", store_bench.TEMPORARY_POSTGRES], args.sessions,
            args.threads, args.turns_per_session)
        print(result.report())
        print("store p50/p95: a turn's time in the store (session lock, load, save); wall "
              "clock on this machine as it is now")
        return 0
    result = agent_bench.run_agent_bench(settings.home, args.llm or settings.llm, examples,
                                         args.turns)
    print(result.report())
    print("turns are the first dev-set requests, each in a fresh session; wall clock on this "
          "machine as it is now")
    return 0


# --- recommenders --------------------------------------------------------------------------

def _register_recommenders(actions: argparse._SubParsersAction) -> None:
    from convrec.recsys.models import MODEL_NAMES

    parser = actions.add_parser(
        "recommenders", help="fit time, test HR/NDCG/MRR@10 and latency of each recommender"
    )
    parser.add_argument("--models", nargs="+", choices=MODEL_NAMES, default=list(MODEL_NAMES),
                        help="which models (default: all)")
    parser.add_argument("--dataset", help="dataset name (default: movielens-100k)")
    parser.add_argument("--scale-items", type=int, default=1_000_000,
                        help="items in the synthetic ALS catalog check (0 skips it)")
    parser.add_argument("--stated", choices=("valid", "test", "both", "none"), default="both",
                        help="the stated-history protocol (the last 5 items as the sequence, "
                             "full ranking) with the agent's cached models, on the valid "
                             "and/or test item (default both)")
    parser.set_defaults(handler=_recommenders)


def _recommenders(args: argparse.Namespace, settings: Settings) -> int:
    from convrec.recsys import bench
    from convrec.recsys.stated import format_stated
    from convrec.recsys.train import load_split

    dataset = args.dataset or settings.dataset
    split = load_split(settings.home, dataset)
    print(f"{dataset}: {split.n_users} users, {split.n_items} items; test metrics use full "
          "ranking over all unseen items")
    rows = bench.run(split, args.models, report=lambda note: print(f"note: {note}"))
    print(bench.format_table(rows))
    for part in {"both": ("valid", "test"), "none": ()}.get(args.stated, (args.stated,)):
        print(f"\nstated history, {part} item: the last 5 items before it as the sequence, "
              "every other item a candidate")
        print(format_stated(bench.stated_history(settings.home, dataset, split, part)))
    if args.scale_items > 0:
        check = bench.bench_catalog_scale(n_items=args.scale_items)
        runs = ", ".join(f"{ms:.1f}" for ms in check.runs_ms)
        print(f"ALS over {check.n_items:,} synthetic items ({check.factors} factors): "
              f"{check.median_ms:.1f} ms per user (median of {runs})")
    print("timings are wall clock on this machine as it is now; shared CPUs make them slower")
    return 0


# --- llm ------------------------------------------------------------------------------------

def _register_llm(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "llm", help="LLM load time, tokens/s and constrained-decoding latency p50/p95")
    parser.add_argument("--llm", help="LLM spec (default: settings, i.e. embedded)")
    parser.add_argument("--prompts", type=int, default=20, help="requests timed (default 20)")
    parser.add_argument("--no-cold", action="store_true",
                        help="skip the cold start (GGUF conversion, about 30 s)")
    parser.set_defaults(handler=_llm)


def _llm(args: argparse.Namespace, settings: Settings) -> int:
    from convrec.agent.llm import bench as bench_llm

    result = bench_llm.run(args.llm or settings.llm, settings.home, args.prompts,
                           cold=not args.no_cold)
    print(bench_llm.report(result))
    print("timings are wall clock on this machine as it is now; shared CPUs make them slower")
    return 0


# --- tools ----------------------------------------------------------------------------------

def _register_tools(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "tools", help="warm latency of each tool, Chroma index build/reopen, 1M-item filter+rank")
    parser.add_argument("--repeats", type=int, default=20, help="timed calls per tool")
    parser.add_argument("--scale-items", type=int, default=1_000_000,
                        help="items in the synthetic catalog check (0 skips it)")
    parser.set_defaults(handler=_tools)


def _tools(args: argparse.Namespace, settings: Settings) -> int:
    from convrec.tools import bench

    result = bench.run(settings.home, settings.dataset, args.repeats, args.scale_items)
    print(bench.format_table(result))
    print("timings are wall clock on this machine as it is now; shared CPUs make them slower")
    return 0


# --- talk -----------------------------------------------------------------------------------

def _register_talk(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "talk", help="labeled multi-turn conversations: share of cases right per category; "
                     "extractor, embedded model alone, combined, and any --llm")
    parser.add_argument("--sets", nargs="+", metavar="SET",
                        help="dev, test, or a path to a .jsonl file (default: dev and test, "
                             "those that exist)")
    parser.add_argument("--planners", nargs="+", metavar="NAME",
                        help="columns: extractor, model (the tuned embedded model unguarded), "
                             "combined (the default agent) (default: all three; with --llm "
                             "and no --planners, only the --llm column)")
    parser.add_argument("--llm", help="an LLM spec to run (deterministic is the extractor, "
                                      "embedded the combination)")
    parser.add_argument("--category", nargs="+", metavar="CATEGORY",
                        help="only cases of these categories")
    parser.add_argument("--limit", type=int,
                        help="only the first N cases of each set (after --category)")
    parser.add_argument("--failures", type=int, default=0, metavar="N",
                        help="also print N wrong cases of each set with their transcript")
    parser.add_argument("--json", metavar="PATH", help="write every case's result here")
    parser.add_argument("--dataset", help="run on this fetched dataset (default: "
                                          "$CONVREC_DATASET or movielens-100k); its sets are "
                                          "named <dataset>_dev, ... (e.g. boardgames_dev)")
    parser.set_defaults(handler=_talk)


def _talk(args: argparse.Namespace, settings: Settings) -> int:
    import json
    import sys
    from pathlib import Path

    from convrec.eval import talk_bench, talk_cases, variants

    settings = settings.with_overrides(dataset=args.dataset)
    sets = args.sets or talk_cases.default_sets(settings.dataset)
    if not sets:
        raise FileNotFoundError("no talk set is shipped yet (eval/data/talk_dev.jsonl, "
                                "talk_test.jsonl); give one with --sets PATH.jsonl")
    columns = variants.choose([] if args.llm and args.planners is None else args.planners,
                              args.llm)
    cells: dict[str, dict[str, str]] = {}
    everything = {}
    for column in columns:
        print(f"[{column.label}]", file=sys.stderr)
        results = talk_bench.run(settings.home, settings.dataset, column.agent_options(), sets,
                                 args.category, args.limit,
                                 progress=lambda note: print(note, file=sys.stderr))
        for result in results:
            print(f"[{column.label}]")
            print(talk_bench.report(result, args.failures))
            summary = result.summary()
            share = summary["right"] / summary["cases"] if summary["cases"] else 0.0
            cells.setdefault(result.name, {})[column.name] = \
                f"{share:6.1%} {result.p50_seconds or 0:5.2f}s"
        everything[column.name] = talk_bench.to_json(results, column.label)
    print(variants.summary_table("== cases right, and turn p50", cells, columns))
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1), encoding="utf-8")
        print(f"results: {args.json}")
    print("one fresh session per case; seconds are wall clock on this machine as it is now")
    return 0


BENCHMARKS: list[Callable[[argparse._SubParsersAction], None]] = [
    _register_planner, _register_agent, _register_recommenders, _register_llm, _register_tools,
    _register_talk]

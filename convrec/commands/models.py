"""`convrec train --model NAME` and `convrec evaluate --model NAME`."""

from __future__ import annotations

import argparse

from convrec.recsys.metrics import evaluate
from convrec.recsys.models import MODEL_NAMES
from convrec.recsys.train import load_model, load_split, model_path, train_model
from convrec.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser(
        "train", help="train a recommender (or the planner adapter) and save it to the cache")
    _add_common(train, extra=("planner",))
    train.add_argument("--out", help="planner only: where to write the adapter (default: "
                       "$CONVREC_HOME/models/llm/planner_adapter, or planner_adapter-<dataset> "
                       "for another dataset)")
    train.set_defaults(handler=_train)
    score = subparsers.add_parser(
        "evaluate", help="HR@10, NDCG@10, MRR@10 of a recommender on the test split"
    )
    _add_common(score)
    score.set_defaults(handler=_evaluate)


def _add_common(parser: argparse.ArgumentParser, extra: tuple[str, ...] = ()) -> None:
    parser.add_argument("--model", required=True, choices=(*MODEL_NAMES, *extra),
                        help="which recommender" + (" (planner: the LLM planner's LoRA adapter)"
                                                    if extra else ""))
    parser.add_argument("--dataset", help="dataset name (default: $CONVREC_DATASET or "
                        "movielens-100k)")
    parser.add_argument("-k", type=int, default=10, help="cut-off of the metrics (default 10)")


def _train(args: argparse.Namespace, settings: Settings) -> int:
    if args.model == "planner":
        from convrec.commands.train_planner import train_planner

        return train_planner(args, settings)
    dataset = args.dataset or settings.dataset
    split = load_split(settings.home, dataset)
    model, seconds = train_model(args.model, split, show_progress=True)
    path = model_path(settings.home, dataset, args.model)
    model.save(path)
    print(f"{args.model}: fitted in {seconds:.2f}s, saved to {path}")
    if getattr(getattr(model, "config", None), "train_on_valid", False):
        print("valid: not measured (the final fit trains on the valid items too; "
              f"`convrec evaluate --model {args.model}` gives the test figures)")
    else:
        valid = evaluate(model, split, k=args.k, part="valid")
        print(f"valid NDCG@{args.k} {valid[f'ndcg@{args.k}']:.4f}")
    return 0


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    dataset = args.dataset or settings.dataset
    split = load_split(settings.home, dataset)
    model = load_model(args.model, settings.home, dataset)
    if model is None:
        print(f"no saved {args.model} model for {dataset}; training it first")
        model, seconds = train_model(args.model, split, show_progress=True)
        model.save(model_path(settings.home, dataset, args.model))
        print(f"{args.model}: fitted in {seconds:.2f}s")
    test = evaluate(model, split, k=args.k, part="test")
    k = args.k
    print(f"{args.model} on {dataset} test ({len(split.test)} users, full ranking):")
    print(f"HR@{k} {test[f'hr@{k}']:.4f}  NDCG@{k} {test[f'ndcg@{k}']:.4f}  "
          f"MRR@{k} {test[f'mrr@{k}']:.4f}")
    return 0

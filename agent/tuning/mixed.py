"""One planner adapter from the corpora of several catalogs.

`python -m convrec.agent.tuning.mixed --out <folder> [--datasets movielens-100k boardgames]`
writes each catalog's share of the corpus (`build.build_corpus`), drafts it with that catalog's
slot extractor, mixes the shares, holds back a share of each for early stopping (the labeled
planner sets predate the dialogue acts and slots the corpus now labels), and trains one LoRA
adapter. Requests close to any labeled planner or talk request are dropped as before.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path

from convrec.agent.tuning.corpus import CorpusExample

DATASETS = ("movielens-100k", "boardgames")
SHARES = {"movielens-100k": 0.6, "boardgames": 0.4}
CORPUS_SIZE = 10000  # generated; about 7000 are left after the collision check
# What the time budget allows on a shared 2-core CPU (about 5 s a step with this corpus's
# longer prompts), so that the learning-rate schedule ends where the budget does.
MAX_STEPS = 520
HELD_BACK = 0.04  # of each catalog's corpus: the early-stopping requests
# A talk turn shorter than this is not checked for collisions: token_set_ratio scores 100 for
# any request holding all its words ("hi", "more please"), which would drop whole kinds.
MIN_TALK_WORDS = 4


def labeled_messages() -> list[str]:
    """The user messages of the shipped labeled sets (planner, and talk turns of
    `MIN_TALK_WORDS` words or more): none is trained on."""
    from convrec.eval.planner_bench import PLANNER_SETS, has_labeled_set, load_labeled

    messages = [e.message for name in PLANNER_SETS if has_labeled_set(name)
                for e in load_labeled(name)]
    data = resources.files("convrec.eval").joinpath("data")
    for path in data.iterdir():
        if path.name.startswith("talk_") and path.name.endswith(".jsonl"):
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    messages += [t["user"] for t in json.loads(line).get("turns", [])
                                 if isinstance(t, dict) and
                                 len(str(t.get("user", "")).split()) >= MIN_TALK_WORDS]
    return messages


def mixed_corpus(home: Path, datasets: Sequence[str], size: int, seed: int
                 ) -> tuple[list[CorpusExample], list[CorpusExample], dict[str, int]]:
    """(train, held back, counts): each dataset's drafted share, mixed."""
    from convrec.agent.nlu.extractor import SlotExtractor
    from convrec.agent.tuning.build import build_corpus
    from convrec.agent.tuning.drafts import DraftDamage, with_drafts
    from convrec.recsys.fetch import open_catalog

    held_out = labeled_messages()
    train, dev, totals = [], [], {}
    for dataset in datasets:
        catalog = open_catalog(home, dataset)
        share = SHARES.get(dataset, 1 / len(datasets))
        corpus, counts = build_corpus(catalog, round(size * share), seed, held_out)
        extractor = SlotExtractor(catalog)
        drafted, draft_counts = with_drafts(corpus, extractor.extract,
                                            DraftDamage(random.Random(seed)),
                                            extractor.canonical_title)
        counts.update(draft_counts)
        logging.info("%s: %s", dataset, counts)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        drafted = [replace(e, kind=f"{dataset}:{e.kind}") for e in drafted]
        random.Random(seed).shuffle(drafted)
        cut = max(20, round(len(drafted) * HELD_BACK))
        dev += drafted[:cut]
        train += drafted[cut:]
    random.Random(seed).shuffle(train)
    return train, dev, totals


def main(argv: Sequence[str] | None = None) -> int:
    from convrec.agent.llm.embedded import embedded_model_dir
    from convrec.agent.tuning.train import TuningConfig, train_adapter, write_model_card
    from convrec.recsys.io import sha256_of
    from convrec.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for the adapter")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--corpus-out", help="also write the drafted corpus here (JSON lines)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = Settings()
    config = TuningConfig(corpus_size=CORPUS_SIZE, max_steps=MAX_STEPS)
    train, dev, counts = mixed_corpus(settings.home, args.datasets, config.corpus_size,
                                      config.seed)
    print(f"corpus: {len(train)} to train on, {len(dev)} held back; {counts}", flush=True)
    out = Path(args.out).expanduser()
    if args.corpus_out:
        with open(args.corpus_out, "w", encoding="utf-8") as file:
            for e in train:
                file.write(json.dumps({
                    "kind": e.kind, "message": e.message,
                    "previous": e.previous.compact() if e.previous else None,
                    "draft": e.draft.compact() if e.draft else None,
                    "frame": e.frame.compact()}, ensure_ascii=False) + "\n")
    base = embedded_model_dir(settings.home)
    result = train_adapter(base, train, dev, config, out)
    counts["kept"] = len(train)
    card = write_model_card(
        out, base, sha256_of(base / "model.safetensors"), config, counts, result,
        catalogs=" and ".join(args.datasets),
        stopped_on=f"requests of the corpus held back ({HELD_BACK:.0%} of each catalog's)",
        reproduce=f"`python -m convrec.agent.tuning.mixed --out <folder>` ({MAX_STEPS} steps "
                  "at most, 45 min budget)")
    print(f"planner adapter: {result.steps} steps in {result.seconds / 60:.1f} min, best dev "
          f"loss {result.best_dev_loss:.4f} at step {result.best_step}; saved to {out} "
          f"(model card {card.name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

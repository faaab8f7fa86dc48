"""The `openai:<model>` backend: OpenAI or any OpenAI-compatible server (vLLM, Ollama, llama.cpp).

Errors say what to do: a missing key names the variable to set, an unreachable server names the
URL that did not answer, and neither waits longer than `timeout` seconds (times `max_retries`+1).
"""

from __future__ import annotations

import os
from typing import Any, TypeVar
from urllib.parse import urlparse

import openai
from langchain_core.language_models import LanguageModelInput
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from convrec.agent.llm.registry import (
    Backend,
    BackendOptions,
    LLMConnectionError,
    MissingKeyError,
)

T = TypeVar("T", bound=BaseModel)

OPENAI_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"  # local servers do not check the key, but the client wants one


class OpenAIOptions(BackendOptions):
    """Options of the `openai:` backend."""

    base_url: str | None = None
    api_key: str | None = None
    timeout: float = 30.0
    max_retries: int = 1
    temperature: float = 0.0
    max_new_tokens: int | None = None


class CompatChatOpenAI(ChatOpenAI):
    """ChatOpenAI whose connection failures become `LLMConnectionError` with the fix."""

    supports_constrained_decoding: bool = False

    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._generate(*args, **kwargs)
        except (openai.APIConnectionError, openai.APITimeoutError) as exc:
            raise self._connection_error(exc) from exc

    async def _agenerate(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super()._agenerate(*args, **kwargs)
        except (openai.APIConnectionError, openai.APITimeoutError) as exc:
            raise self._connection_error(exc) from exc

    def generate_structured(self, messages: LanguageModelInput, schema: type[T],
                            max_new_tokens: int = 128) -> T:
        """One `schema` instance through the server's JSON-schema structured output."""
        runnable = self.bind(max_tokens=max_new_tokens).with_structured_output(
            schema, method="json_schema")
        result = runnable.invoke(messages)
        return result if isinstance(result, schema) else schema.model_validate(result)

    def _connection_error(self, exc: Exception) -> LLMConnectionError:
        url = self.openai_api_base or OPENAI_BASE_URL
        why = (f"no answer within {self.request_timeout} s"
               if isinstance(exc, openai.APITimeoutError) else _root_cause(exc))
        return LLMConnectionError(
            f"cannot reach the LLM server at {url} ({why}). "
            "Start the server (e.g. `ollama serve`, `vllm serve <model>`, `llama-server -m "
            "<file>`), fix base_url, or choose another backend with --llm (e.g. --llm embedded)")


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__
    return str(exc) or type(exc).__name__


def _is_openai(base_url: str | None) -> bool:
    return base_url is None or (urlparse(base_url).hostname or "").endswith("openai.com")


def build_openai(name: str, options: OpenAIOptions) -> CompatChatOpenAI:
    """A `CompatChatOpenAI` for model `name`; checks the key before any request."""
    base_url = options.base_url or os.environ.get("OPENAI_BASE_URL") or None
    key = options.api_key or os.environ.get("OPENAI_API_KEY") or None
    if key is None:
        if _is_openai(base_url):
            raise MissingKeyError(
                "OPENAI_API_KEY is not set: export OPENAI_API_KEY=<your key> (or pass api_key), "
                "or point base_url at an OpenAI-compatible server, or use --llm embedded")
        key = PLACEHOLDER_KEY
    extra: dict[str, Any] = {}
    if options.max_new_tokens is not None:
        extra["max_tokens"] = options.max_new_tokens
    return CompatChatOpenAI(model=name, base_url=base_url, api_key=key,
                            timeout=options.timeout, max_retries=options.max_retries,
                            temperature=options.temperature, **extra)


OPENAI_BACKEND = Backend(
    kind="openai",
    description="openai:<model> -- OpenAI or any OpenAI-compatible server "
                "(options base_url, api_key; env OPENAI_API_KEY, OPENAI_BASE_URL)",
    factory=build_openai,
    options=OpenAIOptions,
    supports_constrained_decoding=False,
    supports_structured_output=True,
    needs_network=True,
)

"""The `openai:<model>` backend: OpenAI or any OpenAI-compatible server (vLLM, Ollama, llama.cpp).

Errors say what to do: a missing key names the variable to set, an unreachable server names the
URL that did not answer, and neither waits longer than `timeout` seconds (times `max_retries`+1).
Structured output asks the server for the schema and validates the reply here, so a server that
ignores `response_format` (`transformers serve` does) still works when its text holds a valid
JSON object, and fails with `StructuredOutputError` when it does not.
"""

from __future__ import annotations

import json
import os
from typing import Any, TypeVar
from urllib.parse import urlparse

import openai
from langchain_core.language_models import LanguageModelInput
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, ValidationError

from convrec.agent.llm.registry import (
    Backend,
    BackendOptions,
    LLMConnectionError,
    LLMError,
    LLMTimeoutError,
    MissingKeyError,
)

T = TypeVar("T", bound=BaseModel)

OPENAI_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"  # local servers do not check the key, but the client wants one


class StructuredOutputError(LLMError, ValueError):
    """The model's reply held no valid instance of the schema (the caller may fall back)."""


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
        """One `schema` instance: the server is asked for it as a strict JSON-schema response
        format, and the reply is validated here. A reply that is not an instance as a whole
        (a server that ignores `response_format` answers free text) is searched for its first
        JSON object; if there is none, or it is not an instance, `StructuredOutputError`.

        The format goes in the request body as is rather than through the SDK's `parse`, which
        raises on free text or a reply cut at `max_tokens` and loses the text.
        """
        tool = openai.pydantic_function_tool(schema)["function"]  # the SDK's strict schema
        response_format = {"type": "json_schema", "json_schema": {
            "name": tool["name"], "schema": tool["parameters"], "strict": True}}
        reply = self.invoke(messages, max_tokens=max_new_tokens,
                            extra_body={**(self.extra_body or {}),
                                        "response_format": response_format})
        cut = reply.response_metadata.get("finish_reason") == "length"
        try:
            return parse_structured(reply.text, schema)
        except StructuredOutputError as exc:
            url = self.openai_api_base or OPENAI_BASE_URL
            cause = f"cut at {max_new_tokens} tokens, {exc}" if cut else str(exc)
            raise StructuredOutputError(
                f"the reply is not a {schema.__name__} ({cause}). The server at {url} may "
                "ignore response_format: serve the model where structured output is enforced "
                "(vLLM, llama.cpp, Ollama), use a stronger model, or choose another backend "
                "with --llm (e.g. --llm embedded)") from exc

    def _connection_error(self, exc: Exception) -> LLMConnectionError:
        url = self.openai_api_base or OPENAI_BASE_URL
        if isinstance(exc, openai.APITimeoutError):
            return LLMTimeoutError(
                f"the LLM server at {url} gave no answer within {self.request_timeout} s. "
                "Give it more time (timeout=...), serve a smaller or faster model, or choose "
                "another backend with --llm (e.g. --llm embedded)")
        return LLMConnectionError(
            f"cannot reach the LLM server at {url} ({_root_cause(exc)}). "
            "Start the server (e.g. `ollama serve`, `vllm serve <model>`, `llama-server -m "
            "<file>`), fix base_url, or choose another backend with --llm (e.g. --llm embedded)")


def parse_structured(text: str, schema: type[T]) -> T:
    """`text` as a `schema` instance: the whole text, else its first JSON object.

    Raises `StructuredOutputError` saying what was wrong with the text.
    """
    try:
        return schema.model_validate_json(text)
    except ValidationError:
        pass
    found = first_json_object(text)
    if found is None:
        shown = " ".join(text.split())
        shown = repr(shown[:60] + "..." if len(shown) > 60 else shown)
        raise StructuredOutputError(f"it holds no complete JSON object: {shown}")
    try:
        return schema.model_validate(found)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "the top"
        value = repr(err.get("input"))
        value = value[:40] + "..." if len(value) > 40 else value
        raise StructuredOutputError(f"its JSON object is wrong at {where}, {value}: "
                                    f"{err.get('msg', '')[:80]}") from exc


def first_json_object(text: str) -> dict[str, Any] | None:
    """The first balanced `{...}` in `text` that parses as a JSON object, or None.

    Braces inside JSON strings do not count.
    """
    for start in (i for i, char in enumerate(text) if char == "{"):
        end = _closing_brace(text, start)
        if end is None:
            continue
        try:
            value = json.loads(text[start:end + 1])
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _closing_brace(text: str, start: int) -> int | None:
    """Index of the brace that closes the one at `start` (strings skipped), or None."""
    depth, in_string, escaped = 0, False, False
    for i in range(start, len(text)):
        char = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
    return None


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

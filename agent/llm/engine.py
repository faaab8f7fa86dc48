"""Greedy decoding for local Hugging Face causal LMs, free or under a JSON schema.

Speed on a CPU comes from four things: the KV cache of the static prompt prefix (the first
message, when it is a system message: put the fixed instructions there and anything that varies
per call after it) is computed once and copied per call; tokens the grammar forces are appended
without a forward step and fed together with the next sampled token in one forward; only the
last position's logits are computed (and, when the grammar leaves few choices, only their rows
of the output head); everything runs under `torch.inference_mode` on one thread by default
(decoding a small model is bound by memory and thread hand-offs: on a shared CPU a second
thread made each step up to ten times slower here). A lock keeps concurrent threads from
interleaving on one model.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import llguidance
import numpy as np
import torch
from transformers import DynamicCache

from convrec.agent.llm.quant import Int8Linear, head_rows
from convrec.agent.llm.registry import GenerationLimitError, LLMError
from convrec.recsys.threads import torch_threads

log = logging.getLogger(__name__)
# The decoding loop passes the KV cache as `past_key_values`, which every supported
# transformers version accepts; newer ones warn on each call that it is being renamed.
warnings.filterwarnings("ignore", message=r"`past_key_values` is deprecated",
                        category=FutureWarning)

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": ...}

PREFIX_CACHE_SIZE = 4
GRAMMAR_CACHE_SIZE = 16
MAX_STRING = 80  # default bound for unbounded strings in a schema (characters)
MAX_ITEMS = 8  # default bound for unbounded arrays in a schema
NO_REPEAT_NGRAM = 6  # never repeat a 6-token sequence of the output (unless nothing else fits)
SMALL_CHOICE = 4096  # below this many allowed tokens, score only their rows of the head
CLOSING_RESERVE = 24  # in the budget's last tokens, prefer tokens that close the JSON
SPACE_MARKS = " \u0120\u2581"  # a space, byte-level BPE's and sentencepiece's space marks
PLAIN_HEAD_MODELS = {"llama", "mistral", "qwen2", "qwen3", "smollm3", "phi3", "olmo2"}
# Compact JSON, as the planner's demonstrations are written (and fewer tokens).
JSON_OPTIONS = {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"}


@dataclass(frozen=True)
class ScoredText:
    """Decoded text with each output token's piece of it and the model's confidence in it.

    `logprobs[i]` is the log-probability of token i among the tokens the grammar allowed at
    that step (renormalised over them); a token the grammar forced has 0.0.
    """

    text: str
    pieces: tuple[str, ...]
    logprobs: tuple[float, ...]

    def offsets(self) -> list[int]:
        """The character offset in `text` where each token's piece starts."""
        starts, at = [], 0
        for piece in self.pieces:
            starts.append(at)
            at += len(piece)
        return starts


@dataclass(frozen=True)
class GenerationStats:
    """What one generation cost: tokens by origin, forward passes, wall time."""

    prompt_tokens: int
    cached_prompt_tokens: int
    new_tokens: int
    forced_tokens: int
    forward_steps: int
    seconds: float


class LocalEngine:
    """A causal LM and its tokenizer, with cached prompt prefixes and compiled grammars."""

    def __init__(self, model: Any, tokenizer: Any, name: str, threads: int | None = 1) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.lock = threading.RLock()
        self.vocab_size = int(model.get_output_embeddings().out_features)
        self.stop_ids = _stop_ids(tokenizer, model)
        self.threads = threads
        self.body, self.plain_head = _split_head(model)
        self._prefixes: OrderedDict[tuple[int, ...], DynamicCache] = OrderedDict()
        self._matchers: OrderedDict[str, llguidance.LLMatcher] = OrderedDict()
        self._lltokenizer: llguidance.LLTokenizer | None = None
        self._closers: np.ndarray | None = None
        self.last_stats: GenerationStats | None = None

    def generate_text(self, messages: Sequence[Message], max_new_tokens: int = 64,
                      stop: Sequence[str] = (), stop_at_newline: bool = False) -> str:
        """Greedy continuation of the chat, cut at the first stop string (not included)."""
        text = "".join(self.stream_text(messages, max_new_tokens, stop, stop_at_newline))
        return text.strip() if stop_at_newline else text

    def stream_text(self, messages: Sequence[Message], max_new_tokens: int = 64,
                    stop: Sequence[str] = (), stop_at_newline: bool = False) -> Iterator[str]:
        """`generate_text` piece by piece; text that may begin a stop string is held back.

        The lock is taken per step, so a slow consumer does not block other callers.
        """
        stops = [*stop, "\n"] if stop_at_newline else list(stop)
        with self._busy():
            run = _Run(self, messages)
        emitted = ""
        try:
            while run.new_tokens < max_new_tokens:
                with self._busy():
                    token = run.step(None)
                if token in self.stop_ids:
                    break
                text = self.tokenizer.decode(run.out, skip_special_tokens=True).lstrip()
                cut = _first_stop(text, stops)
                ready = text[:cut] if cut is not None else _releasable(text, stops)
                if len(ready) > len(emitted):
                    yield ready[len(emitted):]
                    emitted = ready
                if cut is not None:
                    return
            text = self.tokenizer.decode(run.out, skip_special_tokens=True).lstrip()
            if len(text) > len(emitted) and _first_stop(text, stops) is None:
                yield text[len(emitted):]
        finally:
            self.last_stats = run.stats()

    @contextmanager
    def _busy(self) -> Iterator[None]:
        with self.lock, torch.inference_mode(), torch_threads(self.threads):
            yield

    def generate_json(self, messages: Sequence[Message], schema: dict[str, Any],
                      max_new_tokens: int = 128) -> str:
        """JSON text decoded under `schema`: always parses and validates against it."""
        return self.generate_json_scored(messages, schema, max_new_tokens).text

    def generate_json_scored(self, messages: Sequence[Message], schema: dict[str, Any],
                             max_new_tokens: int = 128) -> ScoredText:
        """`generate_json`, with each token's log-probability among the allowed tokens."""
        with self._busy():
            matcher = self._matcher(schema)
            run = _Run(self, messages)
            while True:
                forced = matcher.compute_ff_tokens()
                if forced:
                    run.force(forced)
                    _check(matcher.consume_tokens(forced), matcher)
                allowed = _allowed(matcher, self.vocab_size)
                if matcher.is_stopped() or _only_stop(allowed, self.stop_ids):
                    break
                if run.new_tokens >= max_new_tokens:
                    partial = self.tokenizer.decode(run.out, skip_special_tokens=True)
                    raise GenerationLimitError(
                        f"the JSON for this schema was not complete after {max_new_tokens} "
                        "tokens; raise max_new_tokens or bound the schema (max_length on "
                        f"lists and strings). Output so far: {partial[:200]!r}")
                closing = run.new_tokens >= max_new_tokens - CLOSING_RESERVE
                token = run.step(allowed & self.closers() if closing else allowed, allowed)
                if token in self.stop_ids and matcher.is_accepting():
                    break
                _check(matcher.consume_token(token), matcher)
            self.last_stats = run.stats()
            return run.scored()

    def prompt_ids(self, messages: Sequence[Message]) -> list[int]:
        text = self.tokenizer.apply_chat_template(
            list(messages), add_generation_prompt=True, tokenize=False)
        return self._encode(text)

    def _encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def prefix_cache(self, messages: Sequence[Message],
                     ids: list[int]) -> tuple[DynamicCache | None, int]:
        """A private copy of the cached KV of the first (system) message, and its length."""
        system = list(messages[:1])
        if not system or system[0]["role"] != "system":
            return None, 0
        text = self.tokenizer.apply_chat_template(system, tokenize=False)
        prefix = tuple(self._encode(text))
        if len(prefix) >= len(ids) or tuple(ids[:len(prefix)]) != prefix:
            return None, 0
        if prefix not in self._prefixes:
            cache = DynamicCache()
            self.model(input_ids=torch.tensor([prefix]), past_key_values=cache,
                       use_cache=True, logits_to_keep=1)
            self._prefixes[prefix] = cache
            while len(self._prefixes) > PREFIX_CACHE_SIZE:
                self._prefixes.popitem(last=False)
        self._prefixes.move_to_end(prefix)
        return copy.deepcopy(self._prefixes[prefix]), len(prefix)

    def _matcher(self, schema: dict[str, Any]) -> llguidance.LLMatcher:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._matchers:
            schema = bound_schema(schema)
            grammar = llguidance.LLMatcher.grammar_from_json_schema(schema, overrides=JSON_OPTIONS)
            is_error, messages = llguidance.LLMatcher.validate_grammar_with_warnings(
                grammar, self._get_lltokenizer())
            if is_error:
                raise ValueError(f"cannot decode under this JSON schema: {messages[0]}")
            self._matchers[key] = llguidance.LLMatcher(self._get_lltokenizer(), grammar,
                                                       log_level=0)
            while len(self._matchers) > GRAMMAR_CACHE_SIZE:
                self._matchers.popitem(last=False)
        self._matchers.move_to_end(key)
        return self._matchers[key].deep_copy()

    def closers(self) -> np.ndarray:
        """Tokens that close a string, array or object, or write null: the way out of a JSON
        value, preferred in the last `CLOSING_RESERVE` tokens of the budget."""
        if self._closers is None:
            pieces = self.tokenizer.convert_ids_to_tokens(list(range(self.vocab_size)))
            self._closers = np.array([_is_closer(p) for p in pieces], dtype=bool)
        return self._closers

    def _get_lltokenizer(self) -> llguidance.LLTokenizer:
        if self._lltokenizer is None:
            backend = copy.copy(self.tokenizer.backend_tokenizer)
            backend.no_padding()
            backend.no_truncation()
            self._lltokenizer = llguidance.LLTokenizer(
                backend.to_str(), n_vocab=self.vocab_size,
                eos_token=self.tokenizer.eos_token_id)
        return self._lltokenizer


class _Run:
    """One greedy decoding: the KV cache, tokens waiting for a forward pass, counters."""

    def __init__(self, engine: LocalEngine, messages: Sequence[Message]) -> None:
        self.engine = engine
        self.started = time.perf_counter()
        ids = engine.prompt_ids(messages)
        self.prompt_tokens = len(ids)
        self.cache, self.cached = engine.prefix_cache(messages, ids)
        if self.cache is None:
            self.cache = DynamicCache()
        self.pending = ids[self.cached:]
        self.out: list[int] = []
        self.logprobs: list[float] = []  # per output token, among the allowed ones
        self.forced = 0
        self.forwards = 0

    @property
    def new_tokens(self) -> int:
        return len(self.out)

    def force(self, tokens: list[int]) -> None:
        """Append tokens the grammar forces; they ride along with the next forward pass."""
        self.out.extend(tokens)
        self.logprobs.extend([0.0] * len(tokens))
        self.pending.extend(tokens)
        self.forced += len(tokens)

    def step(self, allowed: np.ndarray | None, fallback: np.ndarray | None = None) -> int:
        """One forward over the pending tokens, then the greedy choice among `allowed`.

        When `allowed` is empty, `fallback` is used instead.

        When the grammar leaves few candidates, only their rows of the output head are
        multiplied (the head is a fifth of a small model's weights). A token that would repeat
        an n-gram already in the output is avoided (greedy small models loop otherwise).
        """
        ids = torch.tensor([self.pending])
        candidates = None if allowed is None else np.flatnonzero(allowed)
        if candidates is not None and candidates.size == 0 and fallback is not None:
            candidates = np.flatnonzero(fallback)
        if candidates is not None and candidates.size == 0:
            raise LLMError("the grammar allows no next token (this is a bug)")
        banned = _repeats(self.out, NO_REPEAT_NGRAM)
        if candidates is not None and banned:
            kept = candidates[~np.isin(candidates, list(banned))]
            candidates = kept if kept.size else candidates
        head = self.engine.plain_head
        if head is not None and candidates is not None and candidates.size < SMALL_CHOICE:
            hidden = self.engine.body(input_ids=ids, past_key_values=self.cache,
                                      use_cache=True).last_hidden_state[0, -1]
            scores = head_rows(head, torch.from_numpy(candidates), hidden)
        else:
            logits = self.engine.model(input_ids=ids, past_key_values=self.cache, use_cache=True,
                                       logits_to_keep=1).logits[0, -1]
            if candidates is None:
                logits[list(banned)] = float("-inf")
                scores = logits
            else:
                scores = logits[torch.from_numpy(candidates)]
        best = int(torch.argmax(scores))
        token = best if candidates is None else int(candidates[best])
        scores = scores.float()
        self.logprobs.append(float(scores[best] - torch.logsumexp(scores, dim=0)))
        self.forwards += 1
        self.out.append(token)
        self.pending = [token]
        return token

    def scored(self) -> ScoredText:
        """The output so far as text, token pieces and log-probabilities."""
        decode = self.engine.tokenizer.decode
        pieces, before = [], ""
        for end in range(1, len(self.out) + 1):  # prefix decoding keeps multi-byte characters
            text = decode(self.out[:end], skip_special_tokens=True)
            pieces.append(text[len(before):] if text.startswith(before) else text)
            before = text
        return ScoredText(before, tuple(pieces), tuple(self.logprobs))

    def stats(self) -> GenerationStats:
        return GenerationStats(self.prompt_tokens, self.cached, len(self.out), self.forced,
                               self.forwards, time.perf_counter() - self.started)


def bound_schema(schema: Any, max_string: int = MAX_STRING,
                 max_items: int = MAX_ITEMS) -> Any:
    """A copy of a JSON schema whose strings and arrays without a bound get one.

    Objects with properties also get `additionalProperties: false`. Anything the bounded schema
    accepts, the original accepts too; the bounds only keep a small model from writing one
    string, list or object forever.
    """
    if isinstance(schema, list):
        return [bound_schema(s, max_string, max_items) for s in schema]
    if not isinstance(schema, dict):
        return schema
    bounded = {k: bound_schema(v, max_string, max_items) for k, v in schema.items()}
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    plain_string = "enum" not in schema and "const" not in schema and "pattern" not in schema
    if "string" in kinds and plain_string and "format" not in schema:
        bounded.setdefault("maxLength", max_string)
    if "array" in kinds:
        bounded.setdefault("maxItems", max_items)
    if "object" in kinds and "properties" in schema:
        bounded.setdefault("additionalProperties", False)
    return bounded


def _is_closer(piece: str | None) -> bool:
    text = (piece or "").strip(SPACE_MARKS)
    return text == "null" or (bool(text) and set(text) <= set('"]}'))


def _repeats(out: list[int], n: int) -> set[int]:
    """Tokens that would complete an n-gram already present in `out`."""
    if len(out) < n:
        return set()
    context = out[len(out) - n + 1:]
    return {out[i + n - 1] for i in range(len(out) - n + 1) if out[i:i + n - 1] == context}


def _allowed(matcher: llguidance.LLMatcher, vocab_size: int) -> np.ndarray:
    """The grammar's next-token mask as a boolean array over the vocabulary."""
    bits = np.unpackbits(np.frombuffer(matcher.compute_bitmask(), dtype=np.uint8),
                         bitorder="little")
    return bits[:vocab_size].astype(bool)


def _only_stop(allowed: np.ndarray, stop_ids: set[int]) -> bool:
    candidates = np.flatnonzero(allowed)
    return candidates.size > 0 and all(int(t) in stop_ids for t in candidates)


def _check(ok: bool, matcher: llguidance.LLMatcher) -> None:
    if not ok or matcher.is_error():
        raise LLMError(f"constrained decoding failed: {matcher.get_error()}")


def _releasable(text: str, stops: Sequence[str]) -> str:
    """`text` less a tail that could still grow into a stop string or a multi-byte character."""
    keep = len(text.rstrip("\ufffd"))
    for stop in stops:
        for size in range(min(len(stop) - 1, keep), 0, -1):
            if text[:keep].endswith(stop[:size]):
                keep -= size
                break
    return text[:keep]


def _first_stop(text: str, stops: Sequence[str]) -> int | None:
    hits = [text.find(s) for s in stops if s and s in text]
    return min(hits) if hits else None


def _stop_ids(tokenizer: Any, model: Any) -> set[int]:
    ids = {tokenizer.eos_token_id}
    configured = getattr(model.generation_config, "eos_token_id", None)
    ids.update(configured if isinstance(configured, list) else [configured])
    im_end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    if isinstance(im_end, int) and im_end != tokenizer.unk_token_id:
        ids.add(im_end)
    return {int(i) for i in ids if i is not None}


def _split_head(model: Any) -> tuple[Any, Any]:
    """(decoder body, output head) when logits are exactly `head(body(x))`, else (None, None)."""
    body = getattr(model, getattr(model, "base_model_prefix", ""), None)
    head = model.get_output_embeddings()
    plain = (model.config.model_type in PLAIN_HEAD_MODELS and body is not None
             and isinstance(head, (torch.nn.Linear, Int8Linear)) and head.bias is None)
    return (body, head) if plain else (None, None)

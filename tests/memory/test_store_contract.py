"""One contract for every Store (SQLite and a real PostgreSQL): turns, state, profiles, locks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from convrec.memory.history import ConversationHistory, Turn
from convrec.memory.profile_model import ProfileUpdate, UserProfile
from convrec.memory.store import (
    MAX_RECENT_TURNS,
    SessionState,
    Store,
    StoreError,
    open_store,
)

OpenStore = Callable[[], Store]


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def open_one(location: str) -> Iterator[OpenStore]:
    """Opens a store at the test's location; each call is a new connection, as another
    process would have. All are closed after the test."""
    opened: list[Store] = []

    def make() -> Store:
        opened.append(open_store(location))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


def one_turn(store: Store, session: str, item: int, message: str = "more") -> SessionState:
    with store.turn(session) as turn:
        state = turn.state.record(message, f"reply to {message}", {"genres": ["Drama"]},
                                  [item], request=True)
        turn.save(state, ProfileUpdate(seen=(item,)))
    return state


def test_a_new_session_is_empty_and_a_saved_turn_is_read_back(open_one: OpenStore) -> None:
    store = open_one()
    with store.turn("ann") as turn:
        assert turn.profile == UserProfile() and turn.state == SessionState()
        state = turn.state.record("some 90s sci-fi please", "Here are 5 picks",
                                  {"genres": ["Sci-Fi"], "year_min": 1990}, [7, 3, 9], True)
        saved = turn.save(state, ProfileUpdate(liked=(50,), genres=("Sci-Fi",)))
    assert saved.liked == [50]
    reopened = open_one()
    assert reopened.session("ann") == state
    assert reopened.session("ann").last_shown == (7, 3, 9)
    assert reopened.get("ann").expectations.genres == ["Sci-Fi"]
    assert reopened.session("bob") == SessionState() and reopened.get("bob") == UserProfile()


def test_a_turn_left_without_saving_writes_nothing(open_one: OpenStore) -> None:
    store = open_one()
    one_turn(store, "ann", 1)
    with pytest.raises(RuntimeError, match="the turn failed"):
        with store.turn("ann") as turn:
            turn.state.record("x", "y", None, [2], True)
            raise RuntimeError("the turn failed")
    assert store.session("ann").shown == (1,) and store.get("ann").seen == [1]
    with store.turn("ann") as turn:  # and the lock was released
        assert turn.state.turns == 1


def test_a_turn_saves_once(open_one: OpenStore) -> None:
    with open_one().turn("ann") as turn:
        turn.save(turn.state)
        with pytest.raises(RuntimeError, match="already saved"):
            turn.save(turn.state)


def test_last_shown_is_the_last_list_and_shown_accumulates(open_one: OpenStore) -> None:
    state = SessionState().record("90s sci-fi", "5 picks", {"genres": ["Sci-Fi"]}, [4, 5], True)
    state = state.record("tell me about the second one", "It is ...", {"intent": "info"},
                         [5], False)
    assert state.last_shown == (5,) and state.shown == (4, 5)
    assert state.frame == {"genres": ["Sci-Fi"]}  # an info turn keeps the request to refine
    state = state.record("thanks", "You're welcome", {"intent": "chat"}, [], False)
    assert state.last_shown == (5,) and state.turns == 3  # a reply without items keeps it
    state = state.record("something older", "5 more", {"genres": ["Sci-Fi"], "year_max": 1989},
                         [8, 4], True)
    assert state.last_shown == (8, 4) and state.shown == (4, 5, 8)
    store = open_one()
    with store.turn("ann") as turn:
        turn.save(state)
    assert store.session("ann") == state


def test_recent_turns_are_kept_and_rebuild_a_history(open_one: OpenStore) -> None:
    store = open_one()
    for i in range(MAX_RECENT_TURNS + 3):
        one_turn(store, "ann", i, message=f"message {i}")
    state = store.session("ann")
    assert state.turns == MAX_RECENT_TURNS + 3
    assert [t.user for t in state.recent] == [f"message {i}" for i in
                                              range(3, MAX_RECENT_TURNS + 3)]
    history = ConversationHistory.from_turns(WordCounter(), state.recent,
                                             earlier=state.turns - len(state.recent))
    assert history.turns == list(state.recent)
    assert history.messages()[0]["content"].startswith("[3 earlier turn(s) not shown")
    assert history.messages()[1] == {"role": "user", "content": "message 3"}
    assert history.last_frame() == {"genres": ["Drama"]}


def test_a_feedback_given_while_a_turn_runs_is_kept(open_one: OpenStore) -> None:
    store, other = open_one(), open_one()
    with store.turn("ann") as turn:
        other.like("ann", 42)  # another process, between the turn's load and its save
        turn.save(turn.state.record("x", "y", None, [1], True), ProfileUpdate(seen=(7,)))
    profile = store.get("ann")
    assert profile.liked == [42] and profile.seen == [7]


def test_turns_of_one_session_from_two_stores_never_interleave(open_one: OpenStore) -> None:
    first, second = open_one(), open_one()
    entered = threading.Event()
    order: list[str] = []

    def waiting_turn() -> None:
        entered.wait(10)
        with second.turn("ann") as turn:
            order.append(f"second starts after {turn.state.turns}")
            turn.save(turn.state.record("b", "b", None, [2], True))

    thread = threading.Thread(target=waiting_turn)
    thread.start()
    with first.turn("ann") as turn:
        entered.set()
        time.sleep(0.5)  # the second turn is waiting for the lock now
        order.append("first saves")
        turn.save(turn.state.record("a", "a", None, [1], True))
    thread.join(10)
    assert order == ["first saves", "second starts after 1"]
    assert first.session("ann").shown == (1, 2)


def test_other_sessions_are_not_held_up_by_a_running_turn(open_one: OpenStore) -> None:
    first, second = open_one(), open_one()
    with first.turn("ann"):
        started = time.perf_counter()
        one_turn(second, "bob", 1)
        assert time.perf_counter() - started < 2.0


def test_16_threads_over_8_sessions_lose_no_turn(open_one: OpenStore) -> None:
    stores = [open_one(), open_one()]  # two connections, as two processes
    n_threads, n_turns, errors = 16, 10, []

    def chat(k: int) -> None:
        try:
            for i in range(n_turns):
                one_turn(stores[k % 2], f"session-{k % 8}", k * 100 + i)
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=chat, args=(k,)) for k in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    for s in range(8):
        state, profile = stores[0].session(f"session-{s}"), stores[1].get(f"session-{s}")
        expected = {k * 100 + i for k in (s, s + 8) for i in range(n_turns)}
        assert state.turns == 2 * n_turns
        assert set(state.shown) == expected and set(profile.seen) == expected


def test_reset_forgets_the_profile_and_the_conversation(open_one: OpenStore) -> None:
    store = open_one()
    one_turn(store, "ann", 1)
    store.like("ann", 5)
    assert store.reset("ann") == UserProfile()
    assert store.get("ann") == UserProfile() and store.session("ann") == SessionState()
    assert "ann" in store.list_users()
    assert store.delete("ann") is True and store.delete("ann") is False
    assert store.list_users() == []


def test_profile_changes_between_turns(open_one: OpenStore) -> None:
    store = open_one()
    store.like("ann", 1)
    store.dislike("ann", 2)
    store.mark_seen("ann", [3, 3, 4])
    store.update("ann", {"exclude_genres": ["Horror"]})
    store.save("bob", UserProfile(liked=[9]))
    profile = store.get("ann")
    assert (profile.liked, profile.disliked, profile.seen) == ([1], [2], [3, 4])
    assert profile.expectations.exclude_genres == ["Horror"]
    assert store.list_users() == ["ann", "bob"]
    with pytest.raises(ValueError, match="allowed"):
        store.update("ann", {"likes": [1]})
    with pytest.raises(ValueError, match="session id"):
        store.turn("").__enter__()
    with pytest.raises(ValueError, match="user id"):
        store.get("a\nb")


def test_an_unknown_scheme_is_refused_with_the_choices() -> None:
    with pytest.raises(StoreError, match="postgresql://"):
        open_store("mysql://me@localhost/db")


def test_stored_turns_round_trip() -> None:
    turn = Turn("hi", "hello", {"genres": ["Comedy"]})
    assert Turn.from_dict(turn.to_dict()) == turn
    with pytest.raises(ValueError, match="strings"):
        Turn.from_dict({"user": 1, "assistant": "x"})


class WordCounter:
    """One token per word: enough to rebuild a history without a tokenizer."""

    name = "words"

    def count(self, text: str) -> int:
        return len(text.split())

    def truncate(self, text: str, max_tokens: int) -> str:
        return " ".join(text.split()[:max_tokens])

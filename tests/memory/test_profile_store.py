"""ProfileStore: persistence, isolation, concurrency, crash safety, feedback semantics."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from convrec.memory.profile import (
    ProfileStore,
    ProfileUpdate,
    UserProfile,
    excluded_ids,
)

STAR_WARS, GODFATHER, TOY_STORY = 49, 126, 0


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "profiles.sqlite"


def test_new_user_gets_an_empty_profile(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        assert store.get("alice") == UserProfile()
        assert store.list_users() == []


def test_profile_survives_a_restart(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        store.update(
            "alice",
            {"liked": [STAR_WARS], "seen": [TOY_STORY], "exclude_genres": ["Horror"],
             "year_min": 1990, "notes": ["watches with kids"]},
        )
        store.dislike("alice", GODFATHER)
    with ProfileStore(db_path) as reopened:
        profile = reopened.get("alice")
    assert profile.liked == [STAR_WARS]
    assert profile.disliked == [GODFATHER]
    assert profile.seen == [TOY_STORY]
    assert profile.expectations.exclude_genres == ["Horror"]
    assert profile.expectations.year_min == 1990
    assert profile.expectations.notes == ["watches with kids"]


def test_the_database_is_in_wal_mode(db_path: Path) -> None:
    ProfileStore(db_path).close()
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_users_do_not_see_each_other(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        store.like("alice", STAR_WARS)
        store.update("bob", {"exclude_genres": ["Horror"]})
        assert store.get("bob").liked == []
        assert store.get("alice").expectations.exclude_genres == []
        assert store.list_users() == ["alice", "bob"]


def test_get_returns_a_copy_that_changes_nothing_until_saved(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        profile = store.get("alice")
        profile.like(STAR_WARS)
        assert store.get("alice").liked == []
        store.save("alice", profile)
        assert store.get("alice").liked == [STAR_WARS]


def test_reset_empties_and_delete_removes(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        store.like("alice", STAR_WARS)
        store.like("bob", GODFATHER)
        assert store.reset("alice") == UserProfile()
        assert store.get("alice") == UserProfile()
        assert store.delete("bob") is True
        assert store.delete("bob") is False
        assert store.list_users() == ["alice"]


@pytest.mark.parametrize("bad", ["", "   ", "a" * 129, "a\nb", "tab\there", "nul\x00", None, 7])
def test_bad_user_ids_are_refused_with_a_clear_error(db_path: Path, bad: object) -> None:
    with ProfileStore(db_path) as store:
        with pytest.raises(ValueError, match="user id"):
            store.get(bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="user id"):
            store.like(bad, STAR_WARS)  # type: ignore[arg-type]
        assert store.list_users() == []


def test_like_and_dislike_replace_each_other(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        store.like("alice", STAR_WARS)
        profile = store.dislike("alice", STAR_WARS)
        assert (profile.liked, profile.disliked) == ([], [STAR_WARS])
        profile = store.like("alice", STAR_WARS)
        assert (profile.liked, profile.disliked) == ([STAR_WARS], [])
        profile = store.like("alice", STAR_WARS)
        assert profile.liked == [STAR_WARS]


def test_excluded_ids_are_seen_or_disliked(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        store.mark_seen("alice", [TOY_STORY, TOY_STORY, 7])
        store.dislike("alice", GODFATHER)
        profile = store.like("alice", STAR_WARS)
    assert profile.seen == [TOY_STORY, 7]
    assert excluded_ids(profile) == {TOY_STORY, 7, GODFATHER}


def test_bad_item_ids_are_refused_and_nothing_is_written(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        for bad in (-1, "49", 1.5, True):
            with pytest.raises(ValueError, match="item id"):
                store.like("alice", bad)  # type: ignore[arg-type]
        assert store.list_users() == []


def test_an_update_that_raises_writes_nothing(db_path: Path) -> None:
    def half_done(profile: UserProfile) -> None:
        profile.like(STAR_WARS)
        raise RuntimeError("the turn failed")

    with ProfileStore(db_path) as store:
        store.like("alice", GODFATHER)
        with pytest.raises(RuntimeError, match="the turn failed"):
            store.update("alice", half_done)
        assert store.get("alice").liked == [GODFATHER]


def test_unknown_change_names_are_refused(db_path: Path) -> None:
    with ProfileStore(db_path) as store:
        with pytest.raises(ValueError, match="allowed"):
            store.update("alice", {"likes": [STAR_WARS]})


def test_expectations_later_statements_win() -> None:
    profile = UserProfile()
    profile.apply(ProfileUpdate(genres=("Horror", "Comedy"), year_min=1990))
    profile.apply(ProfileUpdate(exclude_genres=("horror",), year_max=1980))
    exp = profile.expectations
    assert exp.genres == ["Comedy"]
    assert exp.exclude_genres == ["horror"]
    assert (exp.year_min, exp.year_max) == (None, 1980)
    profile.apply(ProfileUpdate(forget_genres=("Horror",), clear_years=True))
    assert exp.exclude_genres == [] and (exp.year_min, exp.year_max) == (None, None)


def test_sixteen_threads_on_different_users_lose_nothing(db_path: Path) -> None:
    n_threads, n_updates = 16, 30
    errors: list[BaseException] = []

    def chat(k: int, store: ProfileStore) -> None:
        try:
            for i in range(n_updates):
                store.like(f"user-{k}", k * 1000 + i)
                store.update(f"user-{k}", {"notes": [f"note {k}-{i}"], "seen": [k * 1000 + i]})
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    with ProfileStore(db_path, synchronous="NORMAL") as store:
        threads = [threading.Thread(target=chat, args=(k, store)) for k in range(n_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors
        for k in range(n_threads):
            profile = store.get(f"user-{k}")
            assert profile.liked == [k * 1000 + i for i in range(n_updates)]
            assert profile.seen == profile.liked
            assert all(note.startswith(f"note {k}-") for note in profile.expectations.notes)


def test_concurrent_writers_on_one_user_lose_no_update(db_path: Path) -> None:
    """Two stores (two connections, as two processes would have) and 16 threads, one user."""
    stores = [ProfileStore(db_path, synchronous="NORMAL") for _ in range(2)]
    n_threads, n_updates = 16, 20

    def chat(k: int) -> None:
        for i in range(n_updates):
            stores[k % 2].mark_seen("shared", [k * 100 + i])

    threads = [threading.Thread(target=chat, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    seen = set(stores[0].get("shared").seen)
    for store in stores:
        store.close()
    assert seen == {k * 100 + i for k in range(n_threads) for i in range(n_updates)}


WRITER = """
import sys
from convrec.memory.profile import ProfileStore
store = ProfileStore(sys.argv[1])
start = int(sys.argv[2])
for i in range(start, start + 100000):
    store.update(f"user-{i % 4}", {"liked": [i], "notes": [f"turn {i}"]})
    print(i, flush=True)
"""


def _run_and_kill(db_path: Path, start: int, acked_before_kill: int) -> list[int]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(start)],
        stdout=subprocess.PIPE, text=True,
    )
    acked: list[int] = []
    watchdog = threading.Timer(60, proc.kill)  # bounds the test even if the writer hangs
    watchdog.start()
    try:
        assert proc.stdout is not None
        while len(acked) < acked_before_kill:
            line = proc.stdout.readline()
            if not line:
                break
            acked.append(int(line))
        os.kill(proc.pid, signal.SIGKILL)
        acked.extend(int(line) for line in proc.stdout.read().split())
    finally:
        watchdog.cancel()
        proc.kill()
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    return acked


def test_sigkill_mid_write_keeps_every_acknowledged_turn(db_path: Path) -> None:
    ProfileStore(db_path).close()
    acked: list[int] = []
    for round_no, kill_after in enumerate((40, 75, 110)):
        acked += _run_and_kill(db_path, start=round_no * 100000, acked_before_kill=kill_after)
    assert len(acked) >= 40 * 3
    with ProfileStore(db_path) as store:
        assert store.integrity_check() == "ok"
        liked = {i for k in range(4) for i in store.get(f"user-{k}").liked}
    missing = [i for i in acked if i not in liked]
    assert not missing, f"{len(missing)} acknowledged turns lost, e.g. {missing[:5]}"

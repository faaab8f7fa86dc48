"""Any process continues any session: the agent keeps no session state of its own.

A real PostgreSQL server (tests/conftest.py) is restarted, stopped and shared by processes;
the default SQLite file is shared the same way.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from convrec.agent.core import MEMORY_DOWN_NOTE, RecAgent
from convrec.agent.inputs import clean_message
from convrec.memory.pg_cluster import TemporaryCluster
from convrec.memory.store import MAX_RECENT_TURNS, StoreUnavailable, open_store

FIRST, SECOND = "some 90s sci-fi please", "something older"


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "profiles.sqlite")
    return request.getfixturevalue("postgres_url")


def on(agent: RecAgent, location: str) -> RecAgent:
    """An agent on the shared parts, keeping sessions at `location`."""
    return RecAgent(agent.parts, open_store(location), "deterministic")


def reference(agent: RecAgent, tmp_path: Path, *messages: str) -> list[list[int]]:
    """The items one process answers a conversation with, on a fresh SQLite store."""
    alone = on(agent, str(tmp_path / "reference.sqlite"))
    return [[i.id for i in alone.chat(m, "ref").items] for m in messages]


def ask(home: Path, location: str, message: str) -> dict:
    """`convrec ask` in a process of its own: a new agent process per turn."""
    done = subprocess.run(
        [sys.executable, "-m", "convrec.cli", "ask", message, "--llm", "deterministic",
         "--session", "ann", "--store", location, "--json"],
        capture_output=True, text=True, timeout=180,
        env={**os.environ, "CONVREC_HOME": str(home)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.slow
def test_two_processes_continue_one_session(agent, home, location, tmp_path):
    first = ask(home, location, FIRST)
    second = ask(home, location, SECOND)
    expected = reference(agent, tmp_path, FIRST, SECOND)
    assert [[i["id"] for i in r["items"]] for r in (first, second)] == expected
    assert all("Sci-Fi" in i["genres"] and i["year"] < 1990 for i in second["items"])
    with open_store(location) as store:
        state = store.session("ann")
    assert state.turns == 2 and state.last_shown == tuple(expected[1])
    assert [t.user for t in state.recent] == [FIRST, SECOND]


def test_16_threads_over_8_sessions_on_two_agents_lose_nothing(agent, location):
    """Two agents on one store (as two processes); each session gets turns from 2 threads."""
    agents = [on(agent, location), on(agent, location)]
    catalog, match = agent.parts.toolkit.catalog, agent.parts.match_title
    titles = [(item.id, item.display_title) for item in catalog.items(range(300, 500))]
    titles = [(i, t) for i, t in titles if match(t)[0] == i and len(t.split()) >= 2][:64]
    errors: list[BaseException] = []

    def chat(k: int) -> None:
        try:
            for item_id, title in titles[k::16]:
                agents[k % 2].chat(f"I've seen {title}", f"user-{k % 8}")
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=chat, args=(k,)) for k in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not errors, errors
    store = agents[0].store
    for s in range(8):
        mine = [titles[j] for k in (s, s + 8) for j in range(k, len(titles), 16)]
        state = store.session(f"user-{s}")
        assert state.turns == len(mine)
        assert {i for i, _ in mine} <= set(store.get(f"user-{s}").seen)
        # an interleaved turn would have saved over the other one: a turn short
        assert {t.user for t in state.recent} <= {f"I've seen {title}" for _, title in mine}
        assert len(state.recent) == min(len(mine), MAX_RECENT_TURNS)


def test_a_server_restart_between_turns_loses_nothing(agent, postgres: TemporaryCluster,
                                                       postgres_url, tmp_path):
    served = on(agent, postgres_url)
    first = served.chat(FIRST, "ann")
    postgres.restart()
    second = served.chat(SECOND, "ann")
    assert MEMORY_DOWN_NOTE not in second.text
    assert [[i.id for i in r.items] for r in (first, second)] == \
        reference(agent, tmp_path, FIRST, SECOND)


def test_an_unreachable_database_still_answers_says_so_and_loses_nothing(
        agent, postgres: TemporaryCluster, postgres_url, tmp_path, caplog):
    served = on(agent, postgres_url)
    served.chat(FIRST, "ann")
    postgres.stop()
    try:
        with caplog.at_level(logging.ERROR, logger="convrec.agent.core"):
            started = time.perf_counter()
            down = served.chat("comedies from the 80s", "ann")
        assert time.perf_counter() - started < 10.0
        assert down.items and MEMORY_DOWN_NOTE in down.text
        assert any("could not reach the PostgreSQL store" in r.getMessage()
                   for r in caplog.records)
        with pytest.raises(StoreUnavailable):
            served.profile("ann")
    finally:
        postgres.start()
    again = served.chat(SECOND, "ann")  # continues from the last turn that was stored
    assert [i.id for i in again.items] == reference(agent, tmp_path, FIRST, SECOND)[1]
    assert served.store.session("ann").turns == 2


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_bad_store_url_is_a_clear_error_before_anything_loads(home):
    started = time.perf_counter()
    with pytest.raises(StoreUnavailable, match="CONVREC_STORE / --store"):
        RecAgent.default(home, llm="deterministic",
                         store=f"postgresql://convrec@127.0.0.1:{closed_port()}/convrec")
    assert time.perf_counter() - started < 5.0


def test_the_store_is_chosen_by_convrec_store_or_the_flag():
    from convrec.cli import build_parser
    from convrec.settings import Settings

    url = "postgresql://convrec@db-host/convrec"
    assert Settings.from_env({"CONVREC_STORE": url}).store == url
    assert Settings.from_env({}).store is None
    for command in (["ask", "hi"], ["chat"], ["ui"]):
        assert build_parser().parse_args([*command, "--store", url]).store == url


def test_a_message_is_stored_as_it_was_read(agent, location):
    served = on(agent, location)
    message = "some 90s sci-fi please " + "x" * 3000
    reply = served.chat(message, "long")
    turn = served.store.session("long").recent[-1]
    assert turn.user == clean_message(message).text and turn.assistant == reply.text[:2000]

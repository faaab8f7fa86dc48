"""16 sessions chatting at once through one RecAgent see exactly what they would see alone,
with sessions and profiles in SQLite or in PostgreSQL."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest

from convrec.agent.core import RecAgent
from convrec.memory.store import open_store

N_SESSIONS = 16
REQUESTS = ["recommend 90s sci-fi", "comedies from the 80s", "some crime films please",
            "a romantic drama", "action movies, nothing with horror", "something for kids"]


def sessions(agent: RecAgent) -> dict[str, tuple[list[int], list[str]]]:
    """Per session: a history of 6 popular films no other session has, and two messages.

    Popular films would otherwise come up in every reply, so a session that used another's
    history (or its frame or profile) would get different items.
    """
    popularity = agent.parts.toolkit.arrays.popularity
    popular = [int(i) for i in popularity.argsort()[::-1][: 6 * N_SESSIONS]]
    catalog = agent.parts.toolkit.catalog
    plan = {}
    for k in range(N_SESSIONS):
        history = popular[k::N_SESSIONS]
        loved = catalog.item(history[0]).display_title
        first = REQUESTS[k % len(REQUESTS)] if k % 3 else f"I loved {loved}, more like it"
        plan[f"user-{k:02d}"] = (history, [first, "something older" if k % 2 else "more"])
    return plan


def converse(agent: RecAgent, session: str, history: list[int], messages: list[str]
             ) -> list[list[int]]:
    agent.set_history(session, history)
    return [[i.id for i in agent.chat(m, session).items] for m in messages]


_databases = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request: pytest.FixtureRequest, agent: RecAgent, tmp_path: Path):
    """`fresh(name)`: an agent on the shared parts with a new, empty store."""
    def make(name: str) -> RecAgent:
        if request.param == "sqlite":
            location = str(tmp_path / f"{name}.sqlite")
        else:
            location = request.getfixturevalue("postgres").url(
                f"concurrency_{next(_databases)}")
        return RecAgent(agent.parts, open_store(location), "deterministic")

    return make


def test_16_concurrent_sessions_get_what_they_would_get_alone(agent, fresh):
    plan = sessions(agent)
    alone_agent = fresh("alone")
    alone = {s: converse(alone_agent, s, h, m) for s, (h, m) in plan.items()}

    shared = fresh("shared")
    together: dict[str, list[list[int]]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(N_SESSIONS)

    def run(session: str) -> None:
        try:
            start.wait(timeout=30)
            together[session] = converse(shared, session, *plan[session])
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)

    assert together == alone
    for session, (history, _) in plan.items():
        others = {i for s, (h, _) in plan.items() if s != session for i in h}
        shown = {i for turn in together[session] for i in turn}
        assert shown and not shown & set(history)  # own past excluded, so own state was used
        profile = shared.profile(session)
        assert set(history) <= set(profile.seen)
        assert not {*profile.seen, *profile.liked, *profile.disliked} & others
        assert profile == alone_agent.profile(session)

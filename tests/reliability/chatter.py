"""A child process for the persistence tests: chats on a store, then exits or dies.

    python chatter.py HOME STORE restart   # a few turns and feedback for 'ann', a clean exit
    python chatter.py HOME STORE loop      # "I've seen <title>" turns for 'kim', one line each:
                                           # "start i" before a turn, "done i <item id>" after
STORE is a SQLite file or a postgresql:// URL.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from convrec.agent.assemble import build_agent
from convrec.agent.planner import PlanRequest


class SlowPlanner:
    """The deterministic planner, slowed so that a turn lasts long enough to be killed in."""

    def __init__(self, planner, delay: float):
        self.planner, self.delay, self.source = planner, delay, planner.source

    def plan(self, request: PlanRequest):
        time.sleep(self.delay)
        return self.planner.plan(request)


def main(home: str, store: str, mode: str) -> None:
    agent = build_agent(Path(home), llm="deterministic", store=store)
    if mode == "restart":
        agent.set_history("ann", [0, 49])
        agent.feedback("ann", 126, "like")
        agent.chat("I loved Fargo", "ann")
        print("done", flush=True)
        return
    agent.parts.fallback = SlowPlanner(agent.parts.fallback, 0.15)
    catalog, match = agent.parts.toolkit.catalog, agent.parts.match_title
    titles = [(item.id, item.display_title) for item in catalog.items(range(200, 400))]
    titles = [(i, t) for i, t in titles if match(t)[0] == i and len(t.split()) >= 2]
    for n, (item_id, title) in enumerate(titles):
        print(f"start {n}", flush=True)
        agent.chat(f"I've seen {title}", "kim")
        print(f"done {n} {item_id}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])

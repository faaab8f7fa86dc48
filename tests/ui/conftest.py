"""A scripted stand-in with RecAgent's UI-facing interface, for the unit tests only.

The browser test uses the real agent; this one lets the adapter and handler tests script
exactly which steps a turn yields (including failures).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from convrec.agent.trace import (
    CriticStep,
    PlanningStep,
    RecommendedItem,
    ReplyStep,
    Step,
    ToolStep,
)
from convrec.memory.profile import UserProfile

ITEMS = (
    RecommendedItem(49, "Star Wars", 1977, ("Action", "Sci-Fi"), 0.9, "a space classic"),
    RecommendedItem(81, "Jurassic Park", 1993, ("Action", "Sci-Fi"), 0.8, "dinosaurs"),
    RecommendedItem(0, "Toy Story", 1995, ("Animation", "Comedy"), 0.7, "fun for all"),
)


def scripted_turn(items: tuple[RecommendedItem, ...] = ITEMS, replan: bool = True) -> list[Step]:
    steps: list[Step] = [
        PlanningStep(0, "llm", {"genres": ["Sci-Fi"], "year_min": 1990}, 0.1),
        ToolStep(0, "filter", {"genres": ["Sci-Fi"]}, 1682, 0, 0.01, "0 items"),
        CriticStep(0, False, ("no items left after the filters",)),
    ]
    if replan:
        steps += [PlanningStep(1, "extractor", {"genres": ["Sci-Fi"]}, 0.02),
                  ToolStep(1, "rank", {"model": "als"}, 101, len(items), 0.03, "ranked"),
                  CriticStep(1, True)]
    return [*steps, ReplyStep("Here are some picks.", items, 0.2)]


class StandInAgent:
    """Same interface as RecAgent's UI part; per-session profiles; optional failure."""

    def __init__(self, llm_name: str = "stand-in", fail_with: Exception | None = None):
        self.llm_name = llm_name
        self.fail_with = fail_with
        self.profiles: dict[str, UserProfile] = {}
        self.messages: list[tuple[str, str]] = []

    def stream(self, message: str, session_id: str = "default", n: int = 5) -> Iterator[Step]:
        self.messages.append((session_id, message))
        if self.fail_with is not None:
            raise self.fail_with
        banned = self.profile(session_id).excluded_ids()
        items = tuple(i for i in ITEMS if i.id not in banned)[:n]
        yield from scripted_turn(items)

    def feedback(self, session_id: str, item_id: int, kind: str) -> UserProfile:
        profile = self.profile(session_id)
        {"like": profile.like, "dislike": profile.dislike,
         "seen": lambda i: profile.mark_seen([i])}[kind](item_id)
        return profile

    def profile(self, session_id: str) -> UserProfile:
        return self.profiles.setdefault(session_id, UserProfile())

    def reset(self, session_id: str) -> None:
        self.profiles.pop(session_id, None)


@pytest.fixture
def stand_in() -> StandInAgent:
    return StandInAgent()


@pytest.fixture
def make_agent() -> type[StandInAgent]:
    return StandInAgent


@pytest.fixture
def scripted() -> object:
    return scripted_turn

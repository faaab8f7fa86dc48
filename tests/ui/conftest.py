"""A scripted stand-in with RecAgent's UI-facing interface, for the unit tests only.

The browser test uses the real agent; this one lets the adapter and handler tests script
exactly which steps a turn yields (including failures).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from convrec.agent.answers import CatalogFacts
from convrec.agent.trace import (
    CriticStep,
    PlanningStep,
    RecommendedItem,
    ReplyStep,
    Step,
    ToolStep,
)
from convrec.memory.profile import UserProfile
from convrec.ui.backend import forget

ITEMS = (
    RecommendedItem(49, "Star Wars", 1977, ("Action", "Sci-Fi"), 0.9, "a space classic", 583,
                    4.36),
    RecommendedItem(81, "Jurassic Park", 1993, ("Action", "Sci-Fi"), 0.8, "dinosaurs", 261,
                    3.71),
    RecommendedItem(0, "Toy Story", 1995, ("Animation", "Comedy"), 0.7, "fun for all", 452,
                    3.88),
)
FARGO = RecommendedItem(99, "Fargo", 1996, ("Crime", "Drama"), 0.0, "", 508, 4.16)
TITLES = {i.id: i.label() for i in (*ITEMS, FARGO)} | {312: "Titanic (1997)"}
FACTS = CatalogFacts(("Action", "Comedy", "Sci-Fi"), 1922, 1998, True, 1682, noun="film",
                     nouns="films", example="Star Wars")


def scripted_turn(items: tuple[RecommendedItem, ...] = ITEMS, replan: bool = True) -> list[Step]:
    steps: list[Step] = [
        PlanningStep(0, "llm", {"genres": ["Sci-Fi"], "year_min": 1990}, 0.1),
        ToolStep(0, "filter_items", {"genres_all": ["Sci-Fi"], "year_min": 1990}, 1682, 1682,
                 0.01, "", error="no candidate satisfies genres Sci-Fi; years 1990-"),
        CriticStep(0, False, ("no items left after the filters",)),
    ]
    if replan:
        steps += [PlanningStep(1, "extractor", {"genres": ["Sci-Fi"]}, 0.02),
                  ToolStep(1, "filter_items", {"genres_all": ["Sci-Fi"]}, 1682, 101, 0.01,
                           "Kept 101"),
                  ToolStep(1, "rank_candidates", {"ranker": "als"}, 101, 101, 0.03, "ranked"),
                  CriticStep(1, True)]
    listed = [f"{n}. {item.label()} - {', '.join(item.genres)} ({item.reason})"
              for n, item in enumerate(items, 1)]
    return [*steps, ReplyStep("\n".join(["Here are some picks.", *listed]), items, 0.2)]


def info_turn() -> list[Step]:
    """"tell me about Fargo": an info answer whose item is what was asked about."""
    return [PlanningStep(0, "extractor", {"intent": "info", "about": ["Fargo"]}, 0.01),
            ToolStep(0, "item_info", {"item_ids": [99]}, 1682, 1682, 0.01, "Fargo: 1996"),
            CriticStep(0, True),
            ReplyStep("Fargo is Crime, Drama, from 1996; 508 people rated it.", (FARGO,), 0.1)]


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
        if "about" in message:
            yield from info_turn()
            return
        banned = self.profile(session_id).excluded_ids()
        items = tuple(i for i in ITEMS if i.id not in banned)[:n]
        yield from scripted_turn(items)

    def feedback(self, session_id: str, item_id: int, kind: str) -> UserProfile:
        profile = self.profile(session_id)
        {"like": profile.like, "dislike": profile.dislike,
         "seen": lambda i: profile.mark_seen([i])}[kind](item_id)
        return profile

    def undo_feedback(self, session_id: str, item_id: int, kind: str) -> UserProfile:
        profile = self.profile(session_id)
        forget(profile, item_id, kind)
        return profile

    def profile(self, session_id: str) -> UserProfile:
        return self.profiles.setdefault(session_id, UserProfile())

    def titles(self, item_ids) -> dict[int, str]:
        return {i: TITLES[i] for i in item_ids}

    def facts(self) -> CatalogFacts:
        return FACTS

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


@pytest.fixture
def info() -> object:
    return info_turn

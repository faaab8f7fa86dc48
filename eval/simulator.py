"""Simulated users with a hidden target item (InteRecAgent's session-wise protocol).

The target is the user's held-out test item; the user's train + valid items are the
session's past. The scripted user never says the title. It opens with one of the
target's genres and on every later turn rejects what was shown (in words, and the runner
sends a "dislike" for each item) and reveals one more attribute, in this order:

    1. a first genre of the target (seeded pick)         -- the opening request
    2. a second genre, if the target has one
    3. the decade of the target's year
    4. a five-year range around the year (year-2 .. year+2)
    5. the liked item of its history most similar to the target (genre overlap, then
       closeness in year, then recency)
    6. any remaining genres, then further liked items
Steps without data (no year, a single genre) are skipped. Every message passes the title
guard (`convrec.eval.guard`); a message that would name the target is written again.
`LLMUser` has an LLM say the same things in its own words, under the same guard.

`StatedUser` is the same user for an agent that was given no history: its opening first
names its `STATED_ITEMS` most recent titles, in the order watched ("Lately I watched and
liked A, B and C. Any good comedies?"), as people do in a chat.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

import numpy as np
import pandas as pd

from convrec.eval import phrasing as ph
from convrec.eval.guard import TitleLeakError, names_title
from convrec.recsys.catalog import Catalog, CatalogItem
from convrec.recsys.data import Split

log = logging.getLogger(__name__)

LIKED_RATING = 4
ATTEMPTS = 8
STATED_ITEMS = 5
STATED = ("Lately I watched and liked {titles}.", "I recently enjoyed {titles}.",
          "The last movies I liked were {titles}.")
AttributeKind = Literal["genre", "decade", "years", "liked"]


@dataclass(frozen=True)
class UserFacts:
    """What the simulated user knows: its target, its past and the liked items to name."""

    user_id: int
    target: CatalogItem
    history: tuple[int, ...]  # train + valid items, oldest first
    liked: tuple[CatalogItem, ...]  # liked history items, most similar to the target first
    recent: tuple[CatalogItem, ...] = ()  # the last STATED_ITEMS of the history, oldest first

    @property
    def target_titles(self) -> tuple[str, str]:
        return (self.target.title, self.target.display_title)


@dataclass(frozen=True)
class Attribute:
    kind: AttributeKind
    genre: str = ""
    year: int = 0
    item: CatalogItem | None = None


@dataclass(frozen=True)
class UserTurn:
    """One simulated message: the text, the items to dislike, and what it means."""

    message: str
    dislikes: tuple[int, ...] = ()
    intent: str = ""
    guard_rejections: int = 0


class SimulatedUser(Protocol):
    facts: UserFacts

    @property
    def stated_ids(self) -> tuple[int, ...]: ...

    def opening(self) -> UserTurn: ...

    def react(self, shown: Sequence[int], titles: Sequence[str]) -> UserTurn: ...


def sample_users(split: Split, n: int, seed: int) -> list[int]:
    """`n` users with a test item; a seeded permutation, so smaller runs are prefixes."""
    users = np.sort(split.test["user_id"].to_numpy())
    if n > len(users):
        raise ValueError(f"--users {n} is more than the {len(users)} users with a test item")
    return [int(u) for u in np.random.default_rng(seed).permutation(users)[:n]]


def build_facts(split: Split, catalog: Catalog, user_id: int, part: str = "test") -> UserFacts:
    """The target (test item), past (train + valid) and ranked liked items of one user.

    part="valid" is the validation protocol: the valid item is the target and the past is
    train alone (for choosing settings without touching the test items).
    """
    if part not in ("test", "valid"):
        raise ValueError(f"part must be 'test' or 'valid', got {part!r}")
    held = split.test if part == "test" else split.valid
    test = held[held["user_id"] == user_id]
    if test.empty:
        raise ValueError(f"user {user_id} has no {part} item (fewer than 3 interactions)")
    parts = [split.train] + ([split.valid] if part == "test" else [])
    past = pd.concat([frame[frame["user_id"] == user_id] for frame in parts])
    past = past.sort_values(["timestamp", "item_id"], kind="stable")
    target = catalog.item(int(test["item_id"].iloc[0]))
    history = tuple(int(i) for i in past["item_id"])
    liked_ids = [int(i) for i in past.loc[past["rating"] >= LIKED_RATING, "item_id"]]
    liked = rank_liked(catalog, target, liked_ids or list(history))
    return UserFacts(user_id, target, history, liked, recent_items(catalog, target, history))


def recent_items(catalog: Catalog, target: CatalogItem, history: Sequence[int]
                 ) -> tuple[CatalogItem, ...]:
    """The last STATED_ITEMS history items whose spoken title does not name the target."""
    titles = (target.title, target.display_title)
    kept = [item for item in catalog.items(list(history[-3 * STATED_ITEMS:]))
            if not names_title(ph.spoken_title(item), titles)]
    return tuple(kept[-STATED_ITEMS:])


def rank_liked(catalog: Catalog, target: CatalogItem, ids: list[int]) -> tuple[CatalogItem, ...]:
    """Liked items most similar to the target first (genre Jaccard, year gap, recency);
    items whose title would name the target (a sequel, a remake) are left out."""
    items = catalog.items(ids)
    goal = set(target.genres)

    def key(pos_item: tuple[int, CatalogItem]) -> tuple[float, int, int]:
        pos, item = pos_item
        union = goal | set(item.genres)
        overlap = len(goal & set(item.genres)) / len(union) if union else 0.0
        gap = abs((item.year or 0) - (target.year or 0)) if target.year and item.year else 99
        return (-overlap, gap, -pos)

    ranked = [item for _, item in sorted(enumerate(items), key=key)]
    titles = (target.title, target.display_title)
    return tuple(i for i in ranked if not names_title(ph.spoken_title(i), titles))


def attribute_plan(facts: UserFacts, rng: random.Random) -> list[Attribute]:
    """The order in which the target's attributes are revealed (see the module doc)."""
    genres = rng.sample(list(facts.target.genres), len(facts.target.genres))
    plan = [Attribute("genre", genre=g) for g in genres[:2]]
    if facts.target.year:
        plan += [Attribute("decade", year=facts.target.year),
                 Attribute("years", year=facts.target.year)]
    liked = [Attribute("liked", item=item) for item in facts.liked]
    plan += liked[:1] + [Attribute("genre", genre=g) for g in genres[2:]] + liked[1:]
    return plan


@dataclass
class ScriptedUser:
    """Deterministic (seeded) simulated user: reject what was shown, reveal one more fact."""

    facts: UserFacts
    seed: int | str = 0
    rng: random.Random = field(init=False)
    plan: list[Attribute] = field(init=False)
    genres: list[str] = field(default_factory=list, init=False)
    decade: str | None = field(default=None, init=False)
    years: tuple[int, int] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.seed}:{self.facts.user_id}")
        self.plan = attribute_plan(self.facts, self.rng)

    @property
    def stated_ids(self) -> tuple[int, ...]:
        """The items its messages named as its history so far, oldest first (none here)."""
        return ()

    def opening(self) -> UserTurn:
        """The first request: the first attribute, said as a full request."""
        attribute = self._next()
        return self._guarded(lambda: self._request(attribute, opening=True), (),
                             self._intent(attribute, ()))

    def react(self, shown: Sequence[int], titles: Sequence[str]) -> UserTurn:
        """Reject the shown items that are not the target and reveal the next attribute."""
        rejected = tuple(i for i in shown if i != self.facts.target.id)
        attribute = self._next()

        def write() -> str:
            reject = ph.fill(ph.REJECTIONS if shown else ph.EMPTY_REJECTIONS, self.rng)
            if attribute is None:
                return f"{reject} {ph.fill(ph.FALLBACK, self.rng)}"
            return f"{reject} {self._request(attribute, opening=False)}"

        return self._guarded(write, rejected, self._intent(attribute, titles))

    def _next(self) -> Attribute | None:
        attribute = self.plan.pop(0) if self.plan else None
        if attribute is None:
            return None
        if attribute.kind == "genre":
            self.genres.append(attribute.genre)
        elif attribute.kind == "decade":
            self.decade = ph.decade_words(attribute.year, self.rng)
        elif attribute.kind == "years":
            self.years = (attribute.year - 2, attribute.year + 2)
        return attribute

    def _request(self, attribute: Attribute | None, opening: bool) -> str:
        if attribute is None:
            return ph.fill(ph.FALLBACK, self.rng)
        if attribute.kind == "liked" and attribute.item is not None:
            return ph.fill(ph.LIKED, self.rng, title=ph.spoken_title(attribute.item))
        when = ph.when_phrase(self.decade, self.years)
        if not self.genres:
            return ph.fill(ph.NO_GENRE, self.rng, when=when)
        fields = ph.movie_phrase(self.genres)
        if opening:
            return ph.fill(ph.OPENINGS, self.rng, **fields)
        if self.rng.random() < 0.5:  # restate everything known so far
            return ph.fill(ph.RESTATE, self.rng, when=when, **fields)
        if attribute.kind == "genre":
            return ph.fill(ph.MORE_GENRE, self.rng, **ph.movie_phrase([attribute.genre]))
        if attribute.kind == "decade":
            return ph.fill(ph.DECADE, self.rng, decade=self.decade or "")
        start, end = self.years or (attribute.year, attribute.year)
        return ph.fill(ph.YEARS, self.rng, start=str(start), end=str(end))

    def _guarded(self, write, dislikes: tuple[int, ...], intent: str) -> UserTurn:
        for attempt in range(ATTEMPTS):
            message = write()
            if not names_title(message, self.facts.target_titles):
                return UserTurn(message, dislikes, intent, attempt)
        for message in ph.FALLBACK:
            if not names_title(message, self.facts.target_titles):
                return UserTurn(message, dislikes, intent, ATTEMPTS)
        raise TitleLeakError(f"every message for user {self.facts.user_id} names the target")

    def _intent(self, attribute: Attribute | None, rejected_titles: Sequence[str]) -> str:
        """The turn's meaning in plain words (what an LLM-driven user is asked to say)."""
        parts = []
        if rejected_titles:
            parts.append("None of the movies shown is it (" + "; ".join(rejected_titles) + ").")
        if attribute is not None and attribute.kind == "liked" and attribute.item:
            parts.append(f"Say you liked {ph.spoken_title(attribute.item)} and want "
                         "something like it.")
        elif attribute is not None:
            fields = ph.movie_phrase(self.genres) if self.genres else None
            wanted = fields["a_movie"] if fields else "a movie"
            parts.append(f"Ask for {wanted}{ph.when_phrase(self.decade, self.years)}.")
        else:
            parts.append("Ask for something else.")
        return " ".join(parts)


@dataclass
class StatedUser(ScriptedUser):
    """The scripted user for an agent without its history: the opening names its recent
    titles first (`UserFacts.recent`), then asks as the scripted user does."""

    told: tuple[int, ...] = field(default=(), init=False)

    def opening(self) -> UserTurn:
        turn = super().opening()
        if not self.facts.recent:
            return turn
        told = ph.fill(STATED, self.rng, titles=spoken_list(self.facts.recent))
        if names_title(told, self.facts.target_titles):  # titles said alone did not name it
            return turn
        self.told = tuple(item.id for item in self.facts.recent)
        return replace(turn, message=f"{told} {turn.message}",
                       intent=f"Say you recently watched and liked {spoken_list(self.facts.recent)}"
                              f". {turn.intent}")

    @property
    def stated_ids(self) -> tuple[int, ...]:
        return self.told


def spoken_list(items: Sequence[CatalogItem]) -> str:
    """ "A, B and C" with each title as a person says it."""
    titles = [ph.spoken_title(item) for item in items]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]

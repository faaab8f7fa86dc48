"""What the side panels show, as plain data and Markdown: recommendation cards and the profile.

Pure functions over agent values, so they are tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from convrec.agent.trace import RecommendedItem
from convrec.memory.profile import UserProfile

FEEDBACK_LABELS = {"like": "Like", "dislike": "Not for me", "seen": "Seen it"}
FEEDBACK_DONE = {"like": "You liked this", "dislike": "Not for you", "seen": "Already seen"}


@dataclass(frozen=True)
class Card:
    """One recommendation card of chat turn `turn`; `mark` is the feedback given on it, if any."""

    id: int
    title: str
    year: int | None
    genres: tuple[str, ...]
    reason: str
    turn: int = 0
    mark: str | None = None

    @classmethod
    def from_item(cls, item: RecommendedItem, turn: int = 0) -> Card:
        return cls(item.id, item.title, item.year, tuple(item.genres), item.reason, turn)

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def markdown(self) -> str:
        genres = ", ".join(self.genres) or "no genre listed"
        lines = [f"### {self.label}", f"*{genres}*"]
        if self.reason:
            lines.append(f"**Why:** {self.reason}")
        if self.mark:
            lines.append(f"_{FEEDBACK_DONE[self.mark]}_")
        return "\n\n".join(lines)


def cards_for(items: Iterable[RecommendedItem], turn: int = 0) -> list[Card]:
    return [Card.from_item(item, turn) for item in items]


def after_feedback(cards: list[Card], item_id: int, kind: str) -> list[Card]:
    """The cards once the user gave `kind` on `item_id`: rejected and seen ones leave."""
    if kind in ("dislike", "seen"):
        return [c for c in cards if c.id != item_id]
    return [replace(c, mark=kind) if c.id == item_id else c for c in cards]


def remember_labels(labels: Mapping[int, str], cards: Iterable[Card]) -> dict[int, str]:
    """The id -> "Title (year)" map the profile panel uses, grown by the shown cards."""
    return {**labels, **{c.id: c.label for c in cards}}


def profile_markdown(profile: UserProfile, labels: Mapping[int, str]) -> str:
    """The profile panel: liked, disliked, seen, stated expectations."""
    def names(ids: list[int]) -> str:
        if not ids:
            return "nothing yet"
        return "; ".join(labels.get(i, f"item #{i}") for i in ids)

    exp = profile.expectations
    wants = []
    if exp.genres:
        wants.append("wants " + ", ".join(exp.genres))
    if exp.exclude_genres:
        wants.append("no " + ", ".join(exp.exclude_genres))
    if exp.year_min is not None or exp.year_max is not None:
        wants.append(f"years {exp.year_min or '…'}–{exp.year_max or '…'}")
    wants.extend(exp.notes)
    return "\n\n".join([
        f"**Liked:** {names(profile.liked)}",
        f"**Not for me:** {names(profile.disliked)}",
        f"**Seen:** {names(profile.seen)}",
        f"**Expectations:** {'; '.join(wants) if wants else 'none stated'}",
    ])

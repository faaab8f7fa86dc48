"""What the panels show, as plain data and Markdown: cards, the profile, what the bot can do.

Pure functions over agent values, so they are tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from convrec.agent.answers import CatalogFacts, help_text
from convrec.agent.trace import RecommendedItem
from convrec.memory.profile import UserProfile

FEEDBACK_LABELS = {"like": "Like", "dislike": "Not for me", "seen": "Seen it"}
FEEDBACK_DONE = {"like": "\u2665 You liked this",
                 "dislike": "\u2715 Not for you: it won't come back",
                 "seen": "\u2713 Seen: it won't be suggested again"}
MAX_PROFILE_NAMES = 12


@dataclass(frozen=True)
class Card:
    """One item card of chat turn `turn`; `mark` is the feedback given on it, if any."""

    id: int
    title: str
    year: int | None
    genres: tuple[str, ...]
    reason: str
    turn: int = 0
    mark: str | None = None
    avg_rating: float | None = None
    raters: int = 0

    @classmethod
    def from_item(cls, item: RecommendedItem, turn: int = 0) -> Card:
        return cls(item.id, item.title, item.year, tuple(item.genres), item.reason, turn,
                   avg_rating=item.avg_rating, raters=item.popularity)

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def markdown(self) -> str:
        """Title and year, facets, the average rating when the data has one, the reason."""
        lines = [f"### {self.label}", f"*{', '.join(self.genres) or 'no genre listed'}*"]
        if self.avg_rating is not None:  # the count is in the reason when there is one
            people = "1 person" if self.raters == 1 else f"{self.raters:,} people"
            lines.append(f"\u2605 {self.avg_rating:.1f} average rating" +
                         ("" if self.reason else f" ({people} rated it)"))
        if self.reason:
            lines.append(f"**Why:** {self.reason}")
        if self.mark:
            lines.append(f"**{self.status()}**")
        return "\n\n".join(lines)

    def status(self) -> str:
        """The feedback given on this card, in words ("" when none)."""
        return FEEDBACK_DONE[self.mark] if self.mark else ""


def cards_for(items: Iterable[RecommendedItem], turn: int = 0) -> list[Card]:
    return [Card.from_item(item, turn) for item in items]


def marked(cards: list[Card], item_id: int, kind: str | None) -> list[Card]:
    """The cards with `item_id` marked `kind` (None: unmarked, after an undo)."""
    return [replace(c, mark=kind) if c.id == item_id else c for c in cards]


def profile_markdown(profile: UserProfile, titles: Mapping[int, str]) -> str:
    """The profile panel: liked, not for me, seen (by title), stated expectations."""
    def names(ids: list[int]) -> str:
        if not ids:
            return "nothing yet"
        shown = [titles.get(i, "an item no longer in the catalog") for i in ids]
        extra = len(shown) - MAX_PROFILE_NAMES
        return "; ".join(shown[:MAX_PROFILE_NAMES]) + (f"; and {extra} more" if extra > 0 else "")

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


def profile_ids(profile: UserProfile) -> list[int]:
    return [*profile.liked, *profile.disliked, *profile.seen]


def catalog_summary(facts: CatalogFacts, llm_name: str) -> str:
    """The short "what I can do here" panel: the catalog's size, years and facets, what is
    known about each item and what is not."""
    years = f", {facts.year_min}\u2013{facts.year_max}" if facts.year_min else ""
    known = ["year", facts.facet_labels, *facts.roles]
    known += ["descriptions"] if facts.has_descriptions else []
    known += ["average ratings"] if facts.has_ratings else []
    unknown = ([] if facts.has_people else ["cast, crew or authors"]) + \
        ([] if facts.has_ratings else ["ratings"]) + \
        ([] if facts.has_descriptions else ["plots"])
    lines = [f"**{facts.size:,} {facts.nouns}**{years}",
             f"**{facts.facet_labels.capitalize()}:** {', '.join(facts.facets)}",
             f"**Known:** {', '.join(known)}"]
    if unknown:
        lines.append(f"**Not known:** {', '.join(unknown)}")
    lines.append(f"*Planning with: {llm_name}*")
    return "\n\n".join(lines)


def capabilities_markdown(facts: CatalogFacts) -> str:
    """What you can ask: the agent's own help answer for this catalog."""
    return "\n\n".join(help_text(facts).splitlines())


def placeholder(facts: CatalogFacts) -> str:
    """What the empty chat says to a new user."""
    years = f" from {facts.year_min}\u2013{facts.year_max}" if facts.year_min else ""
    facet = facts.facet_word
    return (f"**Ask me for {facts.nouns}**: a {facet}, a decade, or one you liked.\n\n"
            f"{facts.size:,} {facts.nouns}{years}. See *What I can do here* for more.")

"""Replies to the acts that are not a list of picks: help, chit-chat, feedback, questions
about items, comparisons and explanations. All text comes from data; each sentence says
only what the catalog holds, and says plainly what it does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from convrec.agent.frame import Fact
from convrec.agent.trace import RecommendedItem

_MISSING = {"people": "cast or crew", "plot": "plots or content details",
            "runtime": "running times", "rating": "ratings"}
_GREETING_WORDS = frozenset("hi hello hey heya hiya howdy yo sup morning evening hola bonjour "
                            "salut hallo".split())
_THANKS_WORDS = frozenset("thanks thank thx ty cheers merci gracias danke perfect great cool "
                          "nice awesome".split())


@dataclass(frozen=True)
class CatalogFacts:
    """What the catalog can answer, for help and for honest replies."""

    facets: tuple[str, ...]
    year_min: int | None
    year_max: int | None
    has_ratings: bool
    size: int
    has_people: bool = False
    noun: str = "film"
    words: frozenset[str] = frozenset()  # every word of the items' text
    has_descriptions: bool = False

    def mentions(self, query: str) -> bool:
        """Does every word of `query` (or its singular) occur in the items' text?"""
        found = [w for w in query.lower().split() if len(w) >= 3]
        return bool(found) and all(w in self.words or w.rstrip("s") in self.words
                                   for w in found)

    def missing(self, asks: Sequence[Fact]) -> list[str]:
        """Names of the asked facts this catalog does not hold."""
        held = {"rating", "count"} if self.has_ratings else {"count"}
        if self.has_people:
            held.add("people")
        return [_MISSING[f] for f in asks if f not in held]


def help_text(facts: CatalogFacts) -> str:
    years = f" from {facts.year_min} to {facts.year_max}" if facts.year_min else ""
    can = [f"recommend {facts.noun}s from this catalog of {facts.size:,}{years}",
           f"by genre ({', '.join(facts.facets)})",
           "by decade or years (\"90s\", \"not from the 80s\", \"something older\")",
           f"like {facts.noun}s you name (\"more like Fargo\") or ones I showed (\"more like "
           "the second one\")"]
    if facts.has_ratings:
        can.append("the top rated ones")
    lines = ["I can " + ", ".join(can[:-1]) + " and " + can[-1] + ".",
             "Ask how many you want (\"give me 10\"), ask about a title (its year, genres, "
             + ("rating and " if facts.has_ratings else "") + "how many people rated it), "
             "compare two, or ask why I picked something.",
             "Tell me what you liked or hated and I will remember it."]
    unknown = [] if facts.has_people else ["cast or crew"]
    unknown += ["plots", "running times"]
    lines.append(f"I don't have {', '.join(unknown[:-1])} or {unknown[-1]} for these "
                 f"{facts.noun}s.")
    return "\n".join(lines)


def chat_text(message: str, facts: CatalogFacts) -> str:
    words = set(message.lower().replace("!", " ").replace(",", " ").split())
    if words & _THANKS_WORDS:
        return "You're welcome! Ask for more whenever you like."
    if words & _GREETING_WORDS:
        return (f"Hello! Tell me what you feel like: a genre, a decade, or a {facts.noun} you "
                "loved.")
    if "?" in message or message.lower().split()[:1] in (["what"], ["who"], ["how"], ["why"],
                                                        ["when"], ["where"], ["can"]):
        return (f"I can only help with {facts.noun}s from this catalog, so I can't answer "
                f"that. Ask me for a genre, a decade, or {facts.noun}s like one you loved.")
    return (f"Tell me what you'd like next: a genre, a decade, more {facts.noun}s like one "
            "you loved, or \"help\" to see what I can do.")


def feedback_text(liked: Sequence[str], disliked: Sequence[str], seen: Sequence[str]) -> str:
    parts = []
    if liked:
        parts.append(f"Noted: you liked {_join(liked)}; I'll pick more along those lines.")
    if disliked:
        parts.append(f"Noted: you didn't like {_join(disliked)}; I won't suggest "
                     f"{'it' if len(disliked) == 1 else 'them'} again.")
    if seen:
        parts.append(f"Noted: you've seen {_join(seen)}; I won't suggest "
                     f"{'it' if len(seen) == 1 else 'them'} again.")
    return " ".join(parts) + " Say \"more like it\" or ask for something new."


def info_text(items: Sequence[RecommendedItem], asks: Sequence[Fact],
              facts: CatalogFacts) -> str:
    lines = [_facts_line(item, facts) for item in items]
    missing = facts.missing(asks)
    if missing:
        lines.append(f"I don't have {_join(missing)} data in this catalog, only each "
                     f"{facts.noun}'s year, genres" + (", ratings" if facts.has_ratings else "")
                     + " and how many people rated it.")
    return "\n".join(lines)


def count_text(count: int, wanted: str, facts: CatalogFacts) -> str:
    return f"This catalog has {count:,} {wanted}." if count != 1 else \
        f"This catalog has 1 {facts.noun} that fits: {wanted}."


def compare_text(items: Sequence[RecommendedItem], facts: CatalogFacts) -> str:
    rated = [i for i in items if i.avg_rating is not None]
    if len(items) > 2:  # "best of those": the list, best rated first
        order = sorted(items, key=lambda i: -(i.avg_rating or 0.0)) if facts.has_ratings \
            else sorted(items, key=lambda i: -i.popularity)
        lines = [_facts_line(item, facts) for item in order]
        if facts.has_ratings and rated:
            best = max(rated, key=lambda i: i.avg_rating or 0.0)
            lines.insert(0, f"Of these, {best.title} has the highest average rating "
                            f"({best.avg_rating:.2f}).")
        return "\n".join(lines)
    lines = [_facts_line(item, facts) for item in items]
    if len(items) == 2:
        a, b = items
        if facts.has_ratings and a.avg_rating is not None and b.avg_rating is not None:
            best, other = (a, b) if a.avg_rating >= b.avg_rating else (b, a)
            lines.append(f"By the ratings in the data, {best.title} is rated higher "
                         f"({best.avg_rating:.2f} vs {other.avg_rating:.2f}).")
        more, less = (a, b) if a.popularity >= b.popularity else (b, a)
        lines.append(f"{more.title} has been rated by more people ({more.popularity} vs "
                     f"{less.popularity}).")
    return "\n".join(lines)


def explain_text(items: Sequence[str], wanted: str, ranking: str) -> str:
    subject = _join(items) if items else "those"
    because = f"they fit what you asked for ({wanted})" if wanted else \
        "you gave no conditions"
    if len(items) == 1:
        because = because.replace("they fit", "it fits")
    return f"I picked {subject} because {because}, and ordered the list by {ranking}."


def not_found_text(titles: Sequence[str], noun: str) -> str:
    quoted = _join([f"'{t}'" for t in titles])
    return f"I couldn't find {quoted} in this catalog of {noun}s."


def unsearchable_text(query: str, facts: CatalogFacts, maybe_person: bool = False) -> str:
    fields = "title, genres or description" if facts.has_descriptions else "title or genres"
    text = (f"I couldn't find any {facts.noun} in this catalog whose {fields} mention "
            f"'{query[:60]}', so I left it out.")
    if maybe_person and not facts.has_people:
        text += " If that is a person: I don't have cast or crew data."
    return text


def moods_text(moods: Sequence[str], facts: CatalogFacts) -> str:
    fields = "titles, years, genres" + (" and ratings" if facts.has_ratings else "")
    return (f"I can't tell mood or content ({_join([repr(m) for m in moods])}) from this "
            f"catalog's {fields}, so I didn't take it into account.")


def people_text(people: Sequence[str], noun: str) -> str:
    return (f"I don't have cast or crew data for these {noun}s, so I can't pick by "
            f"{_join(people)}.")


def _facts_line(item: RecommendedItem, facts: CatalogFacts) -> str:
    genres = ", ".join(item.genres) or "no listed genre"
    year = f"from {item.year}" if item.year else "of unknown year"
    if not facts.has_ratings:
        return f"{item.title} is {genres}, {year}; {people(item.popularity)} in the data have it."
    line = f"{item.title} is {genres}, {year}; {people(item.popularity)} rated it"
    if item.avg_rating is not None:
        line += f", {item.avg_rating:.2f} on average"
    return line + "."


def people(count: int) -> str:
    """ "1 person", "12 people"."""
    return "1 person" if count == 1 else f"{count} people"


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

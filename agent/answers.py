"""Replies to the acts that are not a list of picks: help, chit-chat, feedback, questions
about items, comparisons and explanations. All text comes from data; each sentence says
only what the catalog holds, and says plainly what it does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from convrec.agent.frame import Fact
from convrec.agent.trace import RecommendedItem
from convrec.recsys.schema import plural

_MISSING = {"people": "cast, crew or author", "plot": "plots or content details",
            "runtime": "running or playing times", "rating": "ratings",
            "players": "player counts", "price": "prices", "complexity": "complexity ratings",
            "age": "age ratings", "publisher": "publisher"}
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
    roles: tuple[str, ...] = ()  # the catalog's people columns as roles ("designer")
    noun: str = "item"
    words: frozenset[str] = frozenset()  # every word of the items' text
    has_descriptions: bool = False
    nouns: str = "items"
    facet_label: str = "genre"  # what a facet is called ("category or mechanic")
    example: str = ""  # a well-known title of the catalog, for examples
    kinds: Mapping[str, str] = field(default_factory=dict)  # facet value -> "genre", "mechanic"
    known_people: frozenset[str] = frozenset()  # every name of the people columns

    @property
    def facet_word(self) -> str:
        """The first kind of facet, for examples: "genre", "category"."""
        return self.facet_label.split(" or ")[0]

    def kind_of(self, value: str) -> str:
        """What one facet value is called: "the mechanic Worker Placement"."""
        return self.kinds.get(value) or self.facet_word

    @property
    def has_people(self) -> bool:
        return bool(self.roles)

    @property
    def facet_labels(self) -> str:
        """"genres", "categories or mechanics"."""
        return " or ".join(plural(w) for w in self.facet_label.split(" or "))

    def unmentioned(self, query: str) -> list[str]:
        """The words of `query` (3 letters or more) that no item's text holds."""
        return [w for w in query.lower().split() if len(w) >= 3
                and w not in self.words and w.rstrip("s") not in self.words]

    def missing(self, asks: Sequence[Fact]) -> list[str]:
        """Names of the asked facts this catalog does not hold."""
        held = {"rating", "count"} if self.has_ratings else {"count"}
        if self.has_people:
            held.add("people")
        if self.has_descriptions:
            held.add("plot")
        return [_MISSING[f] for f in asks if f not in held]


def help_text(facts: CatalogFacts) -> str:
    years = f" from {facts.year_min} to {facts.year_max}" if facts.year_min else ""
    like = f"more like {facts.example}" if facts.example else "more like <a title>"
    can = [f"recommend {facts.nouns} from this catalog of {facts.size:,}{years}",
           f"by {facts.facet_label} ({', '.join(facts.facets)})",
           "by decade or years (\"90s\", \"not from the 80s\", \"something older\")",
           f"like {facts.nouns} you name (\"{like}\") or ones I showed (\"more like "
           "the second one\")"]
    if facts.has_people:
        can.insert(2, f"by {join(list(facts.roles))} (\"by <name>\")")
    if facts.has_ratings:
        can.append("the top rated ones")
    known = ["year", facts.facet_labels] + list(facts.roles)
    lines = ["I can " + ", ".join(can[:-1]) + " and " + can[-1] + ".",
             "Ask how many you want (\"give me 10\"), ask about a title (its "
             + ", ".join(known) + (", rating" if facts.has_ratings else "")
             + " and how many people rated it), compare two, or ask why I picked something.",
             "Tell me what you liked or hated and I will remember it."]
    unknown = [] if facts.has_people else ["cast, crew or author data"]
    unknown += ["plots" if not facts.has_descriptions else "", "running times"]
    unknown = [u for u in unknown if u]
    lines.append(f"I don't have {', '.join(unknown[:-1])} or {unknown[-1]} for these "
                 f"{facts.nouns}." if len(unknown) > 1 else
                 f"I don't have {unknown[0]} for these {facts.nouns}.")
    return "\n".join(lines)


# Nouns of other kinds of catalog, by kind: "a good movie" asked of a board-game catalog.
_DOMAINS = {"films": ("movie", "movies", "film", "films", "flick", "flicks"),
            "books": ("book", "books", "novel", "novels"),
            "games": ("game", "games", "boardgame", "boardgames", "board game", "board games"),
            "music": ("song", "songs", "album", "albums", "track", "tracks")}


def other_domain(message: str, facts: CatalogFacts) -> str | None:
    """The kind of item the message asks for when this catalog holds another ("films")."""
    words = set(re.findall(r"[a-z]+", message.lower()))
    ours = {facts.noun, facts.nouns}
    for nouns in _DOMAINS.values():
        if ours & set(nouns):
            ours |= set(nouns)
    if words & ours:
        return None
    return next((kind for kind, nouns in _DOMAINS.items()
                 if words & set(nouns) and not ours & set(nouns)), None)


def empty_message_text(facts: CatalogFacts) -> str:
    return (f"Tell me what you would like: a {facts.facet_word}, a decade, or a "
            f"{facts.noun} you loved.")


def chat_text(message: str, facts: CatalogFacts) -> str:
    words = set(message.lower().replace("!", " ").replace(",", " ").split())
    if words & _THANKS_WORDS:
        return "You're welcome! Ask for more whenever you like."
    if words & _GREETING_WORDS:
        return (f"Hello! Tell me what you feel like: a {facts.facet_word}, a "
                f"decade, or a {facts.noun} you loved.")
    if "?" in message or message.lower().split()[:1] in (["what"], ["who"], ["how"], ["why"],
                                                        ["when"], ["where"], ["can"]):
        return (f"I can only help with {facts.nouns} from this catalog, so I can't answer "
                f"that. Ask me for a {facts.facet_word}, a decade, or {facts.nouns} "
                "like one you loved.")
    return (f"Tell me what you'd like next: a {facts.facet_word}, a decade, more "
            f"{facts.nouns} like one you loved, or \"help\" to see what I can do.")


def feedback_text(liked: Sequence[str], disliked: Sequence[str], seen: Sequence[str]) -> str:
    parts = []
    if liked:
        parts.append(f"Noted: you liked {join(liked)}; I'll pick more along those lines.")
    if disliked:
        parts.append(disliked_text(disliked))
    if seen:
        parts.append(f"Noted: you've seen {join(seen)}; I won't suggest "
                     f"{'it' if len(seen) == 1 else 'them'} again.")
    return " ".join(parts) + " Say \"more like it\" or ask for something new."


def disliked_text(disliked: Sequence[str]) -> str:
    return (f"Noted: you didn't like {join(disliked)}; I won't suggest "
            f"{'it' if len(disliked) == 1 else 'them'} again.")


def info_text(items: Sequence[RecommendedItem], asks: Sequence[Fact],
              facts: CatalogFacts) -> str:
    lines = [_facts_line(item, facts) for item in items]
    if len(items) == 1 and items[0].description and "plot" not in asks:
        lines.append(items[0].description)  # "tell me about #3": what it is, in a sentence
    if "plot" in asks:
        lines += [f"{item.title}: {item.description}" for item in items if item.description]
        lines += [f"I don't have a description of {item.title}." for item in items
                  if not item.description and facts.has_descriptions]
    missing = facts.missing(asks)
    if missing:
        known = ["year", facts.facet_labels, *facts.roles] + (
            ["description"] if facts.has_descriptions else []) + (
            ["ratings"] if facts.has_ratings else [])
        lines.append(f"I don't have {join(missing)} data in this catalog, only each "
                     f"{facts.noun}'s {', '.join(known)} and how many people rated it.")
    return "\n".join(lines)


def count_text(count: int, wanted: str, facts: CatalogFacts) -> str:
    if not wanted:  # "how many games do you have?"
        return f"This catalog has {count:,} {facts.nouns if count != 1 else facts.noun}."
    return f"This catalog has {count:,} {wanted}." if count != 1 else \
        f"This catalog has 1 {facts.noun} that fits: {wanted}."


def compare_text(items: Sequence[RecommendedItem], facts: CatalogFacts,
                 by_year: bool = False) -> str:
    """The items side by side; `by_year`: the question was which is newer or older, so the
    years come first."""
    text = _compared(items, facts)
    if not by_year:
        return text
    lines = text.split("\n")
    dated = [line for line in lines if line.startswith("The newest") or " came out first " in line]
    return "\n".join([*dated, *(line for line in lines if line not in dated)])


def _compared(items: Sequence[RecommendedItem], facts: CatalogFacts) -> str:
    rated = [i for i in items if i.avg_rating is not None]
    if len(items) > 2:  # "best of those": the list, best rated first
        order = sorted(items, key=lambda i: -(i.avg_rating or 0.0)) if facts.has_ratings \
            else sorted(items, key=lambda i: -i.popularity)
        lines = [_facts_line(item, facts) for item in order]
        dated = [i for i in items if i.year]
        if dated and len({i.year for i in dated}) > 1:
            lines.insert(0, _ends(dated, max, "newest") + ", " + _ends(dated, min, "oldest")
                         + ".")
        most = max(items, key=lambda i: i.popularity)
        lines.insert(0, f"{most.title} has the most ratings ({most.popularity}).")
        if facts.has_ratings and rated:
            best = max(rated, key=lambda i: i.avg_rating or 0.0)
            worst = min(rated, key=lambda i: i.avg_rating or 0.0)
            lines.insert(0, f"Of these, {best.title} has the highest average rating "
                            f"({best.avg_rating:.2f}) and {worst.title} the lowest "
                            f"({worst.avg_rating:.2f}).")
        return "\n".join(lines)
    lines = [_facts_line(item, facts) for item in items]
    if len(items) == 2:
        a, b = items
        if facts.has_ratings and a.avg_rating is not None and b.avg_rating is not None:
            best, other = (a, b) if a.avg_rating >= b.avg_rating else (b, a)
            lines.append(f"By the ratings in the data, {best.title} is rated higher "
                         f"({best.avg_rating:.2f} vs {other.avg_rating:.2f}).")
        if a.year and b.year and a.year != b.year:
            first, second = (a, b) if a.year < b.year else (b, a)
            lines.append(f"{first.title} came out first ({first.year}; {second.title} in "
                         f"{second.year}).")
        more, less = (a, b) if a.popularity >= b.popularity else (b, a)
        lines.append(f"{more.title} has been rated by more people ({more.popularity} vs "
                     f"{less.popularity}).")
    return "\n".join(lines)


def explain_text(items: Sequence[str], wanted: str, ranking: str, shared: str = "") -> str:
    subject = join(items) if items else "those"
    because = f"they fit what you asked for ({wanted})" if wanted else \
        "you gave no conditions"
    if len(items) == 1:
        because = because.replace("they fit", "it fits")
    text = f"I picked {subject} because {because}, and ordered the list by {ranking}."
    return f"{text} {shared}" if shared else text


def not_found_text(titles: Sequence[str], noun: str) -> str:
    quoted = join([f"'{t}'" for t in titles])
    return f"I couldn't find {quoted} in this catalog of {noun}s."


def unsearchable_text(query: str, facts: CatalogFacts, maybe_person: bool = False) -> str:
    fields = f"title, {facts.facet_labels} or description" if facts.has_descriptions else \
        f"title or {facts.facet_labels}"
    text = (f"I couldn't find any {facts.noun} in this catalog whose {fields} mention "
            f"'{query[:60]}', so I left it out.")
    if maybe_person and not facts.has_people:
        text += " If that is a person: I don't have cast, crew or author data."
    return text


def moods_text(moods: Sequence[str], facts: CatalogFacts) -> str:
    fields = f"titles, years, {facts.facet_labels}" + (" and ratings" if facts.has_ratings
                                                       else "")
    return (f"I can't tell mood or content ({join([repr(m) for m in moods])}) from this "
            f"catalog's {fields}, so I didn't take it into account.")


def people_text(people: Sequence[str], nouns: str) -> str:
    return (f"I don't have cast, crew or author data for these {nouns}, so I can't pick by "
            f"{join(people)}.")


def people_unknown_text(people: Sequence[str], facts: CatalogFacts) -> str:
    """Names asked for that none of the catalog's people columns hold."""
    return (f"I couldn't find {join(people)} among the {join(list(facts.roles))}s of these "
            f"{facts.nouns}, so I left {'it' if len(people) == 1 else 'them'} out.")


def _facts_line(item: RecommendedItem, facts: CatalogFacts) -> str:
    genres = ", ".join(item.genres) or f"no listed {facts.facet_word}"
    year = f"from {item.year}" if item.year else "of unknown year"
    by = "; " + "; ".join(f"{role}: {', '.join(names)}" for role, names in _by_role(item)) \
        if item.people else ""
    if not facts.has_ratings:
        return (f"{item.title} is {genres}, {year}{by}; {people(item.popularity)} in the data "
                "have it.")
    line = f"{item.title} is {genres}, {year}{by}; {people(item.popularity)} rated it"
    if item.avg_rating is not None:
        line += f", {item.avg_rating:.2f} on average"
    return line + "."


def _ends(items: Sequence[RecommendedItem], pick, which: str) -> str:
    """"the newest is X (2013)" / "the newest are X and Y (2023)"."""
    year = pick(i.year for i in items)
    named = [i.title for i in items if i.year == year]
    verb = "is" if len(named) == 1 else "are"
    text = f"the {which} {verb} {join(named)} ({year})"
    return text[0].upper() + text[1:] if which == "newest" else text


def _by_role(item: RecommendedItem) -> list[tuple[str, list[str]]]:
    roles: dict[str, list[str]] = {}
    for role, name in item.people:
        roles.setdefault(role, []).append(name)
    return list(roles.items())


def people(count: int) -> str:
    """ "1 person", "12 people"."""
    return "1 person" if count == 1 else f"{count} people"


def join(names: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

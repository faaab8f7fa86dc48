"""How a dataset describes itself: its item noun and what each column of its items means.

A catalog is not MovieLens: its items may be films, games or books; their facets may be
genres, tags, categories or mechanics; some have people (director, author, designer) and
text (description, plot). `DatasetInfo` carries that, so everything above `recsys/` takes
its words and vocabulary from the data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

# Column names recognised without being declared (lower case; `--facets`, `--people` and
# `--text` declare any other column).
FACET_NAMES = ("genres", "genre", "tags", "tag", "categories", "category", "mechanics",
               "mechanic", "themes", "theme", "subjects", "subject", "styles", "style",
               "keywords", "labels", "moods", "platforms")
PEOPLE_NAMES = ("director", "directors", "cast", "actors", "stars", "author", "authors",
                "developer", "developers", "designer", "designers", "artist", "artists",
                "creator", "creators", "writer", "writers", "composer", "composers",
                "publisher", "publishers", "studio", "studios", "brand", "brands")
TEXT_NAMES = ("description", "plot", "summary", "synopsis", "overview", "blurb", "review")
CORE_NAMES = ("id", "title", "year")

_IRREGULAR = {"cast": "cast member", "stars": "star", "categories": "category",
              "people": "person", "series": "series"}


def singular(word: str) -> str:
    """"designers" -> "designer", "categories" -> "category", "cast" -> "cast member"."""
    word = word.strip().lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def plural(word: str) -> str:
    """"game" -> "games", "story" -> "stories", "box" -> "boxes"."""
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset's items are and what their columns mean.

    noun: what one item is called ("film", "game", "book"; "item" when not told);
    noun_words: other words users say for it ("movie", "flick");
    facet_columns: `|`-separated label columns, in file order ("genres", "mechanics");
    people_columns: columns of names ("director", "designers"), each a role;
    text_columns: free-text columns, all of them in the retrieval text;
    synonyms: facet value -> everyday words for it (MovieLens: "funny" -> Comedy);
    hints: phrase -> facet value, the phrase also kept as a soft wish ("kung fu" -> Action).
    """

    noun: str = "item"
    noun_words: tuple[str, ...] = ()
    facet_columns: tuple[str, ...] = ("genres",)
    people_columns: tuple[str, ...] = ()
    text_columns: tuple[str, ...] = ("description",)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def nouns(self) -> str:
        """The plural noun: "films", "games"."""
        return plural(self.noun)

    @property
    def facet_label(self) -> str:
        """What the facets are called in replies: "genre", "category or mechanic"."""
        return " or ".join(singular(c) for c in self.facet_columns) or "label"

    @property
    def roles(self) -> tuple[str, ...]:
        """The people columns as roles: ("designer",)."""
        return tuple(singular(c) for c in self.people_columns)

    def to_json(self) -> str:
        data = asdict(self)
        data["synonyms"] = {k: list(v) for k, v in self.synonyms.items()}
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DatasetInfo:
        data = json.loads(text)
        return cls(
            noun=data.get("noun", "item"),
            noun_words=tuple(data.get("noun_words", ())),
            facet_columns=tuple(data.get("facet_columns", ("genres",))),
            people_columns=tuple(data.get("people_columns", ())),
            text_columns=tuple(data.get("text_columns", ("description",))),
            synonyms={k: tuple(v) for k, v in data.get("synonyms", {}).items()},
            hints=dict(data.get("hints", {})),
        )

"""How the scripted user says things: a fixed wording per genre and seeded sentence templates.

Every genre has one fixed set of words (`GENRE_WORDS`): an adjective used before "movie"
and an everyday "something ..." phrase ("something scary" for Horror). Which template and
which of the two forms is used comes from the user's seeded random generator, so the same
seed always yields the same messages.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from convrec.recsys.catalog import CatalogItem


@dataclass(frozen=True)
class GenreWords:
    adjective: str  # before another genre's noun: "a FUNNY drama"
    noun: str  # "a ... COMEDY"
    plural: str  # "any good COMEDIES?"
    something: str  # an everyday phrase that stands alone: "something funny"
    mass: str  # "with some ROMANCE too"


GENRE_WORDS: dict[str, GenreWords] = {
    "Action": GenreWords("action", "action movie", "action movies", "something with lots of action",
                     "action"),
    "Adventure": GenreWords("adventure", "adventure", "adventures", "an adventure", "adventure"),
    "Animation": GenreWords("animated", "animated movie", "animated movies", "something animated",
                        "animation"),
    "Children's": GenreWords("family-friendly", "kids' movie", "kids' movies", "something for kids",
                         "family fun"),
    "Comedy": GenreWords("funny", "comedy", "comedies", "something funny", "comedy"),
    "Crime": GenreWords("crime", "crime movie", "crime movies", "a crime story", "crime"),
    "Documentary": GenreWords("documentary", "documentary", "documentaries", "a documentary",
                          "real-life story"),
    "Drama": GenreWords("dramatic", "drama", "dramas", "a good drama", "drama"),
    "Fantasy": GenreWords("fantasy", "fantasy movie", "fantasy movies",
                          "something with magic in it", "fantasy"),
    "Film-Noir": GenreWords("noir", "film noir", "noir films", "a film noir", "noir"),
    "Horror": GenreWords("horror", "horror movie", "horror movies", "something scary", "horror"),
    "Musical": GenreWords("musical", "musical", "musicals", "a musical", "singing and dancing"),
    "Mystery": GenreWords("mystery", "mystery", "mysteries", "a good mystery", "mystery"),
    "Romance": GenreWords("romantic", "romance", "romances", "something romantic", "romance"),
    "Sci-Fi": GenreWords("sci-fi", "sci-fi movie", "sci-fi movies", "some science fiction",
                         "sci-fi"),
    "Thriller": GenreWords("suspenseful", "thriller", "thrillers", "something suspenseful",
                       "suspense"),
    "War": GenreWords("war", "war film", "war films", "a war film", "war"),
    "Western": GenreWords("western", "western", "westerns", "a western", "wild west"),
}

REJECTIONS = ("Not those.", "Hmm, none of these.", "No, not what I'm after.",
              "Nope, not those ones.", "Not quite.")
EMPTY_REJECTIONS = ("You didn't show me anything.", "Nothing came up?", "No results?")
OPENINGS = ("Any good {plural}?", "I'm in the mood for {something}.",
            "Can you recommend {a_movie}?", "Looking for {a_movie} to watch tonight.",
            "Recommend me {something}, please.")
RESTATE = ("Any {plural}{when}?", "Maybe {a_movie}{when}?", "I'd like {a_movie}{when}.",
           "Show me {plural}{when}.")
NO_GENRE = ("Recommend me a movie{when}.", "Any good movies{when}?")
MORE_GENRE = ("Maybe with some {mass} too?", "Ideally with a bit of {mass} as well.",
              "Also {something}, if possible.")
DECADE = ("Something from the {decade} maybe.", "Preferably from the {decade}.",
          "Any from the {decade}?")
YEARS = ("Ideally made between {start} and {end}.", "From around {start} to {end}.",
         "Something released {start}-{end}?")
LIKED = ("I liked {title}, more like that.", "Something like {title} would be great.",
         "I really enjoyed {title}.")
FALLBACK = ("Something else, please.", "Show me some others.", "Any other ideas?")


def genre_words(genre: str) -> GenreWords:
    """The fixed wording of a catalog genre (unknown genres are said as they are)."""
    name = genre.lower()
    return GENRE_WORDS.get(genre) or GenreWords(name, f"{name} movie", f"{name} movies",
                                                f"a {name} movie", name)


def decade_words(year: int, rng: random.Random) -> str:
    """ "90s" or "1990s"."""
    decade = year // 10 * 10
    return rng.choice((f"{decade % 100:02d}s", f"{decade}s"))


def spoken_title(item: CatalogItem) -> str:
    """How a person names a movie: the display title without the bracketed alternative."""
    return item.display_title.split(" (")[0].strip()


def movie_phrase(genres: Sequence[str]) -> dict[str, str]:
    """Template fields for genres, the first one as head noun: plural, a_movie, something, mass.

    ["Drama", "Comedy"] -> "funny dramas", "a funny drama"; one genre keeps its everyday
    "something" phrase ("something scary").
    """
    if not genres:
        return {"plural": "movies", "a_movie": "a movie", "something": "a movie", "mass": ""}
    head = genre_words(genres[0])
    modifiers = " ".join(genre_words(g).adjective for g in genres[1:])
    prefix = f"{modifiers} " if modifiers else ""
    noun = prefix + head.noun
    article = "an" if noun[0] in "aeiou" else "a"
    return {"plural": prefix + head.plural, "a_movie": f"{article} {noun}",
            "something": head.something if len(genres) == 1 else f"{article} {noun}",
            "mass": head.mass}


def when_phrase(decade: str | None, years: tuple[int, int] | None) -> str:
    """" from the 90s", " from 1993 to 1997" or ""."""
    if years:
        return f" from {years[0]} to {years[1]}"
    if decade:
        return f" from the {decade}"
    return ""


def fill(templates: Sequence[str], rng: random.Random, **fields: str) -> str:
    """One seeded template with its fields filled in."""
    return rng.choice(templates).format(**fields)

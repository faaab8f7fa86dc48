"""The request frame: what the planner fills in for one user message.

The LLM never writes tool calls; it fills this compact frame (about ten slots, decodable
under a JSON schema by a small model) and a deterministic compiler turns the frame into
tool calls. `convrec.agent.nlu.extractor.SlotExtractor` fills the same frame without an LLM:
the fallback planner and the critic's reference.

Slot conventions (the dev set, the demonstrations and the extractor all follow them):

- intent, the dialogue act: "recommend" (default), "info" (a question about named items:
  "what year is Fargo?", "tell me about Heat", "who directed it?"), "compare" (two named
  items: "Fargo or Scream, which is better?"), "explain" (why items were picked: "why the
  second one?"), "feedback" (only an opinion about named items: "I hated Titanic", "seen
  it"), "help" ("what can you do?") or "chat" (greetings, thanks, small talk, off-topic).
- genres: catalog genre names that must ALL hold ("sci-fi comedy" -> Comedy + Sci-Fi).
  genres_any: at least one must hold ("a western or a war movie" -> Western, War).
  exclude_genres: genres none of the results may have ("no horror", "nothing animated",
  "I hate westerns").
- Years (both bounds inclusive; the catalog's latest year is `latest_year`, 1998 for
  MovieLens-100K):
  "90s" / "1990s" / "nineties" -> 1990..1999; "early 90s" -> 1990..1993, "mid 90s" ->
  1994..1996, "late 90s" -> 1997..1999; "in 1995" / "from 1995" / bare "1995" -> 1995..1995;
  "between 1980 and 1985" / "1980-1985" / "from 1980 to 1985" -> 1980..1985;
  "before 1970" / "older than 1970" / "pre-1970" -> max 1969; "after 1990" / "newer than
  1990" / "post-1990" -> min 1991; "since 1990" / "1990 or later" / "from 1990 on" -> min 1990;
  "until 1980" / "up to 1980" / "1980 or earlier" -> max 1980; "before the 80s" -> max 1979;
  "after the 80s" -> min 1990; "since the 80s" -> min 1980;
  "recent" / "new" / "latest" -> min latest_year - 2 (1996); "old" / "classic" / "oldies"
  / "golden age" -> max 1969; "not old" -> min 1970. "older" / "newer" beside a liked
  title ("like Jurassic Park but newer"), "newer than X" / "older than it": relative to that
  title's year (min 1994); "the last decade" / "the past 5 years": from latest_year - 9 / - 4.
  exclude_years: a range no result may come from ("not from the 90s", "anything but the
  80s" -> [1980, 1989]).
- similar_to: titles the user liked or wants more like ("like X", "similar to X", "I loved
  X"). The compiler never recommends a similar_to title itself, so a liked title is not
  repeated in exclude_titles (a title sits in exactly one title list).
- exclude_titles: titles seen or not wanted ("I've seen Fargo", "not Armageddon").
  "nothing like Armageddon" only excludes Armageddon itself; it does not steer away from
  similar items.
- about: titles asked about (info, compare) or to explain (explain; empty: all shown).
  disliked: titles the user says they did not like ("I hated Titanic"); never recommended,
  and not treated as watched-and-liked.
- asks: facts asked about an item beyond what the catalog may hold ("people": who is in
  it / who directed it, "plot": what it is about, "runtime": how long it is, "rating": is
  it any good, "count": how many items there are), so the reply can say plainly what it
  does not know, or count the items that meet the frame's conditions.
- people: names of people asked for ("something with Tom Hanks", "Hitchcock films"); on a
  catalog with people columns, the catalog's spelling of those it holds ("games by Knizia" ->
  "Reiner Knizia"). exclude_people: catalog people not wanted ("but not Knizia").
- count: how many items the user asked for (1-20; "give me 10", "just one"); None: default.
- quality: true for "top rated" / "the best": rank by the mean rating the data gives.
- narrow: true when a refinement picks from what was just shown as well ("only the 80s
  ones", "keep just the comedies"): the last list's items may come back.
- moods: moods or content wishes no catalog field can judge ("uplifting", "not too
  violent"); the reply says they were not taken into account.
- query: a short free-text description for semantic search, ONLY for positive content that
  genres and years cannot express ("heist", "about a shark", "with jedi", an actor's name);
  None otherwise. Moods and quality words ("good", "thought-provoking") and negative content
  ("not slasher stuff") are not a query.
- popularity: "popular" ("popular", "well known", "blockbusters") or "obscure" ("hidden
  gems", "underrated", "lesser known"); None when not asked.
- refine: the message refines the previous request ("something older", "more like that",
  "any comedies instead?"). A frame produced for a refinement is the EFFECTIVE request
  after the turn (the previous slots merged with the new ones, see `merge_frames`), so the
  compiler and the scorer only ever see complete frames. Genres named in a refinement
  replace the previous ones after "instead" / "what about" / "how about" / "rather" and are
  added to them otherwise ("and make them funny", "same but animated"); a new request that
  does not lean on the previous one ("ok forget that. horror from the 70s") has
  refine=False and carries nothing. `previous` is the last recommendation frame: an info
  question or chit-chat is never a refinement.

Titles are catalog DISPLAY titles ("The Godfather"), once grounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

Intent = Literal["recommend", "info", "compare", "explain", "feedback", "help", "chat"]
Fact = Literal["people", "plot", "runtime", "rating", "count", "players", "price",
               "complexity", "age", "publisher"]
Popularity = Literal["popular", "obscure"]

OLD_YEAR_MAX = 1969
RECENT_SPAN = 2
DECADE_STEP = 10
TITLE_SLOTS = ("similar_to", "exclude_titles", "about", "disliked")  # catalog titles
LIST_SLOTS = ("genres", "genres_any", "exclude_genres", "people", "exclude_people", "asks",
              "moods", *TITLE_SLOTS)
MAX_COUNT = 20
ITEM_ACTS = ("info", "compare", "explain")  # acts about named or shown items


class RequestFrame(BaseModel):
    """The slots of one request; see the module docstring for how each is filled."""

    model_config = ConfigDict(extra="forbid")

    intent: Intent = "recommend"
    genres: list[str] = Field(default_factory=list)
    exclude_genres: list[str] = Field(default_factory=list)
    year_min: int | None = None
    year_max: int | None = None
    similar_to: list[str] = Field(default_factory=list)
    exclude_titles: list[str] = Field(default_factory=list)
    about: list[str] = Field(default_factory=list)
    query: str | None = None
    popularity: Popularity | None = None
    refine: bool = False
    genres_any: list[str] = Field(default_factory=list)
    exclude_years: tuple[int, int] | None = None
    disliked: list[str] = Field(default_factory=list)
    asks: list[Fact] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    count: int | None = Field(None, ge=1, le=MAX_COUNT)
    quality: bool = False
    narrow: bool = False
    moods: list[str] = Field(default_factory=list)
    exclude_people: list[str] = Field(default_factory=list)

    @field_validator(*LIST_SLOTS)
    @classmethod
    def _dedupe(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(v for v in values if v))

    @field_validator("exclude_years")
    @classmethod
    def _ordered(cls, years: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if years is None else (min(years), max(years))

    def compact(self) -> dict:
        """The frame as a dict without default slots (for prompts, demos and logs)."""
        return self.model_dump(exclude_defaults=True)

    def has_constraints(self) -> bool:
        """True when any recommendation slot is set (genres, years, titles, query, ...)."""
        return any(getattr(self, name) not in (None, [], False)
                   for name in FRAME_FIELDS if name not in ("intent", "refine"))


FRAME_FIELDS: tuple[str, ...] = tuple(RequestFrame.model_fields)


def frame_schema(genres: Sequence[str]) -> type[RequestFrame]:
    """A RequestFrame subclass whose genre slots only accept the given catalog genre names.

    Its JSON schema (`.model_json_schema()`) is what constrained decoding should follow.
    """
    if not genres:
        raise ValueError("frame_schema needs the catalog's genre names; got none")
    genre = Literal[tuple(genres)]  # type: ignore[valid-type]
    return create_model(
        "CatalogRequestFrame",
        __base__=RequestFrame,
        genres=(list[genre], Field(default_factory=list)),
        exclude_genres=(list[genre], Field(default_factory=list)),
        genres_any=(list[genre], Field(default_factory=list)),
    )


def merge_frames(previous: RequestFrame | None, current: RequestFrame) -> RequestFrame:
    """The effective request after a refinement: `current` refines `previous`.

    If `current.refine` is False (or there is no previous frame) `current` stands alone.
    Otherwise: the year range is replaced as a unit when `current` sets any bound, else
    carried; genres and similar_to are replaced when `current` names any, else carried
    (callers that mean "also" put the previous genres into `current` themselves);
    exclusions accumulate; query and popularity are carried unless `current` sets them;
    `about` is never carried. A genre asked for now is dropped from the exclusions and a
    genre excluded now is dropped from the genres. Any-of genres travel with the genres;
    an excluded year range narrows the years already asked for ("not from 1997 though");
    count and quality are carried unless `current` sets them; people (which the reply
    answers once), disliked titles and asked facts are never carried.
    """
    if previous is None or not current.refine:
        return current
    has_years = current.year_min is not None or current.year_max is not None
    names_genres = bool(current.genres or current.genres_any)
    genres = current.genres if names_genres else \
        [g for g in previous.genres if g not in current.exclude_genres]
    genres_any = current.genres_any if names_genres else \
        [g for g in previous.genres_any if g not in current.exclude_genres]
    exclude_genres = [g for g in [*previous.exclude_genres, *current.exclude_genres]
                      if g not in genres and g not in genres_any]
    similar = current.similar_to or previous.similar_to
    exclude_titles = [t for t in [*previous.exclude_titles, *current.exclude_titles]
                      if t not in similar]
    return RequestFrame(
        intent=current.intent,
        genres=genres,
        exclude_genres=exclude_genres,
        year_min=current.year_min if has_years else previous.year_min,
        year_max=current.year_max if has_years else previous.year_max,
        similar_to=similar,
        exclude_titles=exclude_titles,
        about=current.about,
        query=current.query if current.query is not None else previous.query,
        popularity=current.popularity or previous.popularity,
        refine=True,
        genres_any=genres_any,
        exclude_years=current.exclude_years or _still_excluded(previous.exclude_years, current),
        disliked=current.disliked,
        asks=current.asks,
        people=current.people,
        count=current.count or previous.count,
        quality=current.quality or previous.quality,
        narrow=current.narrow,
        moods=current.moods,
        exclude_people=[p for p in [*previous.exclude_people, *current.exclude_people]
                        if p not in current.people],
    )


def _still_excluded(excluded: tuple[int, int] | None, current: RequestFrame
                    ) -> tuple[int, int] | None:
    """A range excluded before stays excluded unless the new years lie inside it."""
    if excluded is None:
        return None
    low = current.year_min if current.year_min is not None else excluded[0] - 1
    high = current.year_max if current.year_max is not None else excluded[1] + 1
    return None if excluded[0] <= low and high <= excluded[1] else excluded


def shift_years(previous: RequestFrame | None, direction: Literal["older", "newer"],
                latest_year: int) -> tuple[int | None, int | None]:
    """The year range for "something older" / "something newer" relative to `previous`.

    older: below the previous range's start (max = previous min - 1); with only a previous
    max, ten years below it; with no previous years, the "old" rule (max 1969).
    newer: above the previous range's end (min = previous max + 1); with only a previous
    min, ten years above it (capped at the "recent" start); with no previous years, the
    "recent" rule (min = latest_year - 2).
    """
    low = previous.year_min if previous else None
    high = previous.year_max if previous else None
    recent = latest_year - RECENT_SPAN
    if direction == "older":
        if low is not None:
            return None, low - 1
        if high is not None:
            return None, high - DECADE_STEP
        return None, OLD_YEAR_MAX
    if high is not None:
        return min(high + 1, latest_year), None
    if low is not None:
        return min(low + DECADE_STEP, recent), None
    return recent, None

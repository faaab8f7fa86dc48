"""A user's memory as a value: liked / disliked / seen items and stated expectations.

Plain dataclasses, JSON-ready through `to_dict` / `from_dict`; a `convrec.memory.store.Store`
persists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from convrec.memory.keys import check_item_id

MAX_NOTES = 20
MAX_NOTE_CHARS = 300

def _unique_ids(ids: Iterable[object]) -> list[int]:
    return list(dict.fromkeys(check_item_id(i) for i in ids))


def _genre_key(genre: str) -> str:
    return genre.strip().casefold()


def _clean_genres(genres: Iterable[str]) -> list[str]:
    kept: dict[str, str] = {}
    for genre in genres:
        if not isinstance(genre, str) or not genre.strip():
            raise ValueError(f"a genre must be a non-empty string, got {genre!r}")
        kept.setdefault(_genre_key(genre), genre.strip())
    return list(kept.values())


def _check_year(year: object, name: str) -> int | None:
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"{name} must be an int year or None, got {year!r}")
    return year


@dataclass
class Expectations:
    """What the user stated they want: genres to prefer or avoid, a year range, free notes.

    Names follow the planner's request frame: `genres` are preferred (soft), `exclude_genres`
    are never wanted ("no horror"), `year_min`/`year_max` are inclusive bounds.
    """

    genres: list[str] = field(default_factory=list)
    exclude_genres: list[str] = field(default_factory=list)
    year_min: int | None = None
    year_max: int | None = None
    notes: list[str] = field(default_factory=list)

    def prefer(self, genres: Iterable[str]) -> None:
        """Add preferred genres; a preferred genre is no longer excluded."""
        new = _clean_genres(genres)
        drop = {_genre_key(g) for g in new}
        self.exclude_genres = [g for g in self.exclude_genres if _genre_key(g) not in drop]
        self.genres = _clean_genres([*self.genres, *new])

    def exclude(self, genres: Iterable[str]) -> None:
        """Add excluded genres; an excluded genre is no longer preferred."""
        new = _clean_genres(genres)
        drop = {_genre_key(g) for g in new}
        self.genres = [g for g in self.genres if _genre_key(g) not in drop]
        self.exclude_genres = _clean_genres([*self.exclude_genres, *new])

    def forget(self, genres: Iterable[str]) -> None:
        """Drop genres from both lists ("actually, horror is fine")."""
        drop = {_genre_key(g) for g in _clean_genres(genres)}
        self.genres = [g for g in self.genres if _genre_key(g) not in drop]
        self.exclude_genres = [g for g in self.exclude_genres if _genre_key(g) not in drop]

    def set_years(self, year_min: int | None = None, year_max: int | None = None) -> None:
        """Set the given bounds; a new bound that contradicts the other one replaces it."""
        year_min = _check_year(year_min, "year_min")
        year_max = _check_year(year_max, "year_max")
        if year_min is not None and year_max is not None and year_min > year_max:
            raise ValueError(f"year_min {year_min} is after year_max {year_max}")
        if year_min is not None:
            self.year_min = year_min
            if self.year_max is not None and self.year_max < year_min and year_max is None:
                self.year_max = None
        if year_max is not None:
            self.year_max = year_max
            if self.year_min is not None and self.year_min > year_max:
                self.year_min = None

    def add_notes(self, notes: Iterable[str]) -> None:
        """Append free-text notes (trimmed, deduplicated; only the latest MAX_NOTES kept)."""
        cleaned = [n.strip()[:MAX_NOTE_CHARS] for n in notes if isinstance(n, str) and n.strip()]
        merged = list(dict.fromkeys([*self.notes, *cleaned]))
        self.notes = merged[-MAX_NOTES:]

    def is_empty(self) -> bool:
        return self == Expectations()


@dataclass
class UserProfile:
    """One user's memory: ordered, duplicate-free item id lists and stated expectations.

    `liked` and `disliked` never share an item (the later statement wins). A like does not
    mark the item seen: call `mark_seen` too when the user says they watched it.
    """

    liked: list[int] = field(default_factory=list)
    disliked: list[int] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)
    expectations: Expectations = field(default_factory=Expectations)

    def like(self, item_id: int) -> None:
        item = check_item_id(item_id)
        self.disliked = [i for i in self.disliked if i != item]
        if item not in self.liked:
            self.liked.append(item)

    def dislike(self, item_id: int) -> None:
        item = check_item_id(item_id)
        self.liked = [i for i in self.liked if i != item]
        if item not in self.disliked:
            self.disliked.append(item)

    def mark_seen(self, item_ids: Iterable[int]) -> None:
        self.seen = _unique_ids([*self.seen, *item_ids])

    def excluded_ids(self) -> set[int]:
        """Items never to recommend again: seen or disliked."""
        return set(self.seen) | set(self.disliked)

    def apply(self, update: ProfileUpdate) -> None:
        """Apply one turn's changes in place (see `ProfileUpdate`)."""
        clash = set(_unique_ids(update.liked)) & set(_unique_ids(update.disliked))
        if clash:
            raise ValueError(f"items both liked and disliked in one update: {sorted(clash)}")
        for item in update.liked:
            self.like(item)
        for item in update.disliked:
            self.dislike(item)
        self.mark_seen(update.seen)
        exp = self.expectations
        exp.forget(update.forget_genres)
        exp.prefer(update.genres)
        exp.exclude(update.exclude_genres)
        if update.clear_years:
            exp.year_min = exp.year_max = None
        exp.set_years(update.year_min, update.year_max)
        exp.add_notes(update.notes)

    def is_empty(self) -> bool:
        return self == UserProfile()

    def to_dict(self) -> dict[str, Any]:
        exp = self.expectations
        return {
            "liked": list(self.liked),
            "disliked": list(self.disliked),
            "seen": list(self.seen),
            "expectations": {
                "genres": list(exp.genres),
                "exclude_genres": list(exp.exclude_genres),
                "year_min": exp.year_min,
                "year_max": exp.year_max,
                "notes": list(exp.notes),
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UserProfile:
        exp = data.get("expectations") or {}
        expectations = Expectations(
            genres=_clean_genres(exp.get("genres", [])),
            exclude_genres=_clean_genres(exp.get("exclude_genres", [])),
            year_min=_check_year(exp.get("year_min"), "year_min"),
            year_max=_check_year(exp.get("year_max"), "year_max"),
        )
        expectations.add_notes(exp.get("notes", []))
        return cls(
            liked=_unique_ids(data.get("liked", [])),
            disliked=_unique_ids(data.get("disliked", [])),
            seen=_unique_ids(data.get("seen", [])),
            expectations=expectations,
        )


@dataclass(frozen=True)
class ProfileUpdate:
    """One turn's additions to a profile; every field is optional and additive.

    liked/disliked/seen: item ids; genres/exclude_genres: as in `Expectations.prefer` /
    `exclude`; forget_genres: dropped from both; year_min/year_max: new bounds;
    clear_years: drop both bounds first; notes: free text ("watches with kids").
    """

    liked: tuple[int, ...] = ()
    disliked: tuple[int, ...] = ()
    seen: tuple[int, ...] = ()
    genres: tuple[str, ...] = ()
    exclude_genres: tuple[str, ...] = ()
    forget_genres: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    clear_years: bool = False
    notes: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, changes: Mapping[str, Any]) -> ProfileUpdate:
        """Build from a dict such as {"liked": [49], "exclude_genres": ["Horror"]}."""
        known = {f.name for f in fields(cls)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(
                f"unknown profile change(s) {sorted(unknown)}; allowed: {sorted(known)}"
            )
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if cls.__dataclass_fields__[name].default == ():
                many = isinstance(value, Iterable) and not isinstance(value, str)
                value = tuple(value) if many else (value,)
            values[name] = value
        return cls(**values)


ProfileChange = Callable[[UserProfile], UserProfile | None] | ProfileUpdate | Mapping[str, Any]


def excluded_ids(profile: UserProfile) -> set[int]:
    """Items never to recommend to this user again: seen | disliked."""
    return profile.excluded_ids()

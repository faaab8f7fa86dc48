"""The case format of the conversation benchmark (docs/talk_bench.md): loading a set and
validating every case, so a bad case fails on load with its file, line and key.

Titles in checks are exact catalog display titles ("The Godfather"; "Cape Fear (1962)" also
works for the few display titles two items share); "#N" is the N-th item of the agent's
previous reply in the case.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from convrec.recsys.catalog import Catalog

ACTS = ("recommend", "info", "compare", "explain", "feedback", "help", "chat")
REFERENCE = re.compile(r"#(\d+)")
TALK_SETS = ("dev", "test", "test2", "test3")
CATEGORIES = (
    "recommend", "refine", "negated_years", "relative_years", "any_of", "count", "reference",
    "info", "info_missing", "compare", "explain", "feedback", "help", "offtopic",
    "unknown_title", "people", "quality", "typos", "language", "negation", "honesty",
)
CASE_KEYS = ("id", "category", "turns", "note")
TURN_KEYS = ("user", "expect")
# key -> the kind of value it takes (see `_validate_value`)
CHECK_KEYS: dict[str, str] = {
    "act": "act", "n_items": "count", "min_items": "count", "no_items": "true",
    "genres_all": "genres", "genres_any": "genres", "genres_none": "genres",
    "year_min": "year", "year_max": "year", "years_outside": "span",
    "titles_shown": "refs", "titles_not_shown": "refs", "similar_to": "ref",
    "mentions": "refs", "text_has": "strings", "text_lacks": "strings", "admits": "true",
    "min_avg_rating": "number", "people_any": "people",
    "profile_liked": "refs", "profile_disliked": "refs", "profile_seen": "refs",
}


@dataclass(frozen=True)
class TalkTurn:
    user: str
    expect: dict[str, Any] | None = None  # None: the turn only sets the scene


@dataclass(frozen=True)
class TalkCase:
    id: str
    category: str
    turns: tuple[TalkTurn, ...]


class Titles:
    """Exact catalog display titles -> item ids (a few display titles name two items)."""

    def __init__(self, catalog: Catalog):
        self._ids: dict[str, list[int]] = {}
        self._labels: dict[str, list[int]] = {}
        for row in catalog.title_rows():
            self._ids.setdefault(row.display_title, []).append(row.id)
            if row.year:
                self._labels.setdefault(f"{row.display_title} ({row.year})", []).append(row.id)

    def ids(self, title: str) -> tuple[int, ...]:
        """The items a title names (empty when none): the display title, else "Title (Year)"."""
        return tuple(self._ids.get(title) or self._labels.get(title) or ())


# --- loading ---------------------------------------------------------------------------------

def set_path(name: str) -> Traversable:
    """A set's file: a shipped set by name ("dev"), or any path ending in .jsonl."""
    if name.endswith(".jsonl"):
        return Path(name)
    return resources.files("convrec.eval").joinpath(f"data/talk_{name}.jsonl")


def default_sets(dataset: str) -> list[str]:
    """The shipped sets of a dataset: MovieLens's are dev, test, ...; another dataset's are
    <name>_dev, <name>_test (e.g. boardgames_dev for the board-game fixture "boardgames")."""
    if dataset == "movielens-100k":
        return [name for name in TALK_SETS if has_set(name)]
    return [f"{dataset}_{name}" for name in TALK_SETS if has_set(f"{dataset}_{name}")]


def has_set(name: str) -> bool:
    return set_path(name).is_file()


def load_set(name: str, titles: Titles, genres: Sequence[str],
             people: Sequence[str] = ()) -> list[TalkCase]:
    """Read and validate a set; ValueError "<file>:<line>: ..." names the first bad case."""
    path = set_path(name)
    if not path.is_file():
        raise FileNotFoundError(f"no talk set {name!r} at {path}; shipped sets: "
                                f"{', '.join(TALK_SETS)} (or give a path to a .jsonl file)")
    cases: list[TalkCase] = []
    ids: set[str] = set()
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = _parse_case(line, titles, genres, people)
            if case.id in ids:
                raise ValueError(f"case id {case.id!r} is used twice")
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from None
        ids.add(case.id)
        cases.append(case)
    return cases


def _parse_case(line: str, titles: Titles, genres: Sequence[str],
                people: Sequence[str] = ()) -> TalkCase:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(row, dict):
        raise ValueError("a case is a JSON object")
    _known_keys(row, CASE_KEYS, "case")
    case_id, category, turns = row.get("id"), row.get("category"), row.get("turns")
    if not isinstance(case_id, str) or not case_id.strip():
        raise ValueError(f"id: needs a non-empty string, got {case_id!r}")
    where = f"case {case_id!r}"
    if category not in CATEGORIES:
        raise ValueError(f"{where}: category: {category!r} is not one of "
                         f"{', '.join(CATEGORIES)}")
    if not isinstance(turns, list) or not turns:
        raise ValueError(f"{where}: turns: needs a non-empty list of turns")
    parsed = []
    for n, turn in enumerate(turns, 1):
        try:
            parsed.append(_parse_turn(turn, titles, genres, people))
        except ValueError as exc:
            raise ValueError(f"{where} turn {n}: {exc}") from None
    if all(turn.expect is None for turn in parsed):
        raise ValueError(f"{where}: no turn has an expect, so nothing is checked")
    return TalkCase(case_id, category, tuple(parsed))


def _parse_turn(turn: object, titles: Titles, genres: Sequence[str],
                people: Sequence[str] = ()) -> TalkTurn:
    if not isinstance(turn, dict):
        raise ValueError("a turn is an object {\"user\": ..., \"expect\": {...}}")
    _known_keys(turn, TURN_KEYS, "turn")
    user = turn.get("user")
    if not isinstance(user, str):
        raise ValueError(f"user: needs the user's message (a string), got {user!r}")
    expect = turn.get("expect")
    if expect is not None:
        validate_expect(expect, titles, genres, people)
    return TalkTurn(user, expect)


def _known_keys(row: dict, known: Sequence[str], what: str) -> None:
    unknown = [key for key in row if key not in known]
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown {what} key; a {what} has {', '.join(known)}")


def select(cases: Sequence[TalkCase], categories: Sequence[str] | None = None,
           limit: int | None = None) -> list[TalkCase]:
    """The cases of the given categories (all when None), the first `limit` of them."""
    unknown = [c for c in categories or () if c not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown category {unknown[0]!r}; categories are "
                         f"{', '.join(CATEGORIES)}")
    kept = [c for c in cases if not categories or c.category in categories]
    return kept[:limit] if limit is not None else kept


def set_name(name: str) -> str:
    return Path(name).stem if name.endswith(".jsonl") else name


# --- validation ------------------------------------------------------------------------------

def validate_expect(expect: object, titles: Titles, genres: Sequence[str],
                    people: Sequence[str] = ()) -> None:
    """Raise ValueError("<key>: <problem>") for the first thing wrong in a turn's `expect`."""
    if not isinstance(expect, dict):
        raise ValueError(f"expect must be an object, got {type(expect).__name__}")
    if not expect:
        raise ValueError("expect is empty; leave it out for a turn that only sets the scene")
    for key, value in expect.items():
        kind = CHECK_KEYS.get(key)
        if kind is None:
            raise ValueError(f"{key}: unknown check; the checks are {', '.join(CHECK_KEYS)}")
        try:
            _validate_value(kind, value, titles, genres, people)
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None


def _validate_value(kind: str, value: Any, titles: Titles, genres: Sequence[str],
                    people: Sequence[str] = ()) -> None:
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if kind == "act" and value not in ACTS:
        raise ValueError(f"{value!r} is not an act; acts are {', '.join(ACTS)}")
    if kind == "count" and not (is_int and value >= 0):
        raise ValueError(f"needs a whole number >= 0, got {value!r}")
    if kind == "true" and value is not True:
        raise ValueError(f"the only value is true, got {value!r}")
    if kind == "year" and not is_int:
        raise ValueError(f"needs a year (int), got {value!r}")
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ValueError(f"needs a number, got {value!r}")
    if kind == "span" and not (isinstance(value, list) and len(value) == 2
                               and all(isinstance(v, int) and not isinstance(v, bool)
                                       for v in value) and value[0] <= value[1]):
        raise ValueError(f"needs [lo, hi] years with lo <= hi, got {value!r}")
    if kind in ("genres", "strings", "refs", "people"):
        if not (isinstance(value, list) and value and all(isinstance(v, str) and v.strip()
                                                          for v in value)):
            raise ValueError(f"needs a non-empty list of strings, got {value!r}")
        if kind == "genres":
            unknown = [g for g in value if g not in genres]
            if unknown:
                raise ValueError(f"unknown genre {unknown[0]!r}; genres are {', '.join(genres)}")
        if kind == "people" and (unknown := [p for p in value if p not in people]):
            raise ValueError(f"{unknown[0]!r} is not a person of this catalog")
    if kind == "ref" and not isinstance(value, str):
        raise ValueError(f"needs one title or '#N', got {value!r}")
    for ref in value if kind == "refs" else [value] if kind == "ref" else []:
        _validate_ref(ref, titles)


def _validate_ref(ref: str, titles: Titles) -> None:
    if ref.startswith("#"):
        match = REFERENCE.fullmatch(ref)
        if not match or int(match.group(1)) < 1:
            raise ValueError(f"{ref!r} is not a reference; write #1, #2, ...")
    elif not titles.ids(ref):
        raise ValueError(f"{ref!r} is not a catalog title (use the exact display title, "
                         "e.g. 'The Godfather')")

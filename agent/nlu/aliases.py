"""Alias search keys for catalog titles: the short forms people type for a title.

Built from the catalog's own titles, no hand-made list: dotted initialisms written without
dots ("L.A. Confidential" -> "la confidential", "E.T. the Extra-Terrestrial" -> "et"),
alternative titles after "or:" ("Dr. Strangelove or: How I ..." -> "dr strangelove"),
sequel numerals in either form ("part ii" <-> "part 2" <-> "2" <-> "ii"), and the
initial-plus-number short form of a one-word sequel ("Terminator 2" -> "t2") when no other
catalog title shares it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from convrec.recsys.titles import ROMAN_NUMERALS, search_key

_INITIALISM = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_ARABIC = {v: k for k, v in ROMAN_NUMERALS.items()}
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()) if i >= 2}
_DIGITS = {v: k for k, v in _NUMBER_WORDS.items()}
_SEQUEL = re.compile(r"^(?:the |a |an )?(?P<word>[a-z]{3,}) (?P<number>[2-9])$")


def initialism_aliases(title: str) -> list[str]:
    """Keys of `title` with dotted initialisms undotted ("L.A." -> "la"), and the leading
    initialism alone when more words follow it ("E.T. the Extra-Terrestrial" -> "et")."""
    matches = list(_INITIALISM.finditer(title))
    if not matches:
        return []
    undotted = _INITIALISM.sub(lambda m: m.group().replace(".", ""), title)
    keys = [search_key(undotted)]
    first = matches[0]
    if first.start() == 0 and len(title[first.end():].split()) >= 2:
        letters = first.group().replace(".", "").lower()
        keys += [letters, " ".join(letters)]
    return keys


def alternative_head(outside: str) -> str | None:
    """The title before "or:" ("Dr. Strangelove or: How I Learned ..." -> "Dr. Strangelove")."""
    match = re.match(r"^(?P<head>.+?),? or: ", outside)
    return match.group("head") if match else None


def numeral_aliases(key: str) -> list[str]:
    """The key with numbers in other forms: "godfather part ii" -> "godfather part 2",
    "godfather 2", "godfather ii"; "terminator 2" -> "terminator ii"; "twelve monkeys" ->
    "12 monkeys" (roman numerals only after the first word: "I", "V" start sentences)."""
    words = key.split()
    if len(words) < 2:
        return []
    out: list[str] = []
    for i, word in enumerate(words):
        forms = [_NUMBER_WORDS.get(word) or _DIGITS.get(word)]
        if i >= 1:
            forms += [ROMAN_NUMERALS.get(word), _ARABIC.get(word)]
        others = [f for f in forms if f]
        if not others:
            continue
        for number in (word, *others):
            swapped = [*words[:i], number, *words[i + 1:]]
            out.append(" ".join(swapped))
            if i >= 2 and words[i - 1] == "part":
                out.append(" ".join([*words[:i - 1], number, *words[i + 1:]]))
    return [k for k in dict.fromkeys(out) if k != key]


def numerals(key: str) -> frozenset[str]:
    """The sequel numbers in a key, as digits: "star trek iii" -> {"3"}."""
    return frozenset(ROMAN_NUMERALS.get(w, w) for w in key.split()
                     if w in ROMAN_NUMERALS or w.isdigit())


def sequel_short_forms(keys_by_title: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Initial-plus-number forms ("t2") of one-word sequels, kept only when unambiguous."""
    owners: dict[str, set[str]] = defaultdict(set)
    for title, keys in keys_by_title:
        for key in keys:
            match = _SEQUEL.match(key)
            if match:
                owners[match.group("word")[0] + match.group("number")].add(title)
    return {alias: next(iter(titles)) for alias, titles in owners.items() if len(titles) == 1}

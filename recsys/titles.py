"""Title normalisation: "Godfather, The (1972)" -> ("The Godfather", 1972)."""

from __future__ import annotations

import re
import unicodedata

# Articles that MovieLens (and many catalogs) move to the end: "Godfather, The".
ARTICLES = ("The", "A", "An", "Les", "Le", "La", "L'", "Il", "El", "Das", "Der", "Die", "Os")

_YEAR_SUFFIX = re.compile(r"\s*\((\d{4})\)\s*$")
_MOVED_ARTICLE = re.compile(
    r"^(?P<head>.+?), (?P<article>" + "|".join(re.escape(a) for a in ARTICLES) + r")"
    r"(?P<tail>(?:\s*[:(].*)?)$"
)


def split_year(title: str) -> tuple[str, int | None]:
    """Strip a trailing "(1995)" and return (title, year or None)."""
    match = _YEAR_SUFFIX.search(title)
    if not match:
        return title.strip(), None
    return title[: match.start()].strip(), int(match.group(1))


def display_title(title: str) -> str:
    """Move a trailing article to the front: "Godfather: Part II, The" -> "The Godfather: Part II".

    The year, if any, is removed; `split_year` returns it.
    """
    bare, _ = split_year(title)
    match = _MOVED_ARTICLE.match(bare)
    if not match:
        return bare
    article = match.group("article")
    joiner = "" if article.endswith("'") else " "
    return f"{article}{joiner}{match.group('head')}{match.group('tail')}".strip()


def search_key(title: str) -> str:
    """A lower-case, accent-free, punctuation-light key for fuzzy matching of titles."""
    text = display_title(title)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()

"""Title normalisation: "Godfather, The (1972)" -> ("The Godfather", 1972), and the keys
both title matchers compare (`search_key`, `fold`, `strip_article`, `ROMAN_NUMERALS`)."""

from __future__ import annotations

import re
import unicodedata

# Articles that MovieLens (and many catalogs) move to the end: "Godfather, The".
ARTICLES = ("The", "A", "An", "Les", "Le", "La", "L'", "Il", "El", "Das", "Der", "Die", "Os")
# The same articles as they start a search key: "l'" becomes "l" ("l avventura").
ARTICLE_KEYS = tuple(a.lower().rstrip("'") for a in ARTICLES)
ENGLISH_ARTICLE_KEYS = ("the", "an", "a")
ROMAN_NUMERALS = {"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8",
                  "ix": "9"}

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


def _ascii(text: str) -> str:
    """Accents off: "Cité" -> "Cite"; characters with no ASCII form are dropped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def search_key(title: str) -> str:
    """A lower-case, accent-free, punctuation-light key for fuzzy matching of titles."""
    text = _ascii(display_title(title)).lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """Lower case and strip accents, keeping every character position (len is preserved).

    For free text whose spans must map back to the message; its words are search-key words.
    """
    out = []
    for char in text:
        low = (_ascii(char)[:1] or char).lower()
        out.append(low if len(low) == 1 else char)
    return "".join(out).replace("\u2019", "'").replace("\u2018", "'")


def strip_article(key: str, articles: tuple[str, ...] = ARTICLE_KEYS, min_rest: int = 1) -> str:
    """A search key without its leading article ("the godfather" -> "godfather"), unless fewer
    than `min_rest` characters would remain."""
    for article in articles:
        if key.startswith(article + " ") and len(key) - len(article) - 1 >= min_rest:
            return key[len(article) + 1:]
    return key

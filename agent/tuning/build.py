"""The planner corpus as trained on: a mix of generated request kinds (`corpus.CorpusWriter`),
hand-written examples first, deduplicated on normalised text, minus anything close to a
labeled (held-out) request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from convrec.agent.frame import RequestFrame
from convrec.agent.tuning import phrases as P
from convrec.agent.tuning.acts import RichWriter
from convrec.agent.tuning.corpus import CorpusExample, CorpusWriter
from convrec.agent.tuning.words import corpus_words
from convrec.recsys.catalog import Catalog

NEAR_DUPLICATE = 90  # rapidfuzz token_set_ratio at or above this counts as the same request
TITLE_POOL = 900  # the most popular catalog titles that requests mention


MIX = (("recommend", 0.22), ("refinement", 0.14), ("info", 0.04), ("ask", 0.06), ("chat", 0.05),
       ("help", 0.02), ("empty", 0.03), ("feedback", 0.05), ("compare", 0.04),
       ("explain", 0.02), ("rich", 0.1), ("narrow", 0.03), ("hard", 0.16), ("foreign", 0.04))
BASIC_MIX = (("recommend", 0.5), ("refinement", 0.25), ("info", 0.1), ("chat", 0.08),
             ("empty", 0.07))  # what a plain CorpusWriter writes (generator version 2)


def generate_corpus(writer: CorpusWriter, size: int) -> list[CorpusExample]:
    """`size` distinct examples (by normalised message and previous frame), hand-written first."""
    seen: set[tuple[str, str]] = set()
    examples = []
    hand_written = P.HAND_WRITTEN if writer.words.adj is P.GENRE_ADJ else ()
    for message, frame in hand_written:  # written for MovieLens (its genres, titles, years)
        if not _fits(RequestFrame(**frame), writer):
            continue
        examples.append(CorpusExample(message, None, RequestFrame(**frame), "hand"))
        seen.add((normalise(message), ""))
    kinds, weights = zip(*(MIX if isinstance(writer, RichWriter) else BASIC_MIX))
    attempts = 0
    while len(examples) < size and attempts < size * 20:
        attempts += 1
        kind = writer.rng.choices(kinds, weights)[0]
        example = getattr(writer, kind)()
        key = (normalise(example.message),
               example.previous.model_dump_json() if example.previous else "")
        if key in seen or not example.message:
            continue
        seen.add(key)
        examples.append(example)
    return examples


def writer_for(catalog: Catalog, seed: int = 0) -> RichWriter:
    """A writer over the catalog's genres, its most popular titles and its people."""
    titles = [(r.display_title, r.popularity) for r in catalog.title_rows(TITLE_POOL)]
    latest = catalog.latest_year()
    if latest is None:
        raise ValueError("the catalog has no release years; the corpus writes year requests, "
                         "so it needs a catalog with years")
    return RichWriter(catalog.genres, titles, latest, seed,
                      corpus_words(catalog.genres, catalog.info), noun=catalog.info.noun,
                      people=_known_people(catalog))


def _known_people(catalog: Catalog, most: int = 300) -> list[str]:
    """The catalog's people named on the most items (requests name the well-known ones)."""
    rows = catalog.execute(
        "SELECT p.name FROM people p JOIN item_people ip USING (person_id) "
        "GROUP BY p.person_id ORDER BY COUNT(*) DESC, p.name LIMIT ?", (most,))
    return [r[0] for r in rows]


def _fits(frame: RequestFrame, writer: CorpusWriter) -> bool:
    genres = {*frame.genres, *frame.genres_any, *frame.exclude_genres}
    titles = {*frame.similar_to, *frame.exclude_titles, *frame.about, *frame.disliked}
    return genres <= set(writer.genres) and titles <= set(writer.titles)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", text.lower())).strip()


def drop_collisions(examples: Sequence[CorpusExample],
                    held_out: Iterable[str]) -> tuple[list[CorpusExample], int, int]:
    """Examples whose message is not a held-out message: not equal after normalising, and
    below `NEAR_DUPLICATE` rapidfuzz token_set_ratio against every held-out message.

    Returns (kept, dropped as exact, dropped as near duplicates).
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    held = sorted({normalise(m) for m in held_out})
    exact = {i for i, e in enumerate(examples) if normalise(e.message) in set(held)}
    scores = process.cdist([normalise(e.message) for e in examples], held,
                           scorer=fuzz.token_set_ratio, workers=1)
    near = {int(i) for i in np.flatnonzero(scores.max(axis=1) >= NEAR_DUPLICATE)} - exact
    kept = [e for i, e in enumerate(examples) if i not in exact and i not in near]
    return kept, len(exact), len(near)


def build_corpus(catalog: Catalog, size: int, seed: int,
                 held_out: Iterable[str]) -> tuple[list[CorpusExample], dict[str, int]]:
    """The training corpus: `size` generated examples minus collisions with `held_out`."""
    generated = generate_corpus(writer_for(catalog, seed), size)
    kept, exact, near = drop_collisions(generated, held_out)
    return kept, {"generated": len(generated), "dropped_exact": exact, "dropped_near": near,
                  "kept": len(kept)}

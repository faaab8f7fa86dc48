"""The facet words and item nouns the corpus is written with, for any catalog.

MovieLens keeps the hand-written tables of `phrases` (the shipped adapter was trained on
them); any other catalog gets words derived from its own facet values and noun: the
value's forms and everyday words (`FacetLexicon`), "<value> <nouns>" ("strategy games"),
and its plural noun.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from convrec.agent.nlu.facets import FacetLexicon
from convrec.agent.tuning import phrases as P
from convrec.recsys.schema import DatasetInfo, plural

MAX_PHRASE_WORDS = 3


@dataclass(frozen=True)
class CorpusWords:
    """adj: words before the noun ("scary"); noun: words alone ("a horror film"); head:
    a noun another facet's adjective may precede ("romantic comedy"); items: the nouns."""

    adj: Mapping[str, tuple[str, ...]]
    noun: Mapping[str, tuple[str, ...]]
    head: Mapping[str, tuple[str, ...]]
    items: tuple[str, ...]

    @property
    def facets(self) -> list[str]:
        return list(self.adj)


def movielens_words() -> CorpusWords:
    return CorpusWords(P.GENRE_ADJ, P.GENRE_NOUN, P.GENRE_HEAD, P.MOVIES)


def corpus_words(values: Sequence[str], info: DatasetInfo) -> CorpusWords:
    """MovieLens's tables when the catalog's facets are MovieLens's, else derived words."""
    if values and all(v in P.GENRE_ADJ for v in values):
        return movielens_words()
    lexicon = FacetLexicon.from_catalog(values, info)
    forms = lexicon.forms()
    nouns = (info.nouns, *(w for w in info.noun_words if w.endswith("s")))
    adj, noun, head = {}, {}, {}
    for value in values:
        name = value.lower()
        words = sorted(f for f in forms[value]
                       if len(f.split()) <= MAX_PHRASE_WORDS and "'" not in f) or [name]
        adj[value] = tuple(dict.fromkeys([name, *words]))
        noun[value] = tuple(dict.fromkeys([plural(name), f"{name} {nouns[0]}",
                                           f"a {name} {info.noun}", name]))
        head[value] = (name, plural(name))
    return CorpusWords(adj, noun, head, tuple(dict.fromkeys(nouns)))

"""The normalisation pre-pass on the real MovieLens-100K genres and the extractor's lexicon:
Spanish, French and German messages come out in the extractor's English, typos are fixed,
English messages and titles come out as they went in."""

from __future__ import annotations

import json
import re
import statistics
import time
import unicodedata
from importlib import resources

import pytest

from convrec.agent.nlu.extractor import SlotExtractor
from convrec.agent.nlu.facets import FacetLexicon, extractor_vocabulary
from convrec.agent.nlu.normalise import Vocabulary, fold, normalise
from convrec.recsys.catalog import Catalog

PLANNER_SETS = ("dev", "tune", "test", "test2")
# English messages of the labeled sets that carry typos the pre-pass fixes (all the others
# must come out unchanged).
EXPECTED_CORRECTIONS = {
    "dev-033": "recommend me a comedy",
    "dev-034": "horror movies from the 80s",
    "dev-035": "scifi thriller",
    "dev-036": "documentary about music",
    "dev-037": "westerns pls",
    "dev-038": "animation for kids",
    "dev-039": "romance movies",
    "dev-040": "something like star wars",
    "t044": "pulp fiction type stuff",
    "t068": "any good comedies from the eighties",
    "v3-082": "recommend me a western pls",
}
NON_ENGLISH = {"v2-036": "es", "v2-043": "fr"}
FOREIGN = [
    "recomiéndame películas de terror de los 80",
    "quiero ver una comedia romántica de los noventa",
    "películas de acción sin romance, algo como Die Hard",
    "pelis del oeste para niños, dibujos animados, documentales, cine negro",
    "ciencia ficción antes de 1970, nada de guerra, un musical de misterio policíaco",
    "je cherche des films d'horreur des années 80, pas de comédie",
    "un western, un dessin animé pour enfants, des documentaires, un film noir",
    "science-fiction avant 1970, sans guerre, une comédie musicale, un mystère, un polar",
    "de la fantasy ou du fantastique, des drames romantiques, un thriller à suspense",
    "Ich suche Horrorfilme aus den 80ern, ohne Komödie",
    "Western, Zeichentrickfilme für Kinder, Dokus, Film noir, Kriegsfilme",
    "Science-Fiction vor 1970, ein Musical, ein Krimi, Fantasy, ein Liebesfilm",
    "kannst du mir ein Drama, einen Thriller oder Actionfilme empfehlen?",
]


@pytest.fixture(scope="module")
def vocabulary(catalog: Catalog) -> Vocabulary:
    return _vocabulary(catalog.genres, catalog)


def _vocabulary(genres, catalog: Catalog) -> Vocabulary:
    return extractor_vocabulary(FacetLexicon.from_catalog(genres, catalog.info))


@pytest.fixture(scope="module")
def extractor(catalog: Catalog) -> SlotExtractor:
    return SlotExtractor(catalog)


def _labeled() -> list[dict]:
    rows = []
    for name in PLANNER_SETS:
        path = resources.files("convrec.eval").joinpath(f"data/planner_{name}.jsonl")
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    return rows


@pytest.mark.parametrize("message, language, expected", [
    ("recomiéndame tres películas de terror de los años ochenta, sin comedia, como Alien", "es",
     "recommend 3 movies horror from the 80s, no comedy, like Alien"),
    ("je cherche des films de science-fiction des années 90, pas de romance, comme Alien", "fr",
     "recommend some movies sci-fi from the 90s, no romance, like Alien"),
    ("Ich suche Horrorfilme aus den 80ern, ohne Komödie, wie Alien", "de",
     "recommend horror from the 80s, no comedy, like Alien"),
    ("hola! una comedia de los 80 por favor", "es", "hi! a comedy from the 80s please"),
    ("des films d'animation pour enfants svp", "fr",
     "some movies animation children's please"),
    ("kannst du mir ein paar Krimis der 90er empfehlen?", "de",
     "recommend a few crime from the 90s recommend?"),
])
def test_each_language_is_rewritten_into_the_extractors_english(vocabulary, message,
                                                                   language, expected):
    result = normalise(message, vocabulary)
    assert (result.text, result.language) == (expected, language)


def test_changes_name_each_rewritten_phrase_for_the_trace(vocabulary):
    assert normalise("Películas de terror", vocabulary).changes == (
        ("Películas", "movies"), ("de terror", "horror"))


@pytest.mark.parametrize("message, genres, excluded, years, similar", [
    ("recomiéndame películas de terror de los 80, sin comedia, algo como Alien",
     ["Horror"], ["Comedy"], (1980, 1989), ["Alien"]),
    ("quiero ver una comedia romántica de los noventa", ["Romance", "Comedy"], [],
     (1990, 1999), []),
    ("películas de guerra después de 1990", ["War"], [], (1991, None), []),
    ("je cherche des films d'horreur des années 80, pas de comédie, comme Alien",
     ["Horror"], ["Comedy"], (1980, 1989), ["Alien"]),
    ("de la science-fiction avant 1970", ["Sci-Fi"], [], (None, 1969), []),
    ("un film noir du début des années quarante", ["Film-Noir"], [], (1940, 1943), []),
    ("Ich suche Horrorfilme aus den 80ern, ohne Komödie, wie Alien", ["Horror"], ["Comedy"],
     (1980, 1989), ["Alien"]),
    ("bekannte Krimis der 70er Jahre", ["Crime"], [], (1970, 1979), []),
    ("Zeichentrickfilme für Kinder zwischen 1980 und 1990", ["Animation", "Children's"], [],
     (1980, 1990), []),
])
def test_the_extractor_understands_the_rewritten_message(vocabulary, extractor, message, genres,
                                                        excluded, years, similar):
    frame = extractor.extract(normalise(message, vocabulary).text)
    assert sorted(frame.genres) == sorted(genres) and frame.exclude_genres == excluded
    assert (frame.year_min, frame.year_max) == years and frame.similar_to == similar


def test_phrases_match_without_accents_and_in_any_case(vocabulary):
    assert normalise("PELICULAS DE ACCION", vocabulary).text == "movies action"
    assert normalise("Komoedie oder Gruselfilm", vocabulary).text == "comedy or horror"
    assert normalise("des films d'epouvante", vocabulary).text == "some movies horror"


def test_cues_popularity_and_age_words(vocabulary):
    cases = {
        "películas poco conocidas y antiguas, parecidas a Alien":
            "movies obscure and old, like Alien",
        "des films populaires et récents, dans le style de Alien":
            "some movies popular and recent, like Alien",
        "unbekannte alte Filme, ähnlich wie Alien": "obscure old movies, like Alien",
        "bekannte neue Filme, keine Komödie": "popular recent movies, no comedy",
        "cinq films, deux comédies": "5 movies, deux comedy",
        "zwei gute Filme": "2 good movies",
    }
    for message, expected in cases.items():
        assert normalise(message, vocabulary).text == expected, message


@pytest.mark.parametrize("row", _labeled(), ids=lambda row: row["id"])
def test_english_messages_of_the_labeled_sets_come_out_unchanged(vocabulary, row):
    result = normalise(row["message"], vocabulary)
    if row["id"] in NON_ENGLISH:
        assert result.language == NON_ENGLISH[row["id"]]
        return
    assert result.language == "en"
    assert result.text == EXPECTED_CORRECTIONS.get(row["id"], row["message"])


@pytest.mark.parametrize("typo, word", [
    ("horrer", "horror"), ("actoin", "action"), ("comdey", "comedy"), ("thriler", "thriller"),
    ("romantc", "romantic"), ("documentry", "documentary"), ("westrens", "westerns"),
    ("animaton", "animation"), ("comdies", "comedies"),
])
def test_typos_become_the_vocabulary_word(vocabulary, typo, word):
    result = normalise(f"some {typo} movies", vocabulary)
    assert result.text == f"some {word} movies" and result.changes == ((typo, word),)
    assert normalise(f"{typo.capitalize()} please", vocabulary).text == f"{word.capitalize()} " \
                                                                         "please"


def test_real_english_words_and_spellings_the_vocabulary_has_are_untouched(vocabulary):
    for message in ("prime movies", "a dream of a movie", "horse movies", "eastern movies",
                    "scifi", "sci fi please", "rewatched it", "a mockumentary", "kiddos",
                    "something gory and twisty", "Amelie or Brazil", "I liked Dramx"):
        assert normalise(message, vocabulary).text == message, message


def test_kept_spans_are_never_changed(vocabulary):
    message = "quiero algo como La Cage aux Folles"
    title = message.index("La Cage")
    result = normalise(message, vocabulary, keep=[(title, len(message))])
    assert result.text == "i want something like La Cage aux Folles"
    message = "Filme wie Das Boot, aber ohne Krieg"
    span = (message.index("Das"), message.index(","))
    assert normalise(message, vocabulary, keep=[span]).text == \
        "movies like Das Boot, but no war"
    assert normalise("horrer", vocabulary, keep=[(0, 6)]).text == "horrer"


def test_decomposed_accents_are_read_and_kept_titles_keep_their_characters(vocabulary):
    message = unicodedata.normalize("NFD", "películas de acción como Amélie")
    title = message.index("Am")
    result = normalise(message, vocabulary, keep=[(title, len(message))])
    assert result.text == "movies action like " + message[title:]
    assert result.text.endswith(unicodedata.normalize("NFD", "Amélie"))


def test_a_title_alone_does_not_make_a_message_foreign(vocabulary):
    for message in ("Das Boot", "Il Postino", "La Cage aux Folles", "Les Misérables"):
        result = normalise(message, vocabulary, keep=[(0, len(message))])
        assert (result.text, result.language) == (message, "en")
    message = "something like la cage aux folles"
    assert normalise(message, vocabulary).text == message


@pytest.mark.parametrize("missing", ["Western", "Horror", "Children's", "Sci-Fi", "Film-Noir",
                                     "Documentary", "Romance", "War"])
def test_a_facet_the_vocabulary_lacks_is_never_written(catalog, missing):
    vocabulary = _vocabulary([g for g in catalog.genres if g != missing], catalog)
    words = {fold(w) for w in (missing, *catalog.info.synonyms[missing])}
    patterns = [re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])") for w in words]
    for message in [*FOREIGN, "westrens and horer and documentry"]:
        output = fold(normalise(message, vocabulary).text)
        for pattern in patterns:  # no more of the facet's words than the user wrote
            assert len(pattern.findall(output)) <= len(pattern.findall(fold(message))), (
                message, output, pattern.pattern)


def test_normalise_is_fast_after_the_first_call(vocabulary):
    messages = [row["message"] for row in _labeled()]
    for message in messages:
        normalise(message, vocabulary)
    times = []
    for message in messages:
        start = time.perf_counter()
        normalise(message, vocabulary)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.001

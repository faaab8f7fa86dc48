"""What people say beyond "genre + decade": acts, references, counts, negations, names."""

from __future__ import annotations

import pytest

from convrec.agent.frame import RequestFrame
from convrec.agent.nlu.extractor import SlotExtractor
from convrec.recsys.catalog import Catalog

SHOWN = ("Contact", "Twelve Monkeys", "Star Trek: First Contact", "Men in Black",
         "Terminator 2: Judgment Day")


@pytest.fixture(scope="module")
def extractor(catalog: Catalog) -> SlotExtractor:
    return SlotExtractor(catalog)


@pytest.mark.parametrize("message, slot, title", [
    ("more like the second one", "similar_to", "Twelve Monkeys"),
    ("another one like #3", "similar_to", "Star Trek: First Contact"),
    ("something like the last one pls", "similar_to", "Terminator 2: Judgment Day"),
    ("tell me more about the third one", "about", "Star Trek: First Contact"),
    ("nah hated the 4th one", "disliked", "Men in Black"),
])
def test_references_name_the_item_shown_at_that_place(extractor, message, slot, title):
    assert getattr(extractor.extract(message, None, SHOWN), slot) == [title]


def test_it_names_the_title_last_talked_about(extractor):
    frame = extractor.extract("who directed it?", None, SHOWN, focus=["Fargo"])
    assert frame.intent == "info" and frame.about == ["Fargo"] and frame.asks == ["people"]


def test_an_ordinal_past_the_list_names_nothing(extractor):
    assert extractor.extract("more like the 9th one", None, SHOWN).similar_to == []


@pytest.mark.parametrize("message, excluded", [
    ("something not from the 90s, action", (1990, 1999)),
    ("anything but the 80s please", (1980, 1989)),
    ("horror but not 70s or 80s stuff", (1970, 1989)),
    ("romance, NOT from the 1990s, so tired of 90s stuff", (1990, 1999)),
])
def test_negated_years_are_excluded_not_asked_for(extractor, message, excluded):
    frame = extractor.extract(message)
    assert frame.exclude_years == excluded and frame.year_min is None and frame.year_max is None


def test_not_so_old_is_newer_than_old(extractor):
    assert extractor.extract("something not so old").year_min == 1970


def test_a_condition_is_not_a_negation(extractor):
    frame = extractor.extract("is the matrix in there? if not some other 90s sci-fi")
    assert frame.genres == ["Sci-Fi"] and (frame.year_min, frame.year_max) == (1990, 1999)
    assert frame.exclude_years is None and frame.similar_to == ["the matrix"]


def test_x_or_y_genres_are_any_of(extractor):
    frame = extractor.extract("a western or a war movie from before 1970")
    assert frame.genres_any == ["Western", "War"] and frame.genres == []
    assert frame.year_max == 1969


@pytest.mark.parametrize("message, count", [
    ("give me 10 comedies", 10), ("just one horror movie", 1), ("three westerns", 3),
    ("can i get like 7 sci fi films", 7), ("a dozen kids movies", 12), ("just 3 please", 3),
])
def test_counts(extractor, message, count):
    assert extractor.extract(message).count == count


@pytest.mark.parametrize("message", ["movies for my 5 year old", "a 2 hour comedy",
                                     "the top 3 of the 90s"])
def test_numbers_that_are_not_counts(extractor, message):
    assert extractor.extract(message).count in (None, 3)
    assert extractor.extract("movies for my 5 year old").count is None


@pytest.mark.parametrize("message, act", [
    ("help", "help"), ("what can you do?", "help"), ("hola! qué puedes hacer?", "help"),
    ("what's the capital of France", "chat"), ("tell me a joke", "chat"),
    ("whats 17 times 23", "chat"), ("thanks!", "chat"),
    ("which is better, fargo or scream?", "compare"), ("I hated Titanic", "feedback"),
    ("already seen fargo and pulp fiction", "feedback"), ("is Titanic any good?", "info"),
])
def test_dialogue_acts(extractor, message, act):
    assert extractor.extract(message).intent == act


def test_a_liked_title_is_feedback_and_a_seed_for_picks(extractor):
    frame = extractor.extract("I loved The Godfather")
    assert frame.intent == "feedback" and frame.similar_to == ["The Godfather"]
    during = extractor.extract("I loved The Godfather", RequestFrame(genres=["Crime"]))
    assert during.intent == "recommend"


def test_explain_and_compare_read_the_references(extractor):
    assert extractor.extract("why the third one?", None, SHOWN).about == [SHOWN[2]]
    frame = extractor.extract("which is better, 1 or 3?", None, SHOWN)
    assert frame.intent == "compare" and frame.about == [SHOWN[0], SHOWN[2]]


def test_top_rated_asks_for_quality(extractor):
    frame = extractor.extract("top rated comedies")
    assert frame.quality and frame.genres == ["Comedy"]


def test_people_are_names_not_a_search(extractor):
    frame = extractor.extract("a comedy with jim carrey, need a laugh")
    assert frame.people == ["jim carrey"] and frame.query is None
    assert extractor.extract("crime but not Tarantino").people == ["Tarantino"]


def test_titles_the_catalog_lacks_are_kept_as_titles(extractor):
    assert extractor.extract("something like Inception").similar_to == ["inception"]
    frame = extractor.extract("what year is shrek? my son keeps asking")
    assert frame.intent == "info" and frame.about == ["shrek"]


def test_negated_words_never_become_the_search(extractor):
    assert extractor.extract("no swearing or sex").query is None


@pytest.mark.parametrize("message, genres, years", [
    ("películas de terror de los 80", ["Horror"], (1980, 1989)),
    ("une comédie des années 90", ["Comedy"], (1990, 1999)),
    ("Actionfilme aus den 90ern", ["Action"], (1990, 1999)),
    ("horrer movies", ["Horror"], (None, None)),
    ("actoin movie", ["Action"], (None, None)),
])
def test_other_languages_and_typos(extractor, message, genres, years):
    frame = extractor.extract(message)
    assert frame.genres == genres and (frame.year_min, frame.year_max) == years


@pytest.mark.parametrize("message, act, about", [
    ("¿de qué año es la primera?", "info", [SHOWN[0]]),
    ("warum der erste?", "explain", [SHOWN[0]]),
    ("le deuxième, il date de quand ?", "info", [SHOWN[1]]),
    ("3rd?", "info", [SHOWN[2]]),
])
def test_references_in_other_languages_and_alone(extractor, message, act, about):
    frame = extractor.extract(message, None, SHOWN)
    assert frame.intent == act and frame.about == about


def test_older_rather_than_newer_and_only_newer(extractor):
    assert extractor.extract("ideally older rather than newer").year_max == 1969
    assert extractor.extract("nah older stuff is mid, only newer").year_min == 1996


def test_a_title_with_as_good_as_is_no_comparison(extractor):
    frame = extractor.extract("I've seen As Good As It Gets", None, (), focus=["Fargo"])
    assert frame.intent == "feedback" and frame.exclude_titles == ["As Good As It Gets"]

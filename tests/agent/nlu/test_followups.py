"""What people say after seeing picks: verdicts by number, capability questions, "why not",
questions about the list, and small talk that is not a new request."""

from __future__ import annotations

import pytest

from convrec.agent.frame import RequestFrame
from convrec.agent.nlu.extractor import SlotExtractor
from convrec.recsys.catalog import Catalog

SHOWN = ("Contact", "Twelve Monkeys", "Star Trek: First Contact", "Men in Black",
         "Terminator 2: Judgment Day")
BEFORE = RequestFrame(genres=["Sci-Fi"], year_min=1990, year_max=1999)


@pytest.fixture(scope="module")
def extractor(catalog: Catalog) -> SlotExtractor:
    return SlotExtractor(catalog)


def _read(extractor: SlotExtractor, message: str) -> RequestFrame:
    return extractor.extract(message, BEFORE, SHOWN)


@pytest.mark.parametrize("message, slot, titles", [
    ("meh, hated 2 and 4", "disliked", ["Twelve Monkeys", "Men in Black"]),
    ("hated the second and fourth", "disliked", ["Twelve Monkeys", "Men in Black"]),
    ("seen 1 and 3, others?", "exclude_titles", ["Contact", "Star Trek: First Contact"]),
])
def test_verdicts_by_number_name_each_item(extractor, message, slot, titles):
    assert getattr(_read(extractor, message), slot) == titles


def test_why_with_a_bare_number_explains_that_item(extractor):
    frame = _read(extractor, "why 2?")
    assert frame.intent == "explain" and frame.about == ["Twelve Monkeys"]


@pytest.mark.parametrize("message", [
    "can you search by actor?", "lol what can you even do", "do you know plots?",
    "what kinda stuff do u know about each movie"])
def test_capability_questions_get_help(extractor, message):
    assert _read(extractor, message).intent == "help"


@pytest.mark.parametrize("message, act", [
    ("why not more recent ones", "explain"), ("the lowest rated of these?", "compare"),
    ("which of those has the most ratings?", "compare"), ("which of those is the oldest?",
                                                          "compare")])
def test_questions_about_the_list_are_not_new_searches(extractor, message, act):
    assert _read(extractor, message).intent == act


@pytest.mark.parametrize("message", ["You rock!", "good to know!", "Lmao.", "got it"])
def test_small_talk_after_picks_keeps_no_request(extractor, message):
    assert _read(extractor, message).intent == "chat"


def test_asking_what_else_continues_the_request(extractor):
    frame = _read(extractor, "ok what else u got")
    assert frame.intent == "recommend" and frame.genres == ["Sci-Fi"] and frame.refine


@pytest.mark.parametrize("message, year_min", [
    ("I recently enjoyed Fargo, Heat and Casino. Any comedies?", None),
    ("recently I saw Heat, something else", None),
    ("anything released recently?", 1996), ("something recent", 1996)])
def test_recently_is_about_the_films_only_when_it_says_so(extractor, message, year_min):
    assert extractor.extract(message).year_min == year_min


def test_both_before_named_titles_names_those_titles(extractor):
    frame = _read(extractor, "I'm sick of both Men in Black and Contact")
    assert frame.exclude_titles == ["Men in Black", "Contact"]


def test_more_like_it_with_a_wish_is_a_request_not_a_question(extractor):
    frame = extractor.extract("like it but better rated", BEFORE, SHOWN, ["Twelve Monkeys"])
    assert frame.intent == "recommend" and frame.similar_to == ["Twelve Monkeys"]

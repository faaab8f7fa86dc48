"""The deterministic slot extractor on the real MovieLens-100K catalog."""

from __future__ import annotations

import statistics
import time

import pytest

from convrec.agent.frame import RequestFrame
from convrec.agent.nlu.extractor import SlotExtractor
from convrec.eval.planner_bench import load_labeled, run_bench
from convrec.recsys.catalog import Catalog

# Measured 100% on the dev set it was tuned on (94.3% before tuning); a floor well below
# catches regressions without pretending the dev figure generalises.
DEV_ALL_SLOTS_FLOOR = 0.85


@pytest.fixture(scope="module")
def extractor(catalog: Catalog) -> SlotExtractor:
    return SlotExtractor(catalog)


def test_decade_and_genre(extractor):
    frame = extractor.extract("recommend 90s sci-fi")
    assert frame.genres == ["Sci-Fi"] and (frame.year_min, frame.year_max) == (1990, 1999)
    assert frame.intent == "recommend" and frame.query is None


def test_liked_title_becomes_similar_to(extractor):
    assert extractor.extract("I loved The Godfather").similar_to == ["The Godfather"]
    assert extractor.extract("movies like the godfather").similar_to == ["The Godfather"]


def test_nothing_like_a_title_excludes_it_instead_of_asking_for_more_of_it(extractor):
    frame = extractor.extract("some 90s sci-fi, nothing like Independence Day")
    assert frame.exclude_titles == ["Independence Day (ID4)"] and frame.similar_to == []
    assert frame.genres == ["Sci-Fi"] and (frame.year_min, frame.year_max) == (1990, 1999)
    assert extractor.extract("sci-fi but not anything like Men in Black").exclude_titles == [
        "Men in Black"]


def test_something_older_refines_previous_request(extractor):
    previous = extractor.extract("recommend 90s sci-fi")
    frame = extractor.extract("something older", previous)
    assert frame.refine and frame.genres == ["Sci-Fi"]
    assert (frame.year_min, frame.year_max) == (None, 1989)


def test_question_about_a_title_is_info(extractor):
    frame = extractor.extract("what year is Fargo?")
    assert frame.intent == "info" and frame.about == ["Fargo"]


def test_before_year(extractor):
    frame = extractor.extract("horror films before 1970")
    assert frame.genres == ["Horror"] and frame.year_max == 1969 and frame.year_min is None


def test_similar_but_excluded_genre(extractor):
    frame = extractor.extract("something like Toy Story but not animated")
    assert frame.similar_to == ["Toy Story"] and frame.exclude_genres == ["Animation"]
    assert frame.genres == []


def test_greeting_is_chat(extractor):
    assert extractor.extract("hi there") == RequestFrame(intent="chat")


def test_common_words_are_not_titles(extractor):
    frame = extractor.extract("I want something with heat and crash scenes")
    assert frame.similar_to == [] and frame.exclude_titles == []
    assert extractor.extract("what should we watch this Friday with the kids").similar_to == []


def test_seen_titles_are_excluded_and_typos_tolerated(extractor):
    frame = extractor.extract("I've already watched Star Wars, any scifi thriler?")
    assert frame.exclude_titles == ["Star Wars"]
    assert set(frame.genres) == {"Sci-Fi", "Thriller"}
    assert extractor.extract("i liked resevoir dogs").similar_to == ["Reservoir Dogs"]


def test_dev_set_accuracy_floor_and_speed(extractor):
    result = run_bench(extractor.extract, load_labeled("dev"), "dev")
    assert result.score.all_slots >= DEV_ALL_SLOTS_FLOOR, "\n".join(result.failure_lines())
    timings = []
    for message in ["any good scary movies from the 80s? not slasher stuff tho"] * 20:
        start = time.perf_counter()
        extractor.extract(message)
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.005


def test_every_title_of_a_list_shares_the_cue_before_it(extractor):
    assert extractor.extract("i liked heat and casino").similar_to == ["Heat", "Casino"]
    frame = extractor.extract("heist movies, i loved reservoir dogs and heat")
    assert frame.similar_to == ["Reservoir Dogs", "Heat"] and frame.query is not None
    assert extractor.extract("braveheart and rob roy fan here").similar_to == [
        "Braveheart", "Rob Roy"]


def test_liked_and_disliked_titles_in_one_sentence(extractor):
    frame = extractor.extract("i loved clerks but hated mallrats")
    assert frame.similar_to == ["Clerks"] and frame.disliked == ["Mallrats"]
    frame = extractor.extract("twelve monkeys and brazil are my favorites")
    assert frame.similar_to == ["Twelve Monkeys", "Brazil"]


def test_short_forms_of_titles_built_from_the_catalog(extractor):
    assert extractor.extract("movies like LA Confidential").similar_to == ["L.A. Confidential"]
    assert extractor.extract("the godfather 2 was incredible").similar_to == [
        "The Godfather: Part II"]
    assert extractor.extract("who is in t2").about == ["Terminator 2: Judgment Day"]
    assert extractor.extract("seen 12 monkeys, twister and fargo").exclude_titles == [
        "Twelve Monkeys", "Twister", "Fargo"]
    assert extractor.extract("i liked dr. strangelove").similar_to == [
        "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb"]


def test_a_sequel_number_is_not_a_typo_of_another(extractor):
    frame = extractor.extract("what year did the godfather part iii come out")
    assert "The Godfather: Part II" not in frame.about


def test_questions_about_titles_are_info(extractor):
    assert extractor.extract("whos in jaws") == RequestFrame(intent="info", about=["Jaws"])
    frame = extractor.extract("which came out first, twister or fargo")
    assert frame.intent == "info" and frame.about == ["Twister", "Fargo"]
    assert extractor.extract("who directed heat").about == ["Heat"]


def test_abbreviated_years_and_a_title_s_own_year(extractor):
    frame = extractor.extract("westerns from '62")
    assert frame.genres == ["Western"] and (frame.year_min, frame.year_max) == (1962, 1962)
    frame = extractor.extract("thrillers between '75 and '79")
    assert (frame.year_min, frame.year_max) == (1975, 1979)
    frame = extractor.extract("movies like Fargo (1996) but funnier")
    assert frame.similar_to == ["Fargo"] and frame.year_min is None and frame.year_max is None


def test_genre_words_in_context(extractor):
    assert extractor.extract("a movie for my 4-year-old").genres == ["Children's"]
    assert extractor.extract("a film for my 40 year old husband").genres == []
    assert extractor.extract("a movie for a 3 yr old") == RequestFrame(genres=["Children's"])
    assert "Action" not in extractor.extract("live-action fairy tale films").genres
    frame = extractor.extract("my wife and i both love romance but neither of us likes war")
    assert frame.genres == ["Romance"] and frame.exclude_genres == ["War"]


def test_popularity_paraphrases(extractor):
    assert extractor.extract("a film nobody knows about").popularity == "obscure"
    assert extractor.extract("a movie everyone has heard of").popularity == "popular"


def test_quality_words_and_asides_are_not_a_query(extractor):
    assert extractor.extract("acclaimed war films") == RequestFrame(genres=["War"], quality=True)
    assert extractor.extract("btw i already saw fargo") == RequestFrame(
        intent="feedback", exclude_titles=["Fargo"])


def test_small_talk_without_a_request_is_chat(extractor):
    assert extractor.extract("you're awesome, thanks").intent == "chat"
    assert extractor.extract("haha you beat my sister at this").intent == "chat"
    assert extractor.extract("you rock, thanks a bunch").intent == "chat"
    assert extractor.extract("lol recommend something scary").genres == ["Horror"]
    assert extractor.extract("hey, what should i see").intent == "recommend"
    assert extractor.extract("give me more options") == RequestFrame()


def test_actually_replaces_the_previous_genre(extractor):
    previous = extractor.extract("90s comedies")
    frame = extractor.extract("actually, a western would be better", previous)
    assert frame.refine and frame.genres == ["Western"]
    assert (frame.year_min, frame.year_max) == (1990, 1999)

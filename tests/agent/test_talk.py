"""Whole turns of the deterministic agent on the real catalog: what a person reads."""

from __future__ import annotations

import re

import pytest

from convrec.agent.assemble import build_agent
from convrec.agent.core import RecAgent


@pytest.fixture(scope="module")
def agent(home, tmp_path_factory) -> RecAgent:
    return build_agent(home, llm="deterministic",
                       store=str(tmp_path_factory.mktemp("talk") / "s.sqlite"))


def test_help_describes_this_catalog_and_shows_nothing(agent):
    reply = agent.chat("what can you do?", "help")
    assert reply.trace.act == "help" and not reply.items
    assert "Film-Noir" in reply.text and "1922" in reply.text and "1998" in reply.text
    assert "don't have cast, crew or author data" in reply.text


def test_off_topic_gets_a_short_answer_and_no_items(agent):
    reply = agent.chat("what's the capital of France?", "off")
    assert reply.trace.act == "chat" and not reply.items and "France" not in reply.text


def test_a_reference_picks_the_shown_item(agent):
    first = agent.chat("some 90s sci-fi please", "ref")
    second = first.items[1]
    more = agent.chat("more like the second one", "ref")
    assert more.items and second.title in more.text
    assert all(i.id not in {x.id for x in first.items} for i in more.items)
    info = agent.chat("tell me more about the third one", "ref")
    assert info.trace.act == "info" and [i.id for i in info.items] == [more.items[2].id]


def test_info_gives_the_facts_the_data_has_and_says_what_it_lacks(agent):
    reply = agent.chat("who directed Fargo?", "info")
    assert [i.title for i in reply.items] == ["Fargo"]
    assert "1996" in reply.text and "4.16" in reply.text and "508 people" in reply.text
    assert "don't have cast, crew or author data" in reply.text


def test_compare_says_which_is_rated_higher(agent):
    reply = agent.chat("which is better, fargo or scream?", "cmp")
    assert reply.trace.act == "compare" and {i.title for i in reply.items} == {"Fargo",
                                                                              "Scream"}
    assert "Fargo is rated higher (4.16 vs 3.44)" in reply.text


def test_why_explains_the_real_ranking(agent):
    agent.chat("90s westerns", "why")
    reply = agent.chat("why the first one?", "why")
    assert reply.trace.act == "explain" and not reply.items
    assert "Western from the 1990s" in reply.text and "how many people" in reply.text


def test_hated_goes_to_disliked_and_never_comes_back(agent):
    reply = agent.chat("I hated Titanic", "hate")
    assert reply.trace.act == "feedback" and not reply.items
    profile = agent.profile("hate")
    titanic = 312
    assert profile.disliked == [titanic] and titanic not in profile.seen
    picks = agent.chat("romantic dramas from 1997", "hate")
    assert picks.items and titanic not in {i.id for i in picks.items}


def test_counts_and_plurals(agent):
    one = agent.chat("just one horror movie please", "count")
    assert len(one.items) == 1 and one.text.startswith("Here is 1 pick")
    ten = agent.chat("give me 10 comedies", "count-10")
    assert len(ten.items) == 10


def test_negated_years_and_any_of(agent):
    reply = agent.chat("action, but nothing from the 90s", "years")
    assert reply.items and all(not 1990 <= i.year <= 1999 for i in reply.items)
    reply = agent.chat("a western or a war movie from before 1970", "anyof")
    assert reply.items and all({"Western", "War"} & set(i.genres) and i.year <= 1969
                               for i in reply.items)


def test_top_rated_ranks_by_the_mean_rating_and_says_so(agent):
    reply = agent.chat("top rated comedies", "top")
    ratings = [i.avg_rating for i in reply.items]
    assert len(ratings) == 5 and min(ratings) >= 4.0
    assert all(re.search(r"rated \d\.\d\d on average by \d+ people", i.reason)
               for i in reply.items)


def test_unknown_titles_and_people_are_admitted_not_searched(agent):
    reply = agent.chat("something like Inception", "unknown")
    assert "couldn't find 'inception'" in reply.text and not reply.items
    reply = agent.chat("a comedy with jim carrey", "people")
    assert "don't have cast, crew or author data" in reply.text
    assert reply.items and all("Comedy" in i.genres for i in reply.items)
    assert all("jim carrey" not in i.reason for i in reply.items)


def test_reasons_never_claim_a_history_a_new_user_lacks(agent):
    reply = agent.chat("something fun from the 80s", "new")
    assert reply.items
    for item in reply.items:
        assert "watched" not in item.reason and "SASRec" not in item.reason


def test_how_many_counts_the_catalog(agent):
    reply = agent.chat("how many horror movies do you have?", "howmany")
    assert reply.trace.act == "info" and not reply.items
    assert reply.text == "This catalog has 92 Horror films."


def test_best_of_those_ranks_the_list_just_shown(agent):
    shown = agent.chat("old film noir", "best")
    reply = agent.chat("which of those is rated highest?", "best")
    assert reply.trace.act == "compare"
    assert {i.id for i in reply.items} == {i.id for i in shown.items}
    best = max(shown.items, key=lambda i: i.avg_rating)
    assert reply.text.startswith(f"Of these, {best.title} has the highest average rating")


def test_follow_ups_about_the_title_last_asked_about(agent):
    agent.chat("when did fargo come out", "follow")
    reply = agent.chat("and what genre is it?", "follow")
    assert [i.title for i in reply.items] == ["Fargo"] and "Crime" in reply.text
    reply = agent.chat("and pulp fiction?", "follow")
    assert [i.title for i in reply.items] == ["Pulp Fiction"]


def test_thanks_and_goodbye_with_more_words_end_politely(agent):
    agent.chat("romantic comedies", "bye")
    reply = agent.chat("great, we'll go with that, thank you so much!", "bye")
    assert reply.trace.act == "chat" and not reply.items


def test_hidden_gems_are_well_rated(agent):
    reply = agent.chat("some lesser-known gems", "gems")
    assert reply.items and all(i.avg_rating >= 3.5 for i in reply.items)


def test_only_the_80s_ones_keeps_the_80s_films_just_shown(agent):
    shown = agent.chat("sci-fi adventures", "narrow")
    eighties = {i.id for i in shown.items if 1980 <= i.year <= 1989}
    reply = agent.chat("keep only the 80s ones", "narrow")
    assert eighties and eighties <= {i.id for i in reply.items}
    assert all(1980 <= i.year <= 1989 for i in reply.items)


def test_moods_are_said_to_be_out_of_reach_and_negate_no_genre(agent):
    reply = agent.chat("a not too violent thriller", "mood")
    assert "can't tell mood or content ('violent')" in reply.text
    assert reply.items and all("Thriller" in i.genres for i in reply.items)


def test_a_liked_title_is_noted_and_answered_with_picks_like_it(agent):
    reply = agent.chat("star wars is my all time fav", "fav")
    assert reply.trace.act == "feedback" and reply.text.startswith("Noted: you liked Star Wars")
    assert reply.items and "Star Wars" not in {i.title for i in reply.items}
    assert agent.profile("fav").liked == [49]
    older = agent.chat("something older", "fav")
    assert older.items and all(i.year < 1977 for i in older.items)


def test_two_titles_and_or_with_a_question_mark_compare_them(agent):
    reply = agent.chat("Heat or Casino?", "either")
    assert reply.trace.act == "compare"
    assert "Heat" in reply.text and "Casino" in reply.text


def test_a_title_the_data_lists_twice_is_shown_once(agent):
    # Desperate Measures (1998) is in the data twice, both Crime|Drama|Thriller
    reply = agent.chat("crime thrillers from 1998", "dup")  # 4 items, 3 titles
    labels = [item.label() for item in reply.items]
    assert "Desperate Measures (1998)" in labels and len(labels) == len(set(labels)) == 3


def test_a_typo_or_filler_word_is_not_reported_as_a_failed_search(agent):
    reply = agent.chat("comedies frm the 80s pls", "filler")
    assert "couldn't find" not in reply.text
    assert reply.items and all("Comedy" in i.genres for i in reply.items)


def test_a_liked_title_before_but_is_a_title_and_a_mood_is_said(agent):
    jaws = agent.chat("Jaws but funnier", "jaws")
    assert all("Comedy" in i.genres for i in jaws.items) and "like Jaws" in jaws.text
    cry = agent.chat("i just want to cry tonight", "cry")
    assert "can't tell mood" in cry.text


def test_how_many_is_that_counts_the_request_and_a_series_is_listed(agent):
    agent.chat("films from 1998", "count-that")
    agent.chat("only dramas", "count-that")
    counted = agent.chat("how many is that?", "count-that")
    assert counted.trace.act == "info" and "Drama films from 1998" in counted.text
    series = agent.chat("list the Star Trek films", "series")
    lines = series.text.splitlines()
    assert series.trace.act == "info" and len(lines) == 8
    assert lines[0].startswith("Star Trek: The Motion Picture") and "1979" in lines[0]


def test_negated_old_and_recent_and_a_listed_series_as_the_list_shown(agent):
    western = agent.chat("I want a western, but not one of those old black and white ones", "bw")
    assert western.items and all("Western" in i.genres and i.year >= 1970
                                 for i in western.items)
    romance = agent.chat("a romance, ideally not something super recent", "not-recent")
    assert romance.items and all(i.year <= 1995 for i in romance.items)
    agent.chat("list the Star Trek films", "trek")
    worst = agent.chat("which is the worst rated?", "trek")
    assert worst.trace.act == "compare" and "Star Trek V: The Final Frontier the lowest" in \
        worst.text
    best = agent.chat("how many musicals do you have?", "musicals")
    best = agent.chat("show me the best ones", "musicals")
    assert best.items and all("Musical" in i.genres for i in best.items)
    meg = agent.chat("what about Meg Ryan", "meg")
    assert "cast, crew or author data" in meg.text

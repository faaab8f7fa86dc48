"""The scripted user on a known target (The Godfather) and the title guard."""

from __future__ import annotations

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from convrec.eval.guard import names_title, title_score
from convrec.eval.llm_user import LLMUser
from convrec.eval.phrasing import GENRE_WORDS
from convrec.eval.simulator import (
    ScriptedUser,
    UserFacts,
    build_facts,
    rank_liked,
    sample_users,
)
from convrec.recsys.catalog import CatalogItem

GODFATHER, GODFATHER_2, DIE_HARD, TOY_STORY, STAR_WARS, GOODFELLAS = 126, 186, 143, 0, 49, 181


@pytest.fixture()
def godfather_fan(catalog) -> UserFacts:
    history = (TOY_STORY, GODFATHER_2, DIE_HARD, STAR_WARS, GOODFELLAS)
    target = catalog.item(GODFATHER)
    return UserFacts(7, target, history, rank_liked(catalog, target, list(history)))


def _genre_phrases(genre: str) -> list[str]:
    words = GENRE_WORDS[genre]
    return [words.adjective, words.noun, words.plural, words.something, words.mass]


def _says_genre(message: str, genres) -> set[str]:
    return {g for g in genres if any(p in message.lower() for p in _genre_phrases(g))}


def _conversation(facts: UserFacts, seed: int = 0) -> list:
    user = ScriptedUser(facts, seed)
    turns = [user.opening()]
    for _ in range(5):
        turns.append(user.react([TOY_STORY, facts.target.id + 1, 300], ["a", "b", "c"]))
    return turns


def test_godfather_session_reveals_genres_then_decade_then_years_then_a_liked_film(
        godfather_fan):
    turns = _conversation(godfather_fan)
    messages = [t.message for t in turns]
    first = _says_genre(messages[0], ("Action", "Crime", "Drama"))
    assert len(first) >= 1, messages[0]
    assert _says_genre(messages[1], ("Action", "Crime", "Drama")) - first, messages[1]
    assert "70s" in messages[2], messages[2]
    assert "1970" in messages[3] and "1974" in messages[3], messages[3]
    assert "GoodFellas" in messages[4], messages[4]  # Crime + Drama: the closest liked film
    assert all(not names_title(m, ("Godfather, The", "The Godfather")) for m in messages)
    assert not any("Part II" in m for m in messages)  # the sequel's title names the target


def test_every_later_turn_rejects_in_words_and_dislikes_the_shown_items(godfather_fan):
    user = ScriptedUser(godfather_fan, 0)
    user.opening()
    turn = user.react([TOY_STORY, STAR_WARS, GODFATHER_2], ["Toy Story", "Star Wars", "II"])
    assert turn.dislikes == (TOY_STORY, STAR_WARS, GODFATHER_2)
    assert turn.message.split(".")[0].lower().startswith(("not", "hmm", "no", "nope"))
    empty = user.react([], [])
    assert empty.dislikes == ()
    assert "?" in empty.message or "anything" in empty.message


def test_same_seed_same_words_other_seeds_other_words(godfather_fan):
    again = [t.message for t in _conversation(godfather_fan, seed=3)]
    assert again == [t.message for t in _conversation(godfather_fan, seed=3)]
    openings = {_conversation(godfather_fan, seed=s)[0].message for s in range(10)}
    assert len(openings) >= 3


def test_horror_is_sometimes_said_in_everyday_words(catalog):
    scream = catalog.item(287)
    assert scream.genres == ("Horror", "Thriller")
    facts = UserFacts(1, scream, (0,), ())
    openings = {ScriptedUser(facts, s).opening().message for s in range(30)}
    assert any("scary" in m for m in openings) and any("horror" in m for m in openings)
    assert all(not names_title(m, (scream.title,)) for m in openings)


@pytest.mark.parametrize(("message", "named"), [
    ("Something like The Godfather please", True),
    ("i loved the godfater", True),  # typo
    ("GODFATHER!!", True),
    ("I really enjoyed GoodFellas.", False),
    ("Any dramatic crime movies from the 70s?", False),
])
def test_title_guard_on_the_godfather(message, named):
    assert names_title(message, ("Godfather, The", "The Godfather")) is named


def test_title_guard_matches_words_not_parts_of_words():
    assert names_title("I liked Heat, more like that.", ("Heat",))
    assert title_score("Something heartwarming, please.", ("Heat",)) <= 80
    assert names_title("Seven would do", ("Seven (Se7en)",))
    assert names_title("like se7en maybe", ("Seven (Se7en)",))


def test_a_message_that_would_name_the_target_is_written_again():
    target = CatalogItem(9999, "Something Funny", "Something Funny", 1990, ("Comedy",), 1)
    facts = UserFacts(3, target, (0,), ())
    turns = [ScriptedUser(facts, s).opening() for s in range(20)]
    assert all(not names_title(t.message, ("Something Funny",)) for t in turns)
    assert any(t.guard_rejections > 0 for t in turns)


def test_sequels_of_the_target_are_never_named_as_liked(catalog):
    target = catalog.item(225)  # Die Hard 2
    liked = rank_liked(catalog, target, [DIE_HARD, 549, GOODFELLAS, TOY_STORY])
    # "Die Hard" and "Die Hard: With a Vengeance" both say the words "Die Hard"
    assert [i.id for i in liked] == [GOODFELLAS, TOY_STORY]


def test_facts_of_a_real_user_split_target_from_past(split, catalog):
    user = sample_users(split, 3, seed=0)[0]
    facts = build_facts(split, catalog, user)
    test_item = int(split.test.loc[split.test["user_id"] == user, "item_id"].iloc[0])
    valid_item = int(split.valid.loc[split.valid["user_id"] == user, "item_id"].iloc[0])
    assert facts.target.id == test_item
    assert facts.history[-1] == valid_item and test_item not in facts.history
    assert sample_users(split, 10, seed=0)[:3] == sample_users(split, 3, seed=0)


def test_llm_user_rewords_but_never_names_the_target(godfather_fan):
    model = GenericFakeChatModel(messages=iter([
        AIMessage("Honestly I just want The Godfather."),  # guarded: asked again
        AIMessage("Got any gritty mob dramas?"),
    ]))
    turn = LLMUser(ScriptedUser(godfather_fan, 0), model).opening()
    assert turn.message == "Got any gritty mob dramas?"
    assert turn.guard_rejections == 1

    stubborn = GenericFakeChatModel(messages=iter([AIMessage("the godfather")] * 3))
    fallback = LLMUser(ScriptedUser(godfather_fan, 0), stubborn).opening()
    assert fallback.message == ScriptedUser(godfather_fan, 0).opening().message

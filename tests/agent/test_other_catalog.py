"""The agent on a catalog that is not MovieLens: the board-game fixture (216 real games with
categories, mechanics, designers and descriptions; synthetic plays and ratings)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from convrec.agent.assemble import build_agent
from convrec.agent.core import RecAgent
from convrec.agent.nlu.extractor import SlotExtractor
from convrec.agent.trace import RecommendedItem
from convrec.eval.talk_checks import judge
from convrec.recsys.catalog import Catalog, build_catalog
from convrec.recsys.data import DataError
from convrec.recsys.fetch import dataset_dir, fetch, is_fetched, open_catalog
from convrec.recsys.parsers import ItemColumns, parse_csv

FIXTURE = Path(__file__).parents[1] / "fixtures" / "boardgames"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("boardgames-home")
    fetch(home, "boardgames", FIXTURE / "interactions.csv", FIXTURE / "items.csv", noun="game")
    return home


@pytest.fixture(scope="module")
def agent(home: Path) -> RecAgent:
    return build_agent(home, llm="deterministic", dataset="boardgames",
                       store=home / "sessions.sqlite")


def _ask(agent: RecAgent, *messages: str) -> list:
    session = f"s-{id(messages)}-{messages[0][:10]}"
    return [agent.chat(message, session) for message in messages]


def test_the_fixture_interactions_are_what_their_generator_writes():
    spec = importlib.util.spec_from_file_location("make", FIXTURE / "make_interactions.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    lines = (FIXTURE / "interactions.csv").read_text().splitlines()[1:]
    assert lines == [",".join(map(str, row)) for row in make.interactions()]


def test_the_dataset_describes_itself(home: Path):
    catalog = open_catalog(home, "boardgames")
    info = catalog.info
    assert (info.noun, info.nouns) == ("game", "games")
    assert info.facet_columns == ("categories", "mechanics")
    assert info.people_columns == ("designers",) and info.roles == ("designer",)
    assert catalog.facet_kind("Worker Placement") == "mechanics"
    assert "Reiner Knizia" in catalog.people
    catan = catalog.item(catalog.title_rows()[[r.display_title for r in
                                               catalog.title_rows()].index("Catan")].id)
    assert catan.people == (("designer", "Klaus Teuber"),) and catan.description


def test_an_unknown_column_names_file_line_and_column_and_nothing_is_written(tmp_path):
    items = tmp_path / "items.csv"
    items.write_text("id,title,year,players\n1,Chess,1475,2\n")
    (tmp_path / "plays.csv").write_text("user,item,timestamp\nann,1,5\n")
    with pytest.raises(DataError, match=r"items.csv:1: column 'players' is not a known kind; "
                                        r"declare it with exactly one of --facets players"):
        fetch(tmp_path / "home", "chess", tmp_path / "plays.csv", items)
    assert not is_fetched(tmp_path / "home", "chess")
    assert not dataset_dir(tmp_path / "home", "chess").exists()
    declared = parse_csv(tmp_path / "plays.csv", items, "chess",
                         columns=ItemColumns(facets=("players",)))
    assert declared.items["genres"][0] == ("2",)


def test_a_catalog_tag_wins_over_a_generic_cue(tmp_path):
    (tmp_path / "items.csv").write_text(
        "id,title,tags\n1,Hades,Indie|Roguelike\n2,Halo,Shooter\n3,Celeste,Indie|Platformer\n")
    (tmp_path / "plays.csv").write_text("user,item,timestamp\nann,1,5\nbob,2,6\n")
    dataset = parse_csv(tmp_path / "plays.csv", tmp_path / "items.csv", "games", noun="game")
    build_catalog(dataset, tmp_path / "catalog.sqlite")
    extractor = SlotExtractor(Catalog(tmp_path / "catalog.sqlite"))
    frame = extractor.extract("an indie roguelike please")
    assert frame.genres == ["Indie", "Roguelike"] and frame.popularity is None
    assert extractor.extract("some shooters").genres == ["Shooter"]


@pytest.mark.parametrize("message, facet", [
    ("a deckbuilder please", "Deck Building"), ("any good coop games?", "Cooperative"),
    ("worker placement from the 2010s", "Worker Placement"), ("a city builder", "City Building"),
    ("sci-fi games", "Science Fiction"), ("some cooperativ games", "Cooperative"),
])
def test_facets_are_understood_by_their_own_names_forms_and_typos(agent, message, facet):
    reply, = _ask(agent, message)
    assert reply.items and all(facet in item.genres for item in reply.items), reply.text


def test_people_filter_by_surname_full_name_and_typo_and_exclusion(agent):
    for message in ("something by Knizia", "games designed by reiner knizia", "by knizzia"):
        reply, = _ask(agent, message)
        assert reply.items and all(("designer", "Reiner Knizia") in item.people
                                   for item in reply.items), (message, reply.text)
        assert "by Reiner Knizia" in reply.text
    reply, = _ask(agent, "cooperative games but nothing by Matt Leacock")
    assert reply.items and not any(("designer", "Matt Leacock") in item.people
                                   for item in reply.items)
    assert all("Cooperative" in item.genres for item in reply.items)


def test_a_designer_the_catalog_lacks_is_said_so(agent):
    reply, = _ask(agent, "a strategy game by Vital Lacerda")
    assert "couldn't find Vital Lacerda among the designers" in reply.text


def test_replies_speak_of_games_and_their_categories(agent):
    help_reply, = _ask(agent, "what can you do?")
    assert "recommend games" in help_reply.text and "by category or mechanic" in help_reply.text
    assert "by designer" in help_reply.text and "film" not in help_reply.text.lower()
    reply, = _ask(agent, "party games from the 2010s")
    assert "film" not in reply.text.lower() and "watch" not in reply.text.lower()
    who, about = _ask(agent, "who designed Catan?", "what is it about?")
    assert "Klaus Teuber" in who.text and "settle" in about.text.lower()


def test_years_relative_to_a_named_game(agent):
    _, newer = _ask(agent, "tell me about Agricola",
                    "got any worker placement games more recent than it?")
    assert newer.items and all(item.year > 2007 and "Worker Placement" in item.genres
                               for item in newer.items)


def test_the_people_check_of_the_benchmark_judges_shown_designers(agent):
    reply, = _ask(agent, "something by Uwe Rosenberg")
    facts = type("Facts", (), {})()
    from convrec.eval.talk_checks import Seen
    seen = Seen(reply, None, lambda: None, facts)  # type: ignore[arg-type]
    assert judge({"people_any": ["Uwe Rosenberg"]}, seen) == []
    other = RecommendedItem(1, "Chess", 1475, ("Abstract",), 1.0)
    seen = Seen(type(reply)(reply.text, (*reply.items, other), reply.trace), None,
                lambda: None, facts)  # type: ignore[arg-type]
    failed = judge({"people_any": ["Uwe Rosenberg"]}, seen)
    assert failed and "are by none of Uwe Rosenberg: Chess" in failed[0][1]


def test_older_without_years_means_older_than_the_list_just_shown(agent):
    first, older = _ask(agent, "cooperative games", "anything older?")
    middle = sorted(item.year for item in first.items)[len(first.items) // 2]
    assert older.items and all(item.year < middle and "Cooperative" in item.genres
                               for item in older.items)
    assert "dropped" not in older.text


def test_questions_about_the_list_shown_are_answered_from_it(agent):
    shown, newest = _ask(agent, "games by Matt Leacock", "which of those is the newest?")
    year = max(item.year for item in shown.items)
    latest = [item.title for item in shown.items if item.year == year]
    assert newest.trace.act == "compare"
    assert f"The newest {'is' if len(latest) == 1 else 'are'} {latest[0]}" in newest.text
    have, = _ask(agent, "do you have terraforming mars?")
    assert have.trace.act == "info" and "Terraforming Mars is" in have.text


def test_narrowing_the_list_says_how_many_fit_not_that_nothing_repeats(agent):
    _, narrowed = _ask(agent, "anything by vlaada chvatil", "only the sci fi ones")
    assert narrowed.items and all("Science Fiction" in item.genres
                                  and ("designer", "Vlaada Chvátil") in item.people
                                  for item in narrowed.items)
    assert "don't repeat" not in narrowed.text


@pytest.mark.parametrize("message, facet", [
    ("Kartenspiele aus den 2000ern", "Card Game"), ("juegos de estrategia de los 90", "Strategy"),
    ("des jeux coopératifs", "Cooperative")])
def test_other_languages_name_this_catalogs_facets(agent, message, facet):
    reply, = _ask(agent, message)
    assert reply.items and all(facet in item.genres for item in reply.items), reply.text


def test_wishes_the_catalog_cannot_judge_are_said_and_the_rest_answered(agent):
    reply, = _ask(agent, "a strategy game for two players under 30 minutes")
    assert "I don't have player counts and running or playing times for these games" in \
        reply.text
    assert reply.items and all("Strategy" in item.genres for item in reply.items)


def test_more_by_the_same_designer(agent):
    _, more = _ask(agent, "tell me about Codenames", "what else did he make?")
    assert more.items and all(("designer", "Vlaada Chvátil") in item.people
                              and item.title != "Codenames" for item in more.items)


def test_when_nothing_new_fits_the_shown_items_that_do_come_back_and_it_says_so(agent):
    first, again = _ask(agent, "something by Klaus Teuber", "anything else by him?")
    assert [i.title for i in first.items] == ["Catan"] == [i.title for i in again.items]
    assert "Nothing new fits" in again.text and "dropped" not in again.text


def test_another_one_is_one(agent):
    _, one = _ask(agent, "party games", "another one please")
    assert len(one.items) == 1 and "Party" in one.items[0].genres


def test_asking_for_another_kind_of_item_is_said(agent):
    reply, = _ask(agent, "recommend me a good movie")
    assert "This catalog has games, not films" in reply.text and reply.items


@pytest.mark.parametrize("message, fact", [
    ("who designed pandemic?", "Leacock"),  # a one-word title that is an English word
    ("who desinged pandemci?", "Leacock"),  # typos in the verb and the title
    ("what yeer did carcasonne come out", "2000"),
])
def test_questions_about_a_game_find_it_through_typos(agent, message, fact):
    reply, = _ask(agent, message)
    assert reply.trace.act == "info" and fact in reply.text


def test_hating_a_game_played_long_ago_is_a_dislike_not_only_seen(agent):
    reply = agent.chat("I played Monopoly as a kid and honestly hated it", "hated-monopoly")
    profile = agent.profile("hated-monopoly")
    monopoly = [i for i in profile.disliked
                if agent.parts.toolkit.catalog.item(i).display_title == "Monopoly"]
    assert reply.trace.act == "feedback" and monopoly


def test_a_question_about_the_world_with_a_year_gets_no_picks(agent):
    reply, = _ask(agent, "who won the world cup in 2018?")
    assert reply.trace.act == "chat" and not reply.items


def test_dice_games_are_the_dice_category_and_nothing_scary_means_no_zombies_either(agent):
    dice, = _ask(agent, "recommend four dice games from the 2010s")
    assert len(dice.items) == 4 and all("Dice" in i.genres for i in dice.items)
    kids, = _ask(agent, "nothing scary, it's for the kids")
    assert kids.items and not any({"Horror", "Zombies"} & set(i.genres) for i in kids.items)
    scary, = _ask(agent, "something scary")
    assert scary.items and all({"Horror", "Zombies"} & set(i.genres) for i in scary.items)


def test_a_reason_names_only_the_words_true_of_the_item(agent):
    reply, = _ask(agent, "I want something with space and aliens")
    for item in reply.items:
        for said in ("mention 'space aliens'", "mentions 'space aliens'"):
            assert said not in item.reason
        if "mention 'space'" in item.reason:
            assert "space" in f"{item.title} {' '.join(item.genres)}".lower()
        if "description mentions 'aliens'" in item.reason:
            assert "alien" in item.description.lower()


def test_why_a_pick_like_a_liked_game_names_what_they_share(agent):
    liked, why = _ask(agent, "I loved Wingspan", "why did you recommend the first one?")
    first = liked.items[0]
    assert "you gave no conditions" not in why.text
    assert "games like Wingspan" in why.text
    wingspan = agent.parts.toolkit.catalog.item(agent.parts.match_title("Wingspan")[0])
    shared = [g for g in first.genres if g in wingspan.genres]
    assert f"{first.title} shares" in why.text and all(g in why.text for g in shared)


@pytest.mark.parametrize("message, wanted, unwanted", [
    ("I hate worker placement, give me something totally different but still strategic",
     {"Strategy"}, {"Worker Placement"}),
    ("recommend me a strategy game but not Knizia, I've had enough auctions for a lifetime",
     {"Strategy"}, {"Auction"}),
    ("Hallo, ich suche ein Spiel von Reiner Knizia für die ganze Familie", {"Family"}, set()),
])
def test_adjectives_other_languages_and_weariness_read_as_facets(agent, message, wanted,
                                                                 unwanted):
    reply, = _ask(agent, message)
    assert reply.items
    for item in reply.items:
        assert wanted <= set(item.genres) and not unwanted & set(item.genres)


def test_a_series_named_by_its_first_word_is_left_out(agent):
    reply, = _ask(agent, "horror games, but none of the Arkham stuff, we've played it to death")
    assert reply.items and not any("Arkham" in item.title for item in reply.items)
    assert "designer" not in reply.text  # Arkham is no person


@pytest.mark.parametrize("message, fact", [
    ("game night saturday, there'll be 5 of us", "player counts"),
    ("looking for a really meaty heavy euro", "complexity"),
    ("a quick filler between bigger games", "playing times"),
    ("a present for my nephew, he's turning 10", "age ratings"),
])
def test_wishes_the_catalog_cannot_judge_are_said(agent, message, fact):
    reply, = _ask(agent, message)
    assert f"I don't have {fact}" in reply.text or fact in reply.text
    assert "Here are 10 picks" not in reply.text  # "turning 10" is no count


def test_asking_for_games_that_names_titles_gets_picks_not_info_cards(agent):
    reply, = _ask(agent, "what are good gateway games for people who only know Monopoly "
                         "and Uno?")
    assert reply.trace.act == "recommend" and len(reply.items) == 5
    assert not {"Monopoly", "Uno"} & {item.title for item in reply.items}


def test_who_made_it_and_what_else_did_they_make_in_one_message(agent):
    reply, = _ask(agent, "who made Pandemic and did they do anything else?")
    assert reply.items and all(("designer", "Matt Leacock") in item.people
                               for item in reply.items)
    assert "Pandemic" not in [item.title for item in reply.items]


def test_a_fact_question_about_that_after_a_list_answers_for_the_list(agent):
    picks, year = _ask(agent, "games like Catan", "what year did that come out?")
    assert year.trace.act == "info"
    assert all(str(item.year) in year.text for item in picks.items)


def test_more_like_a_game_shares_its_facets_and_says_which(agent):
    reply, = _ask(agent, "games like Dominion")
    dominion = agent.parts.toolkit.catalog.item(agent.parts.match_title("Dominion")[0])
    assert len(reply.items) == 5
    for item in reply.items:
        shared = [g for g in item.genres if g in dominion.genres]
        assert shared  # a catalog past 64 facets keeps the facet overlap in the ranking
        assert "shares" in item.reason and all(g in item.reason for g in shared[:3])


def test_a_follow_up_about_the_same_person_keeps_what_was_asked_for_them(agent):
    first, second = _ask(agent, "a present for my nephew, he loves animals",
                         "anything cooperative so he doesn't cry when he loses lol")
    assert second.items
    assert all({"Animals", "Cooperative"} <= set(item.genres) for item in second.items)


def test_narrowing_keeps_any_of_and_the_older_ones_are_older(agent):
    _, coop = _ask(agent, "horror or zombie games", "only the cooperative ones")
    assert coop.items and all("Cooperative" in i.genres and {"Horror", "Zombies"} & set(i.genres)
                              for i in coop.items)
    first, older = _ask(agent, "games by Uwe Rosenberg", "only the older ones")
    newest = max(i.year for i in first.items)
    assert older.items and all(i.year < newest for i in older.items)


def test_what_else_by_someone_with_nothing_else_says_so(agent):
    _, more = _ask(agent, "tell me about Wingspan", "has she made anything else?")
    assert not more.items
    assert "no other games by Elizabeth Hargrave in this catalog than Wingspan" in more.text


@pytest.mark.parametrize("message, facet", [
    ("Wir suchen ein Spiel mit Zügen für die ganze Familie", "Trains"),
    ("juegos de trenes", "Trains"),
    ("des jeux avec des animaux", "Animals"),
])
def test_more_facet_words_in_other_languages(agent, message, facet):
    reply, = _ask(agent, message)
    assert reply.items and all(facet in item.genres for item in reply.items)


def test_a_count_in_italian_and_a_possessive_designer_the_catalog_lacks(agent):
    _, three = _ask(agent, "games by Knizia", "solo tre per favore")
    assert len(three.items) == 3 and "couldn't find" not in three.text
    lacerda, = _ask(agent, "I love Vital Lacerda's games, anything similar?")
    assert "couldn't find Vital Lacerda among the designers" in lacerda.text
    assert "lacerda's" not in lacerda.text


def test_follow_ups_on_the_list_and_the_item_talked_about(agent):
    _, similar = _ask(agent, "what's Cascadia about?", "similar games?")
    assert len(similar.items) == 5 and all("shares" in i.reason for i in similar.items)
    picks, _, newest = _ask(agent, "games with a hidden traitor", "hated the first one",
                            "which of the rest is newest?")
    rest = [i for i in picks.items[1:] if i.year]
    latest = max(rest, key=lambda i: i.year)
    assert newest.trace.act == "compare"
    assert newest.text.startswith(f"The newest is {latest.title} ({latest.year})")
    _, coop = _ask(agent, "trick taking games", "any cooperative one?")
    assert coop.items and all({"Trick Taking", "Cooperative"} <= set(i.genres)
                              for i in coop.items)


def test_what_the_catalog_holds_and_not(agent):
    size, = _ask(agent, "how many games are in your catalog?")
    assert size.text == "This catalog has 216 games."
    publisher, = _ask(agent, "who publishes Wingspan?")
    assert "I don't have publisher data" in publisher.text
    about, = _ask(agent, "tell me about Cascadia")
    assert "Pacific Northwest" in about.text  # what it is, from its description
    hate, = _ask(agent, "my family only ever plays Monopoly and honestly I hate it, what "
                        "should we try instead?")
    assert "didn't like Monopoly" in hate.text and ", like Monopoly" not in hate.text


def test_fourth_round_of_what_people_say(agent):
    _, fewer = _ask(agent, "horror games", "less dice please")
    assert fewer.items and all("Horror" in i.genres and not {"Dice", "Dice Rolling"}
                               & set(i.genres) for i in fewer.items)
    _, no_teams = _ask(agent, "party games", "and nothing with teams")
    assert no_teams.items and not any("Team Play" in i.genres for i in no_teams.items)
    _, kids_dice = _ask(agent, "games for kids", "only ones with dice please")
    assert kids_dice.items and all("Children's Game" in i.genres for i in kids_dice.items)
    either, = _ask(agent, "Azul or Splendor for my mom? she likes puzzles")
    assert either.trace.act == "compare"
    quick, = _ask(agent, "what can I play in under 30 minutes?")
    assert "playing times" in quick.text and "couldn't find that game" not in quick.text
    german, = _ask(agent, "Wir suchen ein Spiel für einen Spieleabend mit Freunden, gerne mit "
                          "Würfeln")
    assert "designers" not in german.text
    assert german.items and all({"Dice", "Dice Rolling"} & set(i.genres) for i in german.items)

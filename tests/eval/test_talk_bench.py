"""`convrec bench talk`: every check holds on a reply that satisfies it and fails, with its
reason, on one that does not (replies built by hand from the real catalog); malformed cases
are refused on load with file, line and key; a real run of 3 cases through the command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from convrec.agent.assemble import build_agent
from convrec.agent.core import RecAgent
from convrec.agent.trace import PlanningStep, RecommendedItem, Reply, Trace
from convrec.cli import main
from convrec.eval import talk_cases
from convrec.eval.talk_cases import TalkCase, TalkTurn, Titles, load_set, select
from convrec.eval.talk_checks import ADMITS, NEIGHBOURS, Facts, Seen, judge
from convrec.memory.profile_model import UserProfile
from convrec.recsys.fetch import MOVIELENS_100K


@pytest.fixture(scope="module")
def agent(home: Path, tmp_path_factory: pytest.TempPathFactory) -> RecAgent:
    return build_agent(home, llm="deterministic",
                       profiles_path=tmp_path_factory.mktemp("talk") / "p.sqlite")


@pytest.fixture(scope="module")
def facts(agent: RecAgent, home: Path) -> Facts:
    return Facts.for_agent(agent, home, MOVIELENS_100K)


def items(facts: Facts, *titles: str | int) -> tuple[RecommendedItem, ...]:
    """Catalog items as the agent shows them, by display title or id."""
    ids = [t if isinstance(t, int) else facts.titles.ids(t)[0] for t in titles]
    return tuple(RecommendedItem(i.id, i.display_title, i.year, i.genres, 1.0, "", i.popularity)
                 for i in facts.catalog.items(ids))


class Shown(NamedTuple):
    """A reply (and what the checks see around it), built by hand."""

    titles: tuple[str | int, ...] = ()
    text: str = ""
    act: str | None = None
    liked: tuple[str, ...] = ()
    previous: tuple[str | int, ...] | None = None

    def judge(self, expect: dict[str, Any], facts: Facts) -> dict[str, str]:
        trace = Trace([PlanningStep(0, "extractor", {"intent": self.act}, 0.0)]) \
            if self.act else Trace()
        reply = Reply(self.text, items(facts, *self.titles), trace)
        profile = UserProfile(liked=[facts.titles.ids(t)[0] for t in self.liked],
                              disliked=[facts.titles.ids(t)[0] for t in self.liked],
                              seen=[facts.titles.ids(t)[0] for t in self.liked])
        previous = None if self.previous is None else items(facts, *self.previous)
        return dict(judge(expect, Seen(reply, previous, lambda: profile, facts)))


# (expect, a reply it holds on, a reply it fails on, a piece of the failure's reason)
CHECKS = [
    ({"act": "info"}, Shown(act="info"), Shown(act="recommend"),
     "act was 'recommend', expected 'info'"),
    ({"n_items": 2}, Shown(("Contact", "Fargo")), Shown(("Contact",)),
     "showed 1 item, expected exactly 2"),
    ({"min_items": 2}, Shown(("Contact", "Fargo")), Shown(("Contact",)),
     "showed 1 item, expected at least 2"),
    ({"no_items": True}, Shown(()), Shown(("Contact",)), "1 of 1 item shown, expected none"),
    ({"genres_all": ["Drama", "Sci-Fi"]}, Shown(("Contact", "Twelve Monkeys")),
     Shown(("Contact", "Fargo")), "1 of 2 items lack one of Drama, Sci-Fi: Fargo (1996)"),
    ({"genres_any": ["Horror", "Sci-Fi"]}, Shown(("Contact", "Scream")),
     Shown(("Contact", "Fargo")), "1 of 2 items have none of Horror, Sci-Fi: Fargo (1996)"),
    ({"genres_none": ["Horror"]}, Shown(("Contact", "Fargo")), Shown(("Fargo", "Scream")),
     "1 of 2 items have one of Horror: Scream (1996) [Horror, Thriller]"),
    ({"year_min": 1996}, Shown(("Contact", "Fargo")), Shown(("Contact", "Star Wars")),
     "1 of 2 items are before 1996 or have no year: Star Wars (1977) [1977]"),
    ({"year_max": 1977}, Shown(("Star Wars", "The Godfather")), Shown(("Star Wars", "Contact")),
     "1 of 2 items are after 1977 or have no year: Contact (1997) [1997]"),
    ({"years_outside": [1990, 1999]}, Shown(("Star Wars", "The Godfather")),
     Shown(("Star Wars", "Fargo")), "1 of 2 items are from 1990-1999: Fargo (1996) [1996]"),
    ({"titles_shown": ["Fargo"]}, Shown(("Contact", "Fargo")), Shown(("Contact",)),
     "not shown: Fargo"),
    ({"titles_not_shown": ["Fargo"]}, Shown(("Contact",)), Shown(("Contact", "Fargo")),
     "shown: Fargo at #2"),
    ({"mentions": ["Fargo"]}, Shown(text="fargo came out in 1996."), Shown(text="No idea."),
     "not in the reply text: Fargo"),
    ({"text_has": ["1996|ninety-six", "crime"]}, Shown(text="Fargo (1996) is a Crime film."),
     Shown(text="Fargo is a Crime film."), "the reply text has none of: '1996|ninety-six'"),
    ({"text_lacks": ["you liked"]}, Shown(text="Here are 5 picks."),
     Shown(text="Because You Liked Fargo:"), "the reply text has: 'you liked'"),
    ({"admits": True}, Shown(text="I don't have cast or crew data, but here are thrillers."),
     Shown(text="Fargo is from 1996."), "does not say it lacks something: 'Fargo is from 1996.'"),
    ({"min_avg_rating": 4.0}, Shown(("Star Wars", "Schindler's List")),
     Shown(("Star Wars", "Liar Liar")), "1 of 2 items average below 4.0: Liar Liar (1997) [3.16]"),
    ({"profile_liked": ["Fargo"]}, Shown(liked=("Fargo",)), Shown(liked=("Contact",)),
     "not liked in the profile: Fargo (liked: Contact (1997))"),
    ({"profile_disliked": ["Fargo"]}, Shown(liked=("Fargo",)), Shown(),
     "not disliked in the profile: Fargo (disliked: none)"),
    ({"profile_seen": ["Fargo"]}, Shown(liked=("Fargo",)), Shown(liked=("Contact",)),
     "not seen in the profile: Fargo"),
    # "#N": the N-th item of the previous reply
    ({"titles_shown": ["#2"]}, Shown(("Fargo",), previous=("Contact", "Fargo")),
     Shown(("Contact",), previous=("Contact", "Fargo")), "not shown: #2 Fargo (1996)"),
    ({"titles_not_shown": ["#1"]}, Shown(("Fargo",), previous=("Contact",)),
     Shown(("Contact",), previous=("Contact",)), "shown: #1 Contact (1997) at #1"),
    ({"profile_liked": ["#1"]}, Shown(liked=("Fargo",), previous=("Fargo",)),
     Shown(liked=("Fargo",), previous=("Contact",)), "not liked in the profile: #1 Contact"),
]


@pytest.mark.parametrize("expect, good, bad, reason", CHECKS,
                         ids=[f"{next(iter(c[0]))}-{n}" for n, c in enumerate(CHECKS)])
def test_each_check_holds_or_says_why(expect, good, bad, reason, facts: Facts):
    assert good.judge(expect, facts) == {}
    failed = bad.judge(expect, facts)
    assert list(failed) == list(expect)
    assert reason in failed[next(iter(expect))]


def test_every_check_of_the_spec_is_tested_and_judged():
    # similar_to below; people_any on a catalog with people (tests/agent/test_other_catalog.py)
    tested = {key for expect, *_ in CHECKS for key in expect} | {"similar_to", "people_any"}
    assert tested == set(talk_cases.CHECK_KEYS)


def test_similar_to_needs_half_of_the_shown_items_among_the_50_neighbours(
        agent: RecAgent, facts: Facts):
    star_wars = facts.titles.ids("Star Wars")[0]
    ranked, _ = agent.parts.toolkit.models.get("als").similar_items(star_wars, N=200)
    near, far = [int(i) for i in ranked[:NEIGHBOURS]], [int(i) for i in ranked[150:]]
    expect = {"similar_to": "Star Wars"}
    assert Shown((*near[:3], *far[:2])).judge(expect, facts) == {}  # 3 of 5: half, rounded up
    assert Shown((near[49], far[0])).judge(expect, facts) == {}  # 1 of 2
    assert Shown((*near[:2], *far[:3])).judge(expect, facts) == {"similar_to": (
        "2 of 5 items among the 50 nearest neighbours of Star Wars; need 3")}
    assert Shown(()).judge(expect, facts) == {
        "similar_to": "no item shown to compare with Star Wars"}
    by_reference = {"similar_to": "#2"}
    assert Shown(tuple(near[:4]), previous=(far[0], star_wars)).judge(by_reference, facts) == {}
    failed = Shown(tuple(far[:4]), previous=(far[0], star_wars)).judge(by_reference, facts)
    assert failed == {"similar_to": "0 of 4 items among the 50 nearest neighbours of "
                                    "#2 Star Wars (1977); need 2"}


def test_an_item_without_ratings_is_below_any_minimum(facts: Facts):
    unrated = Facts(facts.catalog, facts.neighbours, lambda: {49: 4.36})
    assert Shown(("Star Wars", "Fargo")).judge({"min_avg_rating": 1.0}, unrated) == {
        "min_avg_rating": "1 of 2 items average below 1.0: Fargo (1996) [no ratings]"}


def test_a_reference_with_no_such_item_fails_with_a_reason(facts: Facts):
    expect = {"titles_shown": ["Fargo", "#3"], "similar_to": "#2", "mentions": ["#2"]}
    assert Shown(("Fargo",), previous=("Contact",)).judge(expect, facts) == {
        "titles_shown": "#3: the previous reply showed 1 item",
        "similar_to": "#2: the previous reply showed 1 item",
        "mentions": "#2: the previous reply showed 1 item"}
    assert Shown(("Fargo",)).judge({"titles_shown": ["Fargo", "#3"]}, facts) == {
        "titles_shown": "#3: there is no previous reply to refer to"}
    assert Shown(("Contact",), previous=()).judge({"titles_shown": ["Fargo", "#1"]}, facts) == {
        "titles_shown": "not shown: Fargo; #1: the previous reply showed 0 items"}


@pytest.mark.parametrize("text", [
    "I don't have cast or crew data.", "I do not know who directed it.",
    "The catalog doesn't have runtimes.", "I can't tell you the plot.",
    "I cannot find Blade Runner 3.", "I couldn't find that title.", "I could not find it.",
    "There is no information about its director.", "Blade Runner 3 is not in the catalog.",
    "I don’t have that."])
def test_the_admits_pattern_matches_each_form_of_the_spec(text: str):
    assert ADMITS.search(text)


@pytest.mark.parametrize("text", ["Here are 5 picks for Sci-Fi.", "I know a good one.",
                                  "Don't miss Fargo (1996)."])
def test_the_admits_pattern_ignores_replies_that_admit_nothing(text: str):
    assert not ADMITS.search(text)


# --- loading ---------------------------------------------------------------------------------

GOOD = {"id": "g-1", "category": "reference", "note": "why this case",
        "turns": [{"user": "some 90s sci-fi"},
                  {"user": "more like #2", "expect": {"similar_to": "#2", "min_items": 3,
                                                      "titles_not_shown": ["Cape Fear (1962)"]}}]}


def write(path: Path, *rows: dict | str) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_a_valid_set_loads(tmp_path: Path, facts: Facts):
    path = write(tmp_path / "good.jsonl", GOOD, "", {**GOOD, "id": "g-2"})
    cases = load_set(str(path), facts.titles, facts.catalog.genres)
    assert cases[0] == TalkCase("g-1", "reference", (
        TalkTurn("some 90s sci-fi"), TalkTurn("more like #2", GOOD["turns"][1]["expect"])))
    assert [c.id for c in cases] == ["g-1", "g-2"]
    assert facts.titles.ids("Cape Fear (1962)") == (672,)
    assert facts.titles.ids("Cape Fear") == (217, 672)


def bad_turn(expect: dict) -> dict:
    return {**GOOD, "id": "b-1", "turns": [{"user": "hi", "expect": expect}]}


@pytest.mark.parametrize("row, message", [
    (bad_turn({"genre_all": ["Sci-Fi"]}), "case 'b-1' turn 1: genre_all: unknown check"),
    (bad_turn({"titles_shown": ["The Godfathr"]}),
     "case 'b-1' turn 1: titles_shown: 'The Godfathr' is not a catalog title"),
    (bad_turn({"similar_to": "Godfather, The"}), "similar_to: 'Godfather, The' is not a catalog"),
    (bad_turn({"mentions": ["#0"]}), "mentions: '#0' is not a reference"),
    (bad_turn({"act": "greet"}), "act: 'greet' is not an act"),
    (bad_turn({"genres_none": ["Scary"]}), "genres_none: unknown genre 'Scary'"),
    (bad_turn({"n_items": "5"}), "n_items: needs a whole number >= 0"),
    (bad_turn({"admits": False}), "admits: the only value is true"),
    (bad_turn({"years_outside": [1999, 1990]}), "years_outside: needs [lo, hi]"),
    (bad_turn({"text_has": "sorry"}), "text_has: needs a non-empty list of strings"),
    (bad_turn({}), "expect is empty"),
    ({**GOOD, "category": "smalltalk"}, "case 'g-1': category: 'smalltalk' is not one of"),
    ({**GOOD, "tags": []}, "tags: unknown case key"),
    ({**GOOD, "turns": [{"user": "hi", "expected": {}}]}, "turn 1: expected: unknown turn key"),
    ({**GOOD, "turns": [{"user": "hi"}]}, "no turn has an expect"),
    ('{"id": "x", ', "not JSON"),
])
def test_a_malformed_case_is_refused_naming_line_and_key(tmp_path: Path, facts: Facts, row,
                                                          message: str):
    path = write(tmp_path / "bad.jsonl", GOOD, row)
    with pytest.raises(ValueError) as error:
        load_set(str(path), facts.titles, facts.catalog.genres)
    assert str(error.value).startswith(f"{path}:2: ")
    assert message in str(error.value)


def test_a_repeated_case_id_is_refused(tmp_path: Path, facts: Facts):
    path = write(tmp_path / "twice.jsonl", GOOD, GOOD)
    with pytest.raises(ValueError, match=r"twice.jsonl:2: case id 'g-1' is used twice"):
        load_set(str(path), facts.titles, facts.catalog.genres)


@pytest.mark.parametrize("name", talk_cases.TALK_SETS)
def test_the_shipped_sets_load(name: str, facts: Facts):
    cases = load_set(name, facts.titles, facts.catalog.genres)
    assert len(cases) > 100
    assert {c.category for c in cases} == set(talk_cases.CATEGORIES)


def test_select_by_category_then_limit():
    cases = [TalkCase(str(n), cat, (TalkTurn("hi", {"act": "chat"}),))
             for n, cat in enumerate(["help", "info", "help", "help"])]
    assert [c.id for c in select(cases, ["help"], 2)] == ["0", "2"]
    assert len(select(cases)) == 4
    with pytest.raises(ValueError, match="unknown category 'helps'"):
        select(cases, ["helps"])


def test_titles_are_exact_display_titles(facts: Facts):
    titles = Titles(facts.catalog)
    assert titles.ids("The Godfather") == (126,)
    assert titles.ids("the godfather") == () and titles.ids("Godfather, The") == ()


# --- a real run --------------------------------------------------------------------------------

RUN = [
    {"id": "r-1", "category": "recommend", "turns": [
        {"user": "some 90s sci-fi please",
         "expect": {"act": "recommend", "n_items": 5, "genres_all": ["Sci-Fi"],
                    "year_min": 1990, "year_max": 1999}}]},
    {"id": "r-2", "category": "feedback", "turns": [
        {"user": "I loved Star Wars",
         "expect": {"profile_liked": ["Star Wars"], "similar_to": "Star Wars"}},
        {"user": "what year is Fargo?",
         "expect": {"act": "info", "titles_shown": ["Fargo"], "titles_not_shown": ["#1"],
                    "text_has": ["1996"], "profile_liked": ["Star Wars"]}}]},
    {"id": "r-3", "category": "recommend", "turns": [
        {"user": "some 90s sci-fi please", "expect": {"act": "recommend",
                                                      "titles_shown": ["Titanic"]}}]},
]


def test_three_cases_through_the_command(home: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]):
    path = write(tmp_path / "three.jsonl", *RUN)
    out = tmp_path / "results.json"
    argv = ["--home", str(home), "bench", "talk", "--llm", "deterministic", "--sets",
            str(path), "--failures", "5", "--json", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "== talk set three" in printed
    assert "recommend            2      1   50.0%" in printed
    assert "feedback             1      1  100.0%" in printed
    assert "overall              3      2   66.7%" in printed
    assert "p50 " in printed and "(4 turns)" in printed
    assert "-- r-3 [recommend]" in printed and "-- r-1" not in printed
    assert "FAILED titles_shown: not shown: Titanic" in printed
    table = printed.split("== cases right, and turn p50")[1].splitlines()
    assert table[1].split() == ["set", "extractor"]  # --llm deterministic: that column only
    assert table[2].split()[:2] == ["three", "66.7%"]
    result = json.loads(out.read_text())["extractor"]
    assert result["llm"] == "extractor"
    run = result["sets"]["three"]
    assert run["summary"]["cases"] == 3 and run["summary"]["right"] == 2
    cases = {c["id"]: c for c in run["cases"]}
    assert [cases[i]["right"] for i in ("r-1", "r-2", "r-3")] == [True, True, False]
    assert cases["r-3"]["failed"] == [
        {"turn": 1, "check": "titles_shown", "reason": "not shown: Titanic"}]
    first = cases["r-2"]["transcript"][0]
    assert first["user"] == "I loved Star Wars" and first["act"] == "feedback"
    assert len(first["items"]) == 5 and "Star Wars" in first["text"]
    assert cases["r-2"]["transcript"][1]["items"] == [{"id": 99, "title": "Fargo", "year": 1996}]

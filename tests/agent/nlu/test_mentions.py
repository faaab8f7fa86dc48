"""MentionFinder: catalog titles mentioned in free text, with evidence for one-word titles."""

from __future__ import annotations

import pytest

from convrec.agent.nlu.extractor import SlotExtractor
from convrec.agent.nlu.mentions import MentionFinder
from convrec.recsys.catalog import Catalog

TITLES = [("Heat (1995)", "Heat", 200), ("Toy Story (1995)", "Toy Story", 450),
          ("Babe (1995)", "Babe", 300), ("Godfather: Part II, The (1974)",
                                         "The Godfather: Part II", 400)]


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    return MentionFinder(TITLES)


@pytest.mark.parametrize(("message", "found"), [
    ("I loved Toy Story and Babe", ["Toy Story", "Babe"]),
    ("something like Heat", ["Heat"]),
    ("the heat is on this summer", []),
    ("godfather 2 please", ["The Godfather: Part II"]),
    ("loved the Godfahter Part II", ["The Godfather: Part II"]),
    ("loved Godfahter part 3", []),  # a typo, but not of the same sequel
])
def test_finds_the_titles_a_message_mentions(finder, message, found):
    assert [m.title for m in finder.find(message)] == found


def test_spans_point_into_the_message_even_after_accents(finder):
    message = "Café talk: I loved Toy Story"
    (mention,) = finder.find(message)
    assert message[mention.start:mention.end] == "Toy Story"


def test_the_extractor_offers_titles_in_text_and_canonical_titles(catalog: Catalog):
    extractor = SlotExtractor(catalog)
    assert extractor.titles_in("I loved The Godfather and Fargo") == ["The Godfather", "Fargo"]
    assert extractor.canonical_title("godfather") == "The Godfather"
    assert extractor.canonical_title("no such film here") == "no such film here"

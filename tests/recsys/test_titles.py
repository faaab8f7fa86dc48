import pytest

from convrec.recsys.catalog import Catalog
from convrec.recsys.titles import (
    ARTICLE_KEYS,
    ENGLISH_ARTICLE_KEYS,
    display_title,
    fold,
    search_key,
    split_year,
    strip_article,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Godfather, The (1972)", "The Godfather"),
        ("Godfather: Part II, The", "The Godfather: Part II"),
        ("Pyromaniac's Love Story, A (1995)", "A Pyromaniac's Love Story"),
        ("Cité des enfants perdus, La (1995)", "La Cité des enfants perdus"),
        ("Toy Story (1995)", "Toy Story"),
        ("Shanghai Triad (Yao a yao yao dao waipo qiao) (1995)",
         "Shanghai Triad (Yao a yao yao dao waipo qiao)"),
    ],
)
def test_display_title_moves_the_article_to_the_front_and_drops_the_year(raw, shown):
    assert display_title(raw) == shown


def test_split_year_returns_the_trailing_year_only():
    assert split_year("Seven (Se7en) (1995)") == ("Seven (Se7en)", 1995)
    assert split_year("unknown") == ("unknown", None)


def test_search_key_is_the_same_for_both_spellings_of_a_title():
    assert search_key("Godfather, The") == search_key("the godfather") == "the godfather"
    assert search_key("Cité des enfants perdus, La") == "la cite des enfants perdus"


def test_fold_keeps_positions_and_agrees_with_search_key_on_words():
    text = "I loved La Cité des Enfants Perdus’s score"
    folded = fold(text)
    assert len(folded) == len(text) and folded.startswith("i loved la cite des enfants")
    assert "perdus's" in folded
    assert search_key("Cité des enfants perdus, La") in folded


def test_strip_article_drops_one_leading_article_only_when_enough_is_left():
    assert strip_article("the godfather") == "godfather"
    assert strip_article("l avventura") == "avventura"  # "L'Avventura"
    assert strip_article("the x") == "x" and strip_article("the x", min_rest=4) == "the x"
    assert strip_article("la cite", ENGLISH_ARTICLE_KEYS) == "la cite"
    assert strip_article("theater") == "theater" and "l" in ARTICLE_KEYS


def test_catalog_title_rows_and_latest_year(catalog: Catalog):
    rows = catalog.title_rows()
    assert len(rows) == len(catalog) and [r.id for r in rows] == catalog.all_ids()
    godfather = rows[126]
    assert (godfather.title, godfather.display_title, godfather.year) == (
        "Godfather, The", "The Godfather", 1972)
    top = catalog.title_rows(most_popular=3)
    assert [r.popularity for r in top] == sorted((r.popularity for r in rows), reverse=True)[:3]
    assert catalog.latest_year() == max(r.year for r in rows if r.year is not None)

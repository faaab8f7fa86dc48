import pytest

from convrec.recsys.titles import display_title, search_key, split_year


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

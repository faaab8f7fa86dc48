"""The tuned planner's drafts: the extractor's frame beside each request, some damaged."""

from __future__ import annotations

import random

import pytest

from convrec.agent.compiler import Grounded
from convrec.agent.frame import RequestFrame, frame_schema
from convrec.agent.nlu.extractor import SlotExtractor
from convrec.agent.planner import DraftCheckingPlanner, PlanRequest, Reading, add_to_draft
from convrec.agent.tuning.build import generate_corpus, writer_for
from convrec.agent.tuning.corpus import CorpusExample
from convrec.agent.tuning.drafts import DraftDamage, with_drafts


@pytest.fixture(scope="module")
def extractor(catalog) -> SlotExtractor:
    return SlotExtractor(catalog)


@pytest.fixture(scope="module")
def damage() -> DraftDamage:
    return DraftDamage(random.Random(4))


def test_a_damaged_draft_misses_something_and_adds_nothing(catalog, damage):
    schema = frame_schema(catalog.genres)
    corpus = generate_corpus(writer_for(catalog, seed=11), 300)
    for example in corpus:
        gold, wrong = example.frame, damage(example.frame)
        schema.model_validate(wrong.model_dump())
        assert (wrong != gold) == gold.has_constraints()
        for slot in ("genres", "exclude_genres", "similar_to", "exclude_titles", "about"):
            assert set(getattr(wrong, slot)) <= set(getattr(gold, slot))
        assert wrong.query in (None, gold.query) and wrong.popularity in (None, gold.popularity)


def test_every_example_gets_a_draft_and_the_counts_add_up(catalog, extractor, damage):
    corpus = generate_corpus(writer_for(catalog, seed=12), 200)
    drafted, counts = with_drafts(corpus, extractor.extract, damage, extractor.canonical_title,
                                  rate=0.5)
    assert all(e.draft is not None for e in drafted)
    assert sum(counts.values()) == len(drafted) == len(corpus)
    assert counts["draft_damaged"] > 0 and counts["draft_right"] > 0


def test_gold_keeps_the_drafts_spelling_of_the_same_title_and_its_genre_order(
        extractor, damage):
    example = CorpusExample("i liked star wars, any sci-fi adventure?", None,
                            RequestFrame(genres=["Sci-Fi", "Adventure"],
                                         similar_to=["star wars"]))
    drafted, _ = with_drafts([example], lambda m, p: RequestFrame(
        genres=["Adventure", "Sci-Fi"], similar_to=["Star Wars"]), damage,
        extractor.canonical_title, rate=0.0)
    assert drafted[0].frame.similar_to == ["Star Wars"]
    assert drafted[0].frame.genres == ["Adventure", "Sci-Fi"]


def test_the_tuned_prompt_shows_the_extractors_draft(catalog, extractor):
    planner = DraftCheckingPlanner(None, catalog.genres)
    message = "horror films before 1970"
    draft = extractor.extract(message)
    text = planner.messages(PlanRequest(message, Reading(draft, Grounded(draft))))[-1].content
    assert text.startswith("Message: horror films before 1970\nDraft: {")
    assert '"genres":["Horror"]' in text and '"year_max":1969' in text
    assert planner.checks_draft and not planner.accepts_feedback


def test_the_guard_keeps_the_drafts_values_and_adds_only_the_titles_it_missed():
    draft = RequestFrame(genres=["Sci-Fi"], year_min=1996, similar_to=["Alien"])
    model = RequestFrame(genres=["Sci-Fi", "Romance"], similar_to=["alien", "Star Wars"],
                         popularity="popular")  # lost the years, made up a genre
    guarded = add_to_draft(draft, model)
    assert guarded == RequestFrame(genres=["Sci-Fi"], year_min=1996,
                                   similar_to=["Alien", "Star Wars"])


def test_the_guard_does_not_let_the_model_contradict_the_draft():
    draft = RequestFrame(similar_to=["The Godfather"], exclude_genres=["Horror"])
    model = RequestFrame(intent="info", about=["The Godfather"], genres=["Horror"],
                         exclude_titles=["the godfather"])
    assert add_to_draft(draft, model) == draft


def test_when_the_draft_read_nothing_the_models_frame_stands():
    model = RequestFrame(genres=["Western"], year_max=1969)
    assert add_to_draft(RequestFrame(), model) == model

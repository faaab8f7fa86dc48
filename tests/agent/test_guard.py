"""The confidence guard on the tuned planner: per-slot confidence from token probabilities,
and which of the model's slots may overrule the extractor's draft."""

from __future__ import annotations

import math

import pytest

from convrec.agent.frame import RequestFrame
from convrec.agent.guard import GuardThresholds, confident_merge, slot_confidence, slot_spans
from convrec.agent.llm.engine import ScoredText


def scored(pieces: list[str], probs: list[float]) -> ScoredText:
    return ScoredText("".join(pieces), tuple(pieces), tuple(math.log(p) for p in probs))


def test_slot_spans_cover_separator_key_and_value():
    text = '{"genres":["Horror"],"year_min":1980,"query":"a, b"}'
    spans = slot_spans(text)
    assert [s.name for s in spans] == ["genres", "year_min", "query"]
    assert text[spans[1].start:spans[1].end] == ',"year_min":1980'
    assert text[spans[2].start:spans[2].key_end] == ',"query"'
    assert slot_spans("{}") == []


def test_a_written_slot_is_as_sure_as_its_least_sure_token():
    text = scored(['{"', 'genres', '":["', 'Horror', '"]', ',"', 'year_min', '":', '1980', '}'],
                  [1.0, 0.99, 1.0, 0.95, 1.0, 0.6, 1.0, 1.0, 0.7, 0.97])
    confidence = slot_confidence(text)
    assert confidence["genres"] == pytest.approx(0.95)
    assert confidence["year_min"] == pytest.approx(0.6)


def test_a_slot_left_out_is_as_sure_as_the_choice_made_in_its_place():
    # genres, then (skipping exclude_genres) year_min, then the closing brace
    text = scored(['{"', 'genres', '":["', 'Horror', '"]', ',"', 'year_min', '":', '1980', '}'],
                  [1.0, 0.99, 1.0, 0.95, 1.0, 0.6, 1.0, 1.0, 0.7, 0.97])
    confidence = slot_confidence(text)
    assert confidence["exclude_genres"] == pytest.approx(0.6)  # where year_min was chosen
    assert confidence["year_max"] == pytest.approx(0.97)  # where it closed the object
    assert confidence["intent"] == pytest.approx(0.99)  # before the first key


def test_the_draft_stays_where_the_model_is_unsure():
    draft = RequestFrame(genres=["Romance"], query="frights")
    model = RequestFrame(genres=["Horror", "Romance"])
    unsure = {"genres": 0.5, "query": 0.5}
    assert confident_merge(draft, model, unsure, "frights or maybe romance") == draft


def test_a_sure_model_corrects_the_slots_it_is_sure_of_and_only_those():
    draft = RequestFrame(genres=["Thriller"], query="dance", year_min=1990)
    model = RequestFrame(genres=["Musical", "Thriller"], year_min=1991)
    confidence = {"genres": 0.97, "query": 0.95, "year_min": 0.4}
    merged = confident_merge(draft, model, confidence, "song and dance thriller from the 90s",
                             GuardThresholds(change=0.9, drop=0.9, intent=0.9))
    assert merged == RequestFrame(genres=["Musical", "Thriller"], year_min=1990)


def test_an_added_title_must_be_spelled_in_the_message():
    draft = RequestFrame(genres=["Comedy"])
    model = RequestFrame(genres=["Comedy"], similar_to=["It Happened One Night", "Fargo"])
    merged = confident_merge(draft, model, {"similar_to": 0.99}, "comedies like fargoo")
    assert merged.similar_to == ["Fargo"]


def test_another_act_takes_the_whole_frame_only_when_sure_and_spelled():
    draft = RequestFrame(similar_to=["The Lion King"])
    model = RequestFrame(intent="explain", about=["The Lion King"])
    message = "why would I like the lion king?"
    assert confident_merge(draft, model, {"intent": 0.99}, message) == model
    assert confident_merge(draft, model, {"intent": 0.6}, message) == draft
    invented = RequestFrame(intent="info", about=["Heat"])
    assert confident_merge(draft, invented, {"intent": 0.99}, message) == draft


def test_a_liked_title_is_not_made_unwanted_by_a_slot_change():
    draft = RequestFrame(intent="feedback", similar_to=["Alien"])
    model = RequestFrame(intent="feedback", disliked=["Alien"])
    sure = {"similar_to": 0.99, "disliked": 0.99}
    merged = confident_merge(draft, model, sure, "i loved alien")
    assert merged.disliked == [] and merged.intent == "feedback"


def test_an_adapter_carries_its_thresholds_and_null_means_never(tmp_path):
    from convrec.agent.guard import NEVER
    from convrec.agent.llm.local import GUARD_FILE, guard_thresholds

    assert guard_thresholds(None) is None and guard_thresholds(tmp_path) is None
    (tmp_path / GUARD_FILE).write_text('{"change": 0.9, "drop": null, "intent": 0.8}')
    values = guard_thresholds(tmp_path)
    assert GuardThresholds.from_values(values) == GuardThresholds(0.9, NEVER, 0.8)


class _Scoring:
    """A model that reports token probabilities (its frames are never asked for here)."""

    def __init__(self, thresholds):
        self.guard_thresholds = thresholds

    def generate_scored(self, messages, schema, max_new_tokens=128):
        raise AssertionError("not called")


def test_the_confidence_guard_needs_token_scores_and_thresholds_for_the_adapter():
    from convrec.agent.planner import DraftCheckingPlanner

    genres = ["Comedy", "Horror"]
    chosen = DraftCheckingPlanner(_Scoring({"change": 0.9, "drop": None, "intent": 0.9}), genres)
    assert chosen.scores and chosen.thresholds.change == 0.9
    assert not DraftCheckingPlanner(_Scoring(None), genres).scores  # add_to_draft instead
    given = DraftCheckingPlanner(_Scoring(None), genres, thresholds=GuardThresholds())
    assert given.scores and given.thresholds == GuardThresholds()

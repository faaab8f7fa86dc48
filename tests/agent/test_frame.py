"""RequestFrame, its catalog schema, refinement merging and the frame scorer."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from convrec.agent.frame import FRAME_FIELDS, RequestFrame, frame_schema, merge_frames, shift_years
from convrec.eval.frame_scoring import score_frames
from convrec.eval.planner_bench import load_labeled

GENRES = ("Comedy", "Horror", "Sci-Fi")
SCI_FI_90S = RequestFrame(genres=["Sci-Fi"], year_min=1990, year_max=1999)


def test_frame_rejects_unknown_slots_and_schema_rejects_unknown_genres():
    with pytest.raises(ValidationError):
        RequestFrame(genre=["Comedy"])
    schema = frame_schema(GENRES)
    assert schema(genres=["Comedy"]).genres == ["Comedy"]
    with pytest.raises(ValidationError):
        schema(exclude_genres=["Cooking"])
    enum = schema.model_json_schema()["properties"]["genres"]["items"]["enum"]
    assert enum == list(GENRES)
    assert set(FRAME_FIELDS) == set(schema.model_fields)


def test_refinement_carries_unset_slots_and_replaces_set_ones():
    older = RequestFrame(refine=True, year_max=shift_years(SCI_FI_90S, "older", 1998)[1])
    merged = merge_frames(SCI_FI_90S, older)
    assert (merged.genres, merged.year_min, merged.year_max) == (["Sci-Fi"], None, 1989)
    comedy = merge_frames(SCI_FI_90S, RequestFrame(genres=["Comedy"], refine=True))
    assert comedy.genres == ["Comedy"] and comedy.year_min == 1990
    fresh = RequestFrame(genres=["Horror"])
    assert merge_frames(SCI_FI_90S, fresh) == fresh


def test_shift_years_without_previous_years_uses_old_and_recent_rules():
    assert shift_years(None, "older", 1998) == (None, 1969)
    assert shift_years(RequestFrame(), "newer", 1998) == (1996, None)
    assert shift_years(RequestFrame(year_max=1969), "newer", 1998) == (1970, None)


def test_scorer_grades_sets_years_and_query_presence():
    expected = [RequestFrame(genres=["Comedy", "Sci-Fi"], similar_to=["The Godfather"],
                             query="space"),
                RequestFrame(year_min=1990)]
    predicted = [RequestFrame(genres=["Sci-Fi", "Comedy"], similar_to=["Godfather, The"],
                              query="outer space"),
                 RequestFrame(year_min=1991)]
    score = score_frames(predicted, expected)
    assert score.all_slots == 0.5
    assert score.per_slot["year_min"] == 0.5 and score.per_slot["genres"] == 1.0
    assert score.failures == [(1, ["year_min"])]
    with pytest.raises(ValueError, match="one prediction per labeled example"):
        score_frames(predicted[:1], expected)


def test_dev_set_and_demos_are_valid_and_disjoint():
    dev = load_labeled("dev")
    assert len(dev) >= 150 and len({e.id for e in dev}) == len(dev)
    assert sum(e.previous is not None for e in dev) >= 20
    assert {e.expected.intent for e in dev} == {"recommend", "info", "chat"}
    text = resources.files("convrec.agent").joinpath("data/demos.jsonl").read_text("utf-8")
    demos = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert len(demos) >= 40
    for demo in demos:
        RequestFrame.model_validate(demo["frame"])
    assert not {d["message"].lower() for d in demos} & {e.message.lower() for e in dev}

"""Which planner columns a benchmark runs: extractor, model alone, combined, any --llm."""

from __future__ import annotations

import pytest

from convrec.eval.variants import choose, summary_table


def names(columns) -> list[str]:
    return [c.name for c in columns]


def test_the_default_is_the_three_built_in_columns():
    assert names(choose(None, None)) == ["extractor", "model", "combined"]
    model = choose(["model"], None)[0]
    assert model.agent_options() == {"llm": "embedded", "planner_guard": False}
    assert choose(["combined"], None)[0].agent_options() == {"llm": "embedded",
                                                             "planner_guard": True}


def test_an_llm_adds_its_own_column_unless_it_is_a_built_in_one():
    assert names(choose(None, "openai:qwen")) == ["extractor", "model", "combined",
                                                  "openai:qwen"]
    assert choose([], "openai:qwen")[0].agent_options() == {"llm": "openai:qwen"}
    assert names(choose([], "deterministic")) == ["extractor"]
    assert names(choose(None, "embedded")) == ["extractor", "model", "combined"]


def test_an_unknown_column_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="unknown planner column.*extractor, model, combined"):
        choose(["modle"], None)


def test_the_summary_has_a_row_per_set_and_a_dash_where_a_column_did_not_run():
    columns = choose(None, None)
    text = summary_table("== t", {"dev": {"extractor": "90.0%", "combined": "91.0%"}},
                         columns)
    lines = text.splitlines()
    assert lines[1].split() == ["set", "extractor", "model", "alone", "combined"]
    assert lines[2].split() == ["dev", "90.0%", "-", "91.0%"]


def test_a_planner_set_in_todays_convention_is_graded_as_is(tmp_path):
    from convrec.agent.frame import RequestFrame
    from convrec.eval.planner_bench import load_labeled, run_bench, set_name

    path = tmp_path / "mine.jsonl"
    path.write_text('{"id": "m-1", "message": "I hated Titanic", "previous": null, '
                    '"expected": {"intent": "feedback", "disliked": ["Titanic"]}}\n')
    examples = load_labeled(str(path))
    feedback = RequestFrame(intent="feedback", disliked=["Titanic"])
    assert set_name(str(path)) == "mine"
    assert run_bench(lambda m, p: feedback, examples, "mine").score.all_slots == 1.0
    # the sets that predate the dialogue acts grade it as a request excluding Titanic
    assert run_bench(lambda m, p: feedback, examples, "dev").score.all_slots == 0.0

"""The tuned planner: its training corpus, the shipped adapter, and a short training run."""

from __future__ import annotations

import random

import pytest

from convrec.agent.assemble import build_agent
from convrec.agent.compiler import CompileContext, compile_plan, ground
from convrec.agent.executor import Execution, execute
from convrec.agent.frame import RequestFrame, frame_schema
from convrec.agent.llm.registry import get_chat_model
from convrec.agent.planner import DemonstrationPlanner, DraftCheckingPlanner, PlanRequest
from convrec.agent.tuning.build import build_corpus, drop_collisions, generate_corpus, writer_for
from convrec.agent.tuning.corpus import CorpusExample


@pytest.fixture(scope="module")
def deterministic(home, tmp_path_factory):
    return build_agent(home, llm="deterministic",
                       profiles_path=tmp_path_factory.mktemp("tuning") / "profiles.sqlite")


@pytest.fixture(scope="module")
def corpus(catalog) -> list[CorpusExample]:
    return generate_corpus(writer_for(catalog, seed=3), 400)


def test_corpus_frames_follow_the_catalog_schema_and_messages_are_distinct(corpus, catalog):
    schema = frame_schema(catalog.genres)
    for example in corpus:
        schema.model_validate(example.frame.model_dump())
        if example.previous is not None:
            schema.model_validate(example.previous.model_dump())
    keys = [(e.message.lower(), e.previous) for e in corpus]
    assert len({(m, p.model_dump_json() if p else "") for m, p in keys}) == len(corpus)
    kinds = {e.kind for e in corpus}
    assert {"recommend", "refine", "info", "chat"} <= kinds


def test_corpus_is_the_same_for_the_same_seed(catalog):
    first = generate_corpus(writer_for(catalog, seed=5), 50)
    again = generate_corpus(writer_for(catalog, seed=5), 50)
    assert [(e.message, e.frame) for e in first] == [(e.message, e.frame) for e in again]


@pytest.mark.slow
def test_gold_frames_execute_on_the_real_catalog(corpus, deterministic):
    parts = deterministic.parts
    context = CompileContext(has_history=False, bands=parts.bands)
    for example in random.Random(0).sample(corpus, 60):
        grounded = ground(example.frame, parts.match_title)
        plan = compile_plan(grounded, context)
        events = list(execute(parts.toolkit, plan, parts.toolkit.new_bus([]), 0))
        execution = events[-1]
        assert isinstance(execution, Execution)
        # a combination the catalog does not hold is a filter with no match, never a bad call
        bad = [e for e in execution.errors if "no candidate satisfies" not in e]
        assert bad == [], (example.message, bad)
        assert execution.errors or len(execution.bus) > 0 or example.frame.intent != "recommend"


def test_gold_titles_ground_to_catalog_items(corpus, deterministic):
    titles = [t for e in corpus for t in (*e.frame.similar_to, *e.frame.about)]
    matched = [t for t in titles if deterministic.parts.match_title(t)[0] is not None]
    assert len(titles) > 50 and len(matched) / len(titles) > 0.9


def test_collisions_with_labeled_requests_are_dropped():
    examples = [CorpusExample(m, None, RequestFrame()) for m in
                ("Horror films before 1970!", "any good horror films before 1970 please",
                 "a documentary about whales")]
    kept, exact, near = drop_collisions(examples, ["horror films before 1970"])
    assert [e.message for e in kept] == ["a documentary about whales"]
    assert (exact, near) == (1, 1)


def test_build_corpus_reports_its_counts(catalog):
    kept, counts = build_corpus(catalog, 120, 1, ["horror movies", "hi"])
    assert counts["kept"] == len(kept) == counts["generated"] - counts["dropped_exact"] \
        - counts["dropped_near"]


@pytest.fixture(scope="module")
def tuned(home, tmp_path_factory):
    return build_agent(home, llm="embedded",
                       profiles_path=tmp_path_factory.mktemp("tuned") / "profiles.sqlite")


def _plan(agent, message: str) -> RequestFrame:
    frame = agent.parts.planner.plan(PlanRequest(message, agent.parts.read(message)))
    return ground(frame, agent.parts.match_title).frame


@pytest.mark.slow
def test_shipped_adapter_is_the_default_and_plans_without_demonstrations(tuned):
    planner = tuned.parts.planner
    assert isinstance(planner, DraftCheckingPlanner)
    assert planner.llm.adapter is not None
    # the general embedded chat model stays untuned (the tuned one only writes frames)
    assert get_chat_model("embedded").adapter is None


@pytest.mark.slow
def test_no_adapter_plans_with_the_untuned_model_and_demonstrations(home, tmp_path):
    agent = build_agent(home, llm="embedded", planner_adapter="none",
                        profiles_path=tmp_path / "profiles.sqlite")
    planner = agent.parts.planner
    assert isinstance(planner, DemonstrationPlanner) and planner.picker is not None
    assert planner.llm.adapter is None


@pytest.mark.slow
def test_tuned_planner_reads_horror_before_1970(tuned):
    frame = _plan(tuned, "horror films before 1970")
    assert frame.genres == ["Horror"] and frame.year_max == 1969 and frame.year_min is None


@pytest.mark.slow
def test_tuned_planner_reads_similar_but_not_animated(tuned):
    frame = _plan(tuned, "something like Toy Story but not animated")
    assert frame.similar_to == ["Toy Story"] and frame.exclude_genres == ["Animation"]
    assert "Animation" not in frame.genres


@pytest.mark.slow
def test_a_few_training_steps_lower_the_loss(home, catalog, tmp_path):
    torch = pytest.importorskip("torch")
    from convrec.agent.llm.embedded import embedded_model_dir
    from convrec.agent.tuning.train import (
        TuningConfig,
        batch_loss,
        encode,
        load_base,
        with_lora,
    )

    torch.manual_seed(0)
    torch.set_num_threads(1)
    model, tokenizer = load_base(embedded_model_dir(home))
    model = with_lora(model, TuningConfig(rank=8, alpha=16, first_layer=20))
    rows = [encode(tokenizer, e) for e in generate_corpus(writer_for(catalog, seed=9), 8)]
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=3e-3)
    with torch.no_grad():
        before = batch_loss(model, rows, 0, bf16=True).item()
    for _ in range(6):
        loss = batch_loss(model, rows, 0, bf16=True)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    with torch.no_grad():
        after = batch_loss(model, rows, 0, bf16=True).item()
    assert after < 0.7 * before, (before, after)

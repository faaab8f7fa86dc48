"""Builds a `RecAgent` from a fetched dataset and an LLM spec."""

from __future__ import annotations

import logging
from pathlib import Path

from convrec.agent.core import RecAgent
from convrec.agent.llm.adapter import dataset_adapter
from convrec.agent.llm.embedded import llm_cache_dir
from convrec.agent.llm.registry import default_home, get_chat_model, token_counter
from convrec.agent.nlu.extractor import SlotExtractor
from convrec.agent.parts import AgentParts, catalog_facts, popularity_bands, title_matcher
from convrec.agent.planner import (
    DemonstrationPlanner,
    DemoPicker,
    DraftCheckingPlanner,
    ExtractorPlanner,
    load_demos,
)
from convrec.agent.responder import Responder
from convrec.memory.store import Store, open_store
from convrec.tools import names
from convrec.tools.toolkit import Toolkit

log = logging.getLogger(__name__)

DETERMINISTIC = "deterministic"
EMBEDDED = "embedded"
# The rankers an agent uses are trained when the agent is first built on a cache that has
# none (about 45 s for SASRec on 2 cores, 1 s for ALS), so a fresh install ranks with them.
TRAINED_ON_FIRST_USE = ("als", "sasrec")


def build_agent(home: Path | str | None = None, llm: str = "embedded",
                dataset: str = "movielens-100k", *, max_replans: int = 2,
                demos: int = 3, llm_reply: bool | None = None, deadline_seconds: float = 30.0,
                chroma_host: str | None = None, chroma_port: int = 8000,
                profiles_path: Path | str | None = None, planner_adapter: str = "default",
                planner_guard: bool = True,
                store: Store | Path | str | None = None, **llm_options) -> RecAgent:
    """Assemble the agent. `llm="deterministic"` plans with the slot extractor alone.

    demos: how many demonstrations the LLM planner sees (picked by similarity);
    planner_adapter: with `llm="embedded"`, the planner runs the model merged with this LoRA
    adapter ("default": the dataset's own, trained by `convrec train --model planner
    --dataset NAME` into the LLM cache, else the one shipped in
    convrec.agent/data/planner_adapter; or a folder)
    from its own short prompt with no demonstrations; "none" plans with the untuned model and
    `demos` demonstrations. Only the planner gets the adapter: the tuned model writes frames
    and nothing else, so an LLM-written reply uses the untuned model;
    planner_guard: with the tuned planner, keep the slot extractor's draft where the model is
    not to be trusted (the default); False takes the model's frame as it is (the model alone);
    llm_reply: let the LLM write the reply's one-sentence intro (else a template). Off by
    default for the embedded 135M model, whose sentences often named films that were not
    in the results (the guard then discards them) and read poorly.
    """
    if llm_reply is None:
        llm_reply = llm not in (DETERMINISTIC, "embedded")
    home = Path(home).expanduser() if home is not None else default_home()
    toolkit = Toolkit.from_home(home, dataset, chroma_host=chroma_host, chroma_port=chroma_port,
                                train_missing=TRAINED_ON_FIRST_USE)
    for name in TRAINED_ON_FIRST_USE:  # load (or train, once) now rather than mid-turn
        toolkit.models.get(name)
    toolkit.setup([names.LOOKUP_ITEMS])  # the title index, built now rather than mid-turn
    extractor = SlotExtractor(toolkit.catalog)
    fallback = ExtractorPlanner()
    tuned = llm == EMBEDDED and planner_adapter.lower() != "none"
    planner_adapter = dataset_adapter(llm_cache_dir(home), dataset, planner_adapter)
    chat_model = None if llm == DETERMINISTIC or (tuned and not llm_reply) else \
        get_chat_model(llm, **llm_options)
    planner = None
    if llm != DETERMINISTIC:
        if tuned:
            planner = DraftCheckingPlanner(
                get_chat_model(llm, adapter=planner_adapter, **llm_options),
                toolkit.catalog.genres, guard=planner_guard)
        else:
            picker = DemoPicker(load_demos(), toolkit.embedder.encode) if demos > 0 else None
            planner = DemonstrationPlanner(chat_model, toolkit.catalog.genres, picker, k=demos,
                                           info=toolkit.catalog.info,
                                           counter=token_counter(chat_model))
    facts = catalog_facts(toolkit)
    responder = Responder(chat_model if llm_reply else None, extractor.titles_in, facts.nouns)
    parts = AgentParts(toolkit, extractor, planner, fallback, responder,
                       title_matcher(toolkit), popularity_bands(toolkit.arrays.popularity),
                       facts, max_replans=max_replans)
    store = open_store(store or profiles_path or home / "profiles.sqlite")  # file or URL
    return RecAgent(parts, store, llm_name=llm, deadline_seconds=deadline_seconds)

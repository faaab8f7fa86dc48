"""Builds a `RecAgent` from a fetched dataset and an LLM spec."""

from __future__ import annotations

import logging
from pathlib import Path

from convrec.agent.core import RecAgent
from convrec.agent.extractor import SlotExtractor
from convrec.agent.llm import default_home, get_chat_model
from convrec.agent.parts import AgentParts, popularity_bands, title_matcher
from convrec.agent.planner import DemoPicker, ExtractorPlanner, LLMPlanner, load_demos
from convrec.agent.responder import Responder
from convrec.memory.profile import ProfileStore
from convrec.tools.toolkit import Toolkit

log = logging.getLogger(__name__)

DETERMINISTIC = "deterministic"
# The rankers an agent uses are trained when the agent is first built on a cache that has
# none (about 30 s for SASRec on 2 cores, 1 s for ALS), so a fresh install ranks with them.
TRAINED_ON_FIRST_USE = ("als", "sasrec")


def build_agent(home: Path | str | None = None, llm: str = "embedded",
                dataset: str = "movielens-100k", *, max_replans: int = 2,
                demos: int = 3, llm_reply: bool | None = None, deadline_seconds: float = 30.0,
                chroma_host: str | None = None, chroma_port: int = 8000,
                profiles_path: Path | str | None = None, **llm_options) -> RecAgent:
    """Assemble the agent. `llm="deterministic"` plans with the slot extractor alone.

    demos: how many demonstrations the LLM planner sees (picked by similarity; none when
    the embedded model carries the tuned planner adapter, which plans from its own short
    prompt; `adapter="none"` gives the untuned model with demonstrations);
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
    extractor = SlotExtractor(toolkit.catalog)
    fallback = ExtractorPlanner(extractor.extract)
    chat_model = None if llm == DETERMINISTIC else get_chat_model(llm, **llm_options)
    planner = None
    if chat_model is not None:
        picker = DemoPicker(load_demos(), toolkit.embedder.encode) if demos > 0 else None
        tuned = getattr(chat_model, "adapter", None) is not None
        planner = LLMPlanner(chat_model, toolkit.catalog.genres, None if tuned else picker,
                             k=demos, style="tuned" if tuned else "demos")
    responder = Responder(chat_model if llm_reply else None,
                          lambda text: [m.title for m in extractor.index.find(text)])
    parts = AgentParts(toolkit, extractor, planner, fallback, responder,
                       title_matcher(toolkit), popularity_bands(toolkit.arrays.popularity),
                       max_replans=max_replans)
    profiles = ProfileStore(Path(profiles_path) if profiles_path else home / "profiles.sqlite")
    return RecAgent(parts, profiles, llm_name=llm, deadline_seconds=deadline_seconds)

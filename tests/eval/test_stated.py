"""The stated-history protocol: the user names its recent titles, the agent gets no past."""

from __future__ import annotations

import pytest

from convrec.agent.trace import RecommendedItem, Reply, Trace
from convrec.eval.methods import AgentMethod
from convrec.eval.metrics import all_metrics
from convrec.eval.phrasing import spoken_title
from convrec.eval.report import side_by_side
from convrec.eval.runner import EvalConfig, run_session
from convrec.eval.simulator import StatedUser, UserFacts, build_facts, rank_liked, recent_items

GODFATHER, GODFATHER_2, DIE_HARD, TOY_STORY, STAR_WARS, GOODFELLAS, FARGO = \
    126, 186, 143, 0, 49, 181, 99


class StandInAgent:
    """Replies with fixed item lists in order; remembers every call it got."""

    def __init__(self, replies: list[list[int]]):
        self.replies = replies
        self.calls: list[tuple] = []

    def chat(self, message: str, session_id: str = "default", n: int = 5) -> Reply:
        turn = sum(1 for c in self.calls if c[0] == "chat")
        self.calls.append(("chat", session_id, message))
        ids = self.replies[min(turn, len(self.replies) - 1)][:n]
        items = tuple(RecommendedItem(i, f"Movie {i}", 1990, ("Drama",), 1.0) for i in ids)
        return Reply("here you go", items, Trace([]))

    def feedback(self, session_id: str, item_id: int, kind: str) -> None:
        self.calls.append(("feedback", session_id, item_id, kind))

    def reset(self, session_id: str) -> None:
        self.calls.append(("reset", session_id))

    def set_history(self, session_id: str, item_ids) -> None:
        self.calls.append(("history", session_id, tuple(item_ids)))


@pytest.fixture()
def fan(catalog) -> UserFacts:
    history = (FARGO, TOY_STORY, GODFATHER_2, DIE_HARD, STAR_WARS, GOODFELLAS)
    target = catalog.item(GODFATHER)
    return UserFacts(7, target, history, rank_liked(catalog, target, list(history)),
                     recent_items(catalog, target, history))


def test_the_opening_names_the_five_most_recent_titles_in_order_never_the_target(fan):
    user = StatedUser(fan, 0)
    message = user.opening().message
    # The Godfather: Part II would name the target, so it is left out
    assert user.stated_ids == (FARGO, TOY_STORY, DIE_HARD, STAR_WARS, GOODFELLAS)
    spoken = [spoken_title(item) for item in fan.recent]
    positions = [message.index(title) for title in spoken]
    assert positions == sorted(positions)
    assert "Godfather" not in message
    assert any(word in message.lower() for word in ("crime", "drama"))  # then it asks


def test_a_stated_session_gives_the_agent_no_past_and_is_recorded_apart(fan):
    agent = StandInAgent([[1, 2, 3], [GODFATHER]])
    record = run_session(AgentMethod("agent-x", agent), StatedUser(fan, 0), EvalConfig(),
                         "stated")
    assert [c[0] for c in agent.calls][:2] == ["reset", "chat"]  # no set_history
    assert "Fargo" in agent.calls[1][2]
    assert record["method"] == "agent-x:stated" and record["history"] == "stated"
    assert record["stated"] == [FARGO, TOY_STORY, DIE_HARD, STAR_WARS, GOODFELLAS]
    assert record["success_turn"] == 2


class Baseline:
    """A recommender that cannot read: records the history it is started with."""

    name = "pop"
    reads_messages = False

    def __init__(self) -> None:
        self.started: list[tuple] = []

    def start(self, session_id, history) -> None:
        self.started.append(tuple(history))

    def respond(self, session_id, message, n):
        from convrec.eval.methods import Shown

        return Shown((), ())

    def feedback(self, session_id, item_id, kind) -> None: ...

    def finish(self, session_id) -> None: ...


def test_a_baseline_gets_the_stated_titles_as_its_history(fan):
    baseline = Baseline()
    run_session(baseline, StatedUser(fan, 0), EvalConfig(max_turns=1), "stated")
    run_session(baseline, StatedUser(fan, 0), EvalConfig(max_turns=1), "given")
    assert baseline.started == [(FARGO, TOY_STORY, DIE_HARD, STAR_WARS, GOODFELLAS), fan.history]


def test_the_validation_protocol_targets_the_valid_item_with_train_as_the_past(split, catalog):
    user = int(split.valid["user_id"].iloc[0])
    facts = build_facts(split, catalog, user, "valid")
    valid_item = int(split.valid.loc[split.valid["user_id"] == user, "item_id"].iloc[0])
    train = split.train[split.train["user_id"] == user]
    assert facts.target.id == valid_item and valid_item not in facts.history
    assert len(facts.history) == len(train)
    assert {i.id for i in facts.recent} <= set(facts.history[-15:])
    with pytest.raises(ValueError, match="part"):
        build_facts(split, catalog, user, "train")


def test_unknown_history_modes_are_refused():
    with pytest.raises(ValueError, match="--history"):
        EvalConfig(histories=("told",))


def test_the_report_puts_both_modes_side_by_side():
    def session(method, user, success):
        turns = [{"hit": t == success, "seconds": 0.1, "replans": 0, "fell_back": False,
                  "error": None} for t in range(1, (success or 5) + 1)]
        return {"method": method, "user": user, "success_turn": success, "turns": turns}

    records = [session("agent", 1, 1), session("agent", 2, 2),
               session("agent:stated", 1, 3), session("agent:stated", 2, None)]
    table = side_by_side(all_metrics(records, ["agent", "agent:stated"], 5))
    assert table.splitlines()[0].startswith("| method | Hit@1 given |")
    assert "| agent | 0.500 | 1.000 | 1.000 | 1.50 | 0.000 | 0.500 | 0.500 | 4.50 |" in table

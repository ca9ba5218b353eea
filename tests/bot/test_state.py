"""The conversation state: frozen and typed, stored in the JSON format conversations already have."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.advisor import Facts
from bot.state import AdvisorProgress, ConversationState, FlowProgress, Status

pytestmark = pytest.mark.unit

# A state as stored by the assistant before the state was typed (a German chat advisor turn).
STORED = json.loads(
    """{"advisor": {"asked": 1, "slot": "hosting"}, "facts": {"budget": null, "fine_tuning_needed": null,
    "hosting": null, "languages": ["de"], "latency_hard": false, "max_latency_ms": null, "max_price": null,
    "mentioned": [], "min_context_tokens": null, "priorities": [], "privacy": null, "region": null, "settled": [],
    "task": "chat", "volume": null, "volume_period": null}, "fallbacks": 0, "flow": null,
    "last_intent": "model_selection", "last_models": ["mer-chat-m"], "last_topic": null, "offered_person": null,
    "recent": ["which model should I use for a customer chat bot in German",
    "how much does Chat Medium cost per million tokens?"], "status": "bot", "ticket": null, "tried": []}"""
)
UNRESOLVED = {
    "status": "handoff", "fallbacks": 1, "last_topic": "error-429-too-many-requests", "last_intent": "error_rate_limit",
    "last_models": [], "flow": {"id": "rate-limit", "step": "unresolved", "path": ["read-code", "check-key"]},
    "advisor": None, "facts": None, "offered_person": None, "tried": ["rate-limit: read-code > check-key > unresolved"],
    "recent": ["429 again"], "ticket": "SB-0A1B2C",
}  # fmt: skip


def test_a_stored_state_loads_typed() -> None:
    state = ConversationState.from_json(STORED)

    assert state.advisor == AdvisorProgress("hosting", 1)
    assert state.facts == Facts(task="chat", languages=frozenset({"de"}))
    assert state.last_models == ("mer-chat-m",) and state.status is Status.BOT
    assert ConversationState.from_json(UNRESOLVED).flow == FlowProgress(
        "rate-limit", "unresolved", ("read-code", "check-key")
    )


@pytest.mark.parametrize("stored", [STORED, UNRESOLVED])
def test_a_stored_state_is_written_back_unchanged(stored: dict[str, object]) -> None:
    # A state stored before conversations had a language was an English one.
    assert ConversationState.from_json(stored).to_json() == {**stored, "language": "en"}


def test_the_conversation_language_is_remembered() -> None:
    state = ConversationState(language="zh")
    assert ConversationState.from_json(state.to_json()).language == "zh"


def test_a_new_conversation_and_unknown_keys() -> None:
    assert ConversationState.from_json(None) == ConversationState()
    assert ConversationState.from_json({"fallbacks": 2, "from_a_later_version": 1}).fallbacks == 2


def test_a_state_is_frozen_and_changes_make_a_new_one() -> None:
    state = ConversationState()
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.fallbacks = 1  # type: ignore[misc]

    later = dataclasses.replace(state, fallbacks=1, flow=FlowProgress("rate-limit", "read-code"))

    assert state.fallbacks == 0 and later.flow is not None and later.flow.running
    assert not FlowProgress("rate-limit", "unresolved").running

"""The clarify handler: two likely topics, asked about by their customer-facing labels."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.config import Settings
from bot.types import Route
from knowledge import PACKAGE_DIR
from knowledge.intents import load_intents
from tests.bot.turns import parts, prediction, turn

pytestmark = pytest.mark.unit

ROUTES = {
    "error_rate_limit": "troubleshoot",
    "human_handoff": "handoff",
    "refund_status": "answer",
    "cancel_plan": "handoff",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        embedder="fake",
        intent_threshold=0.5,
        intent_answer_threshold=0.3,
        answer_threshold=0.6,
        clarify_margin=0.1,
    )


@pytest.fixture(scope="module")
def topics() -> Mapping[str, str]:
    """The shipped intents' labels (their ``label:`` in knowledge/intents.yaml)."""
    return load_intents(PACKAGE_DIR / "intents.yaml").topics


def test_clarifying_question_offers_both_topics_as_quick_replies(settings: Settings, topics: Mapping[str, str]) -> None:
    p = prediction("error_rate_limit", 0.52, "human_handoff", 0.45)

    decision, outcome = turn("429 errors again, sigh", parts(settings, ROUTES, topics), p=p)

    reply = outcome.reply
    assert decision.route is Route.CLARIFY
    assert reply.route is Route.CLARIFY
    assert reply.quick_replies == ("A 429 rate limit error", "I want to talk to a person", "Something else")
    assert "a 429 rate limit error" in reply.reply and "i want to talk to a person" in reply.reply
    assert reply.intent == "error_rate_limit" and reply.conversation_id == "c1"


def test_clarifying_question_names_unknown_intents_readably(settings: Settings, topics: Mapping[str, str]) -> None:
    p = prediction("refund_status", 0.5, "cancel_plan", 0.45)

    _, outcome = turn("x", parts(settings, ROUTES, topics), p=p)

    assert outcome.reply.quick_replies == ("Refund status", "Cancel plan", "Something else")
    assert (
        outcome.reply.reply
        == "Just to be sure I help with the right thing: do you mean “refund status” or “cancel plan”?"
    )

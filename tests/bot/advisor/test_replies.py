"""The advisor inside a conversation: replies, remembered facts and follow-ups (shipped catalog)."""

from __future__ import annotations

import pytest

from bot.advisor import advice_reply, advise, extract_facts, model_fact_reply, model_in_question, which_one_reply
from bot.types import Route
from knowledge import PACKAGE_DIR
from knowledge.catalog import load_catalog
from knowledge.copy import Copy
from tests.bot.advisor.helpers import WEIGHTS

pytestmark = pytest.mark.unit

CATALOG = tuple(load_catalog(PACKAGE_DIR / "catalog.yaml"))


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_a_reply_with_any_number_of_recommendations(copy: Copy, limit: int) -> None:
    facts = extract_facts("an english chatbot in your cloud", models=CATALOG)
    reply = advice_reply(
        "c1", CATALOG[:limit] if limit == 1 else CATALOG, facts, "model_selection", weights=WEIGHTS, copy=copy
    )

    assert reply.route is Route.ADVISE
    assert all(r["reasons"] for r in reply.recommendations)
    assert "Pricing" in reply.quick_replies


def test_a_single_fitting_model_is_recommended_without_a_comparison_offer(copy: Copy) -> None:
    only = tuple(m for m in CATALOG if m.id == "mer-classify-base")
    facts = extract_facts("classify german tickets on-prem", models=only)

    reply = advice_reply("c1", only, facts, "model_selection", weights=WEIGHTS, copy=copy)

    assert [r["model_id"] for r in reply.recommendations] == ["mer-classify-base"]
    assert not any(q.startswith("Compare") for q in reply.quick_replies)


def test_missing_facts_are_asked_then_remembered(copy: Copy) -> None:
    reply, facts, pending = advise(
        "c1", "which model should i use", CATALOG, None, 0, None, "model_selection", weights=WEIGHTS, copy=copy
    )
    assert pending == {"slot": "task", "asked": 1} and reply.quick_replies

    reply, facts, pending = advise(
        "c1", "Classify text", CATALOG, facts, 1, "task", "model_selection", weights=WEIGHTS, copy=copy
    )

    assert facts["task"] == "classification"
    assert pending is None or pending["asked"] == 2


def test_two_named_models_are_compared(copy: Copy) -> None:
    reply, _, pending = advise(
        "c1", "chat medium vs chat large", CATALOG, None, 0, None, "model_comparison", weights=WEIGHTS, copy=copy
    )

    assert pending is None
    assert {r["model_id"] for r in reply.recommendations} == {"mer-chat-m", "mer-chat-l"}
    assert "Meridian Chat Medium" in reply.reply and "Meridian Chat Large" in reply.reply


def test_a_follow_up_about_the_recommended_model_is_answered_from_the_catalog(copy: Copy) -> None:
    model = model_in_question("how much is that one?", CATALOG, ["mer-chat-m", "mer-chat-l"])
    assert model is not None and model.id == "mer-chat-m"
    second = model_in_question("and the second one, how fast is it?", CATALOG, ["mer-chat-m", "mer-chat-l"])
    assert second is not None and second.id == "mer-chat-l"

    reply = model_fact_reply("c1", "how much is that one?", model, None, copy=copy)

    assert reply is not None and "$2.00 per 1M output tokens" in reply.reply
    assert [r["model_id"] for r in reply.recommendations] == ["mer-chat-m"]
    assert model_fact_reply("c1", "ok thanks", model, None, copy=copy) is None
    assert model_in_question("how much is that one?", CATALOG, []) is None


def test_which_one_is_cheaper_picks_among_the_models_just_shown(copy: Copy) -> None:
    reply = which_one_reply("c1", "which one is cheaper?", CATALOG, ["mer-chat-l", "mer-chat-m"], None, copy=copy)
    faster = which_one_reply("c1", "which is faster", CATALOG, ["mer-chat-l", "mer-chat-m"], None, copy=copy)

    assert reply is not None and reply.reply.startswith("**Meridian Chat Medium** is cheaper")
    assert faster is not None and [r["model_id"] for r in faster.recommendations] == ["mer-chat-m"]
    assert which_one_reply("c1", "which one is cheaper?", CATALOG, ["mer-chat-m"], None, copy=copy) is None
    # Prices in different units are not compared as if they were one.
    mixed = which_one_reply("c1", "which one is cheaper?", CATALOG, ["mer-chat-m", "mer-speech"], None, copy=copy)
    assert mixed is not None and "different units" in mixed.reply

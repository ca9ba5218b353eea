"""Routing with the intent classifier's reading: trusted intents, clarifying questions, fallbacks.

Predictions and hits are built directly, so each test states the probabilities and the
retrieval cosine it routes on. The thresholds are set explicitly, apart from each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.intents.types import Prediction
from bot.routing import reading
from bot.types import Decision, Route
from index.types import Chunk, Hit
from tests.bot.turns import prediction, understood

pytestmark = pytest.mark.unit

INTENT_THRESHOLD = 0.5
INTENT_ANSWER = 0.3
ANSWER = 0.6
MARGIN = 0.1

ROUTES = {
    "error_rate_limit": "troubleshoot",
    "human_handoff": "handoff",
    "complaint": "handoff",
    "pricing_billing": "answer",
    "account_keys": "answer",
    "model_selection": "advise",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        embedder="fake",
        intent_threshold=INTENT_THRESHOLD,
        intent_answer_threshold=INTENT_ANSWER,
        answer_threshold=ANSWER,
        clarify_margin=MARGIN,
    )


def hit(dense: float, doc_id: str = "rate-limits") -> Hit:
    chunk = Chunk(doc_id=doc_id, heading="Handling 429 responses", anchor="handling-429-responses", text="Wait.")
    return Hit(
        doc_id=doc_id, title=doc_id.title(), url=f"/kb/{doc_id}", score=dense, dense=dense, sparse=0.0, chunk=chunk
    )


def decide(
    text: str, hits: list[Hit], settings: Settings, p: Prediction | None, routes: Mapping[str, str] | None
) -> Decision:
    """The route the message's own reading gives (``routing.reading``)."""
    return reading(understood(text, hits, p), settings, {k: Route(v) for k, v in (routes or {}).items()})


def test_an_explicit_request_for_a_person_hands_off_without_any_hit(settings: Settings) -> None:
    p = prediction("pricing_billing", 0.92, "human_handoff", 0.05)

    d = decide("I need a real person now", [], settings, p, ROUTES)

    assert (d.route, d.intent, d.reason, d.confidence) == (Route.HANDOFF, "human_handoff", "asked", 1.0)


@pytest.mark.parametrize(
    ("dense", "route"),
    [
        (ANSWER - 0.05, Route.TROUBLESHOOT),  # below what retrieval alone needs, enough with the intent
        (INTENT_ANSWER, Route.TROUBLESHOOT),
        (INTENT_ANSWER - 0.01, Route.FALLBACK),
        (0.05, Route.FALLBACK),
    ],
)
def test_troubleshoot_intent_needs_retrieval_above_the_intent_answer_threshold(
    settings: Settings, dense: float, route: Route
) -> None:
    p = prediction("error_rate_limit", 0.8, "account_keys", 0.1)

    d = decide("my calls keep failing with 429", [hit(dense)], settings, p, ROUTES)

    assert d.route is route
    assert d.intent == "error_rate_limit"  # kept also on fallback, for the reply and the logs
    assert d.confidence == pytest.approx(dense)


def test_grounded_intent_without_hits_falls_back(settings: Settings) -> None:
    p = prediction("error_rate_limit", 0.95)

    assert decide("429 again", [], settings, p, ROUTES).route is Route.FALLBACK


def test_advise_intent_is_grounded_like_an_answer(settings: Settings) -> None:
    p = prediction("model_selection", 0.9, "pricing_billing", 0.05)

    assert decide("which model for chat", [hit(0.4, "choosing")], settings, p, ROUTES).route is Route.ADVISE
    assert decide("which model for chat", [hit(0.1, "choosing")], settings, p, ROUTES).route is Route.FALLBACK


@pytest.mark.parametrize(
    ("dense", "route"),
    [(ANSWER + 0.05, Route.ANSWER), (ANSWER, Route.ANSWER), (ANSWER - 0.01, Route.FALLBACK), (0.4, Route.FALLBACK)],
)
def test_low_confidence_prediction_answers_only_when_retrieval_alone_is_sure(
    settings: Settings, dense: float, route: Route
) -> None:
    p = prediction("human_handoff", INTENT_THRESHOLD - 0.01, "error_rate_limit", 0.3)

    d = decide("something vague", [hit(dense)], settings, p, ROUTES)

    assert d.route is route
    assert d.intent is None  # a doubtful intent is not acted on, not even a handoff
    assert d.confidence == pytest.approx(dense)


@pytest.mark.parametrize(("dense", "route"), [(0.75, Route.ANSWER), (0.4, Route.FALLBACK), (None, Route.FALLBACK)])
def test_without_a_classifier_retrieval_alone_decides(settings: Settings, dense: float | None, route: Route) -> None:
    hits = [] if dense is None else [hit(dense)]

    d = decide("how do I raise my limit", hits, settings, None, None)

    assert (d.route, d.intent) == (route, None)
    assert d.confidence == pytest.approx(dense or 0.0)


def test_two_intents_of_different_routes_within_the_margin_ask_which_is_meant(settings: Settings) -> None:
    p = prediction("error_rate_limit", 0.52, "human_handoff", 0.45)

    d = decide("429 errors again, sigh", [hit(0.5)], settings, p, ROUTES)

    assert d.route is Route.CLARIFY
    assert (d.intent, d.runner_up) == ("error_rate_limit", "human_handoff")


def test_retrieval_sure_on_its_own_answers_instead_of_asking(settings: Settings) -> None:
    p = prediction("error_rate_limit", 0.52, "human_handoff", 0.45)

    d = decide("429 errors again, sigh", [hit(0.9)], settings, p, ROUTES)

    assert d.route is Route.TROUBLESHOOT


def test_two_intents_of_the_same_route_within_the_margin_do_not_clarify(settings: Settings) -> None:
    p = prediction("pricing_billing", 0.5, "account_keys", 0.48)

    d = decide("billing key", [hit(0.4)], settings, p, ROUTES)

    assert d.route is Route.ANSWER
    assert d.intent == "pricing_billing"


def test_intents_of_different_routes_apart_by_more_than_the_margin_do_not_clarify(settings: Settings) -> None:
    p = prediction("human_handoff", 0.7, "error_rate_limit", 0.25)

    assert decide("a person please", [hit(0.9)], settings, p, ROUTES).route is Route.HANDOFF


def test_the_margin_comes_from_settings(settings: Settings) -> None:
    p = prediction("human_handoff", 0.6, "error_rate_limit", 0.35)  # margin 0.25

    assert decide("a person please", [], settings, p, ROUTES).route is Route.HANDOFF
    wide = settings.model_copy(update={"clarify_margin": 0.3})
    assert decide("hmm, x", [], wide, p, ROUTES).route is Route.CLARIFY


@pytest.mark.parametrize("text", ["hello", "Hey there!", "thanks", "goodbye"])
def test_whole_message_small_talk_stays_small_talk_whatever_the_prediction(settings: Settings, text: str) -> None:
    p = prediction("human_handoff", 0.99, "error_rate_limit", 0.005)

    d = decide(text, [hit(0.95)], settings, p, ROUTES)

    assert d.route is Route.SMALLTALK
    assert d.intent in {"greeting", "thanks", "goodbye"}


def test_intent_missing_from_routes_is_answered(settings: Settings) -> None:
    p = prediction("brand_new_intent", 0.9)

    assert decide("x", [hit(0.4)], settings, p, ROUTES).route is Route.ANSWER


def test_a_message_the_out_of_scope_class_won_is_not_acted_on(settings: Settings) -> None:
    # The out-of-scope class (trained on negatives) won; the best in-scope intent is only a guess.
    p = replace(prediction("human_handoff", 0.8, "error_rate_limit", 0.1, out_of_scope=True), negative=True)

    d = decide("my cat wants to talk", [hit(0.4)], settings, p, ROUTES)

    assert d.route is Route.FALLBACK  # retrieval 0.4 is below answer_threshold 0.6
    assert d.intent is None


def test_without_a_routing_threshold_the_models_own_threshold_decides(settings: Settings) -> None:
    own = settings.model_copy(update={"intent_threshold": None})
    below = replace(prediction("error_rate_limit", 0.8, out_of_scope=True), threshold=0.9)
    above = replace(prediction("error_rate_limit", 0.95), threshold=0.9)

    assert decide("slow down", [hit(0.4)], own, below, ROUTES).route is Route.FALLBACK
    assert decide("slow down", [hit(0.4)], own, above, ROUTES).route is Route.TROUBLESHOOT
    # The routing threshold tuned on the knowledge evaluation split replaces the model's
    # for grounded routes, where retrieval double-checks the intent.
    assert decide("slow down", [hit(0.4)], settings, below, ROUTES).route is Route.TROUBLESHOOT


def test_handoff_needs_the_classifiers_own_in_scope_verdict(settings: Settings) -> None:
    # Handoff and small talk act without retrieval to check them: a probability above the
    # routing threshold but below the model's own is not enough.
    unsure = replace(prediction("complaint", 0.8, out_of_scope=True), threshold=0.9)
    sure = replace(prediction("complaint", 0.95), threshold=0.9)

    assert decide("this is hopeless", [hit(0.4)], settings, unsure, ROUTES).route is Route.FALLBACK
    assert decide("this is hopeless", [hit(0.4)], settings, sure, ROUTES).route is Route.HANDOFF


def test_a_person_mentioned_but_not_asked_for_is_answered(settings: Settings) -> None:
    p = prediction("human_handoff", 0.9)

    d = decide("your support team asked me for the request id, where is it?", [hit(0.9)], settings, p, ROUTES)

    assert d.route is Route.ANSWER


def test_a_request_for_a_person_at_the_end_of_a_long_story_hands_over(settings: Settings) -> None:
    story = (
        "we have had 503s for two days, retried everything, rotated keys, switched region, nothing helped, "
        "our launch is tomorrow. can I please talk to a real engineer"
    )
    d = decide(story, [hit(0.9)], settings, prediction("error_server_outage", 0.9), ROUTES)

    assert (d.route, d.reason) == (Route.HANDOFF, "asked")


def test_a_question_about_limits_is_answered_not_troubleshot(settings: Settings) -> None:
    p = prediction("error_rate_limit", 0.9)

    asking = decide("what are the rate limits on the starter plan", [hit(0.5)], settings, p, ROUTES)
    failing = decide("my calls keep getting throttled", [hit(0.5)], settings, p, ROUTES)

    assert (asking.route, asking.intent) == (Route.ANSWER, "error_rate_limit")
    assert failing.route is Route.TROUBLESHOOT

"""Routing: the message's own reading (small talk, thresholds from settings), then the ordered rules
of a conversation, each stated with the state and the reading it decides on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.advisor import Facts
from bot.config import Settings
from bot.flows import FlowBook, OutcomeKind
from bot.intents.types import Prediction
from bot.routing import RULES, crosslingual_lift, reading, route
from bot.state import AdvisorProgress, FlowProgress, Status
from bot.types import Action, Decision, Route
from bot.understanding import Understanding
from index.types import Hit
from knowledge.flows import FLOWS_DIR
from tests.bot.turns import hit, parts, prediction, state, understood

pytestmark = pytest.mark.unit

ROUTES = {
    "error_rate_limit": "troubleshoot",
    "error_authentication": "troubleshoot",
    "human_handoff": "handoff",
    "complaint": "handoff",
    "pricing_billing": "answer",
    "model_selection": "advise",
}


def decide(text: str, hits: list[Hit], settings: Settings, p: Prediction | None = None) -> Decision:
    return reading(understood(text, hits, p), settings, {})


@pytest.fixture(scope="module")
def book() -> FlowBook:
    return FlowBook.from_folder(FLOWS_DIR)


@pytest.fixture
def flow_settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path, embedder="fake", intent_threshold=0.5, intent_answer_threshold=0.3, answer_threshold=0.6
    )


def test_threshold_from_settings_decides_between_answer_and_fallback(settings: Settings) -> None:
    hits = [hit("invoices", 0.9, 0.6)]

    assert (
        decide("where is my invoice", hits, settings.model_copy(update={"answer_threshold": 0.6})).route is Route.ANSWER
    )
    assert (
        decide("where is my invoice", hits, settings.model_copy(update={"answer_threshold": 0.61})).route
        is Route.FALLBACK
    )
    assert decide("where is my invoice", [], settings).route is Route.FALLBACK


def test_confidence_is_the_top_documents_cosine_clipped_to_one(settings: Settings) -> None:
    assert decide("q", [hit("a", 1.3, 1.0000002)], settings).confidence == 1.0
    assert decide("q", [hit("a", 0.2, -0.1)], settings).confidence == 0.0


def test_the_rules_are_asked_in_the_documented_order() -> None:
    assert [rule.__name__ for rule in RULES] == [
        "quiet_while_handed_over",
        "pending_offer_of_a_person",
        "running_flow",
        "topic_follow_up",
        "handoff",
        "model_question",
        "advisor",
        "detected_failure",
        "intent_and_retrieval",
        "repeated_fallbacks",
    ]


def test_a_handed_over_conversation_stays_quiet_whatever_is_said(settings: Settings) -> None:
    handed_over = state(status=Status.HANDOFF, ticket="SB-1")

    for text in ("hello", "I want to talk to a person", "where is my invoice"):
        d = route(understood(text, [hit("invoices", 0.9, 0.9)]), handed_over, parts(settings))
        assert (d.route, d.action) == (Route.HANDOFF, Action.QUIET)


@pytest.mark.parametrize(
    ("text", "route_", "action"),
    [
        ("yes please", Route.HANDOFF, Action.HAND_OVER),
        ("sure", Route.HANDOFF, Action.HAND_OVER),
        ("no thanks", Route.SMALLTALK, Action.DECLINE_PERSON),
        ("where is my invoice", Route.ANSWER, Action.REPLY),  # no answer to the offer: routed as usual
    ],
)
def test_an_offer_of_a_person_is_settled_by_yes_or_no(
    settings: Settings, text: str, route_: Route, action: Action
) -> None:
    offered = state(offered_person="flow_unresolved", last_intent="error_rate_limit")

    d = route(understood(text, [hit("invoices", 0.9, 0.9)]), offered, parts(settings))

    assert (d.route, d.action) == (route_, action)
    if action is Action.HAND_OVER:
        assert (d.reason, d.intent) == ("flow_unresolved", "error_rate_limit")


def test_clicking_the_offer_of_a_person_hands_over_at_any_time(settings: Settings) -> None:
    d = route(understood("Yes, connect me to a person"), state(last_intent="billing"), parts(settings))

    assert (d.route, d.action, d.reason, d.intent) == (Route.HANDOFF, Action.HAND_OVER, "asked", "billing")


def test_an_answer_to_the_running_flows_step_continues_it(flow_settings: Settings, book: FlowBook) -> None:
    running = state(flow=FlowProgress("rate-limit", "read-code"), last_intent="error_rate_limit")

    d = route(understood("Still failing", flows=book), running, parts(flow_settings, ROUTES, flows=book))

    assert (d.route, d.action, d.flow_id, d.intent) == (
        Route.TROUBLESHOOT, Action.CONTINUE_FLOW, "rate-limit", "error_rate_limit",
    )  # fmt: skip
    assert d.step is not None and d.step.kind is OutcomeKind.STEP and d.step.path == ("read-code",)


def test_small_talk_in_a_flow_shows_the_step_again(flow_settings: Settings, book: FlowBook) -> None:
    running = state(flow=FlowProgress("rate-limit", "read-code"))

    d = route(understood("hello", flows=book), running, parts(flow_settings, ROUTES, flows=book))

    assert d.action is Action.CONTINUE_FLOW and d.step is not None and d.step.kind is OutcomeKind.UNCLEAR


def test_a_new_question_leaves_the_flow(flow_settings: Settings, book: FlowBook) -> None:
    running = state(flow=FlowProgress("rate-limit", "read-code"))
    question = understood("how do I pay by invoice", [hit("invoices", 0.9, 0.7)], prediction("pricing_billing", 0.9))

    d = route(question, running, parts(flow_settings, ROUTES, flows=book))

    assert (d.route, d.action, d.closes_flow) == (Route.ANSWER, Action.REPLY, True)


def test_a_request_for_a_person_in_a_flow_hands_over_with_the_flow(flow_settings: Settings, book: FlowBook) -> None:
    running = state(flow=FlowProgress("rate-limit", "read-code", ("x",)))
    asking = understood("get me a human", p=prediction("human_handoff", 0.95))

    d = route(asking, running, parts(flow_settings, ROUTES, flows=book))

    assert (d.route, d.action, d.reason, d.closes_flow) == (Route.HANDOFF, Action.HAND_OVER, "asked", False)


def test_a_flow_the_knowledge_no_longer_has_is_left(flow_settings: Settings, book: FlowBook) -> None:
    gone = state(flow=FlowProgress("rate-limit", "no-such-step"))

    d = route(understood("Still failing", flows=book), gone, parts(flow_settings, ROUTES, flows=book))

    assert d.action is not Action.CONTINUE_FLOW and d.closes_flow


@pytest.mark.parametrize(
    ("text", "intent", "reason"),
    [("x", "complaint", "frustrated"), ("can I talk to a person", "human_handoff", "asked")],
)
def test_a_request_for_a_person_or_frustration_hands_over(
    flow_settings: Settings, text: str, intent: str, reason: str
) -> None:
    d = route(understood(text, p=prediction(intent, 0.95)), state(), parts(flow_settings, ROUTES))

    assert (d.route, d.action, d.reason, d.intent, d.confidence) == (
        Route.HANDOFF, Action.HAND_OVER, reason, intent, 1.0,
    )  # fmt: skip


def test_which_one_is_asked_about_the_models_just_shown(settings: Settings) -> None:
    shown = state(last_models=("mer-chat-m", "mer-chat-l"))

    d = route(understood("which one is cheaper?"), shown, parts(settings, catalog=True))

    assert (d.route, d.action) == (Route.ADVISE, Action.WHICH_ONE)


def test_a_fact_about_a_named_model_is_a_model_question(settings: Settings) -> None:
    d = route(understood("how much does chat small cost"), state(), parts(settings, catalog=True))

    assert (d.route, d.action, d.model_id, d.overview) == (Route.ADVISE, Action.MODEL_FACT, "mer-chat-s", False)


def test_naming_a_model_without_a_question_is_no_model_question(settings: Settings) -> None:
    d = route(understood("I use chat small"), state(), parts(settings, catalog=True))

    assert d.action is not Action.MODEL_FACT


def test_a_fallback_that_states_a_model_need_goes_to_the_advisor(settings: Settings) -> None:
    need = understood("we need to classify 2M German tickets on-prem")

    d = route(need, state(), parts(settings, catalog=True))

    assert (d.route, d.action, d.intent) == (Route.ADVISE, Action.ADVISOR, "model_selection")
    assert route(need, state(), parts(settings)).route is Route.FALLBACK  # no catalog, no advisor


def test_a_question_that_ignores_the_advisors_question_leaves_it(flow_settings: Settings) -> None:
    asked = state(advisor=AdvisorProgress("task", 1), facts=Facts())
    question = understood("where is my invoice", [hit("invoices", 0.9, 0.7)], prediction("pricing_billing", 0.9))

    d = route(question, asked, parts(flow_settings, ROUTES, catalog=True))

    assert (d.route, d.closes_question) == (Route.ANSWER, True)


def test_a_pasted_error_starts_its_flow_even_when_nothing_else_is_sure(settings: Settings, book: FlowBook) -> None:
    pasted = understood("HTTP/1.1 429 Too Many Requests", flows=book)

    d = route(pasted, state(), parts(settings, flows=book))

    assert (d.route, d.action, d.flow_id, d.intent) == (
        Route.TROUBLESHOOT,
        Action.START_FLOW,
        "rate-limit",
        "error_rate_limit",
    )


def test_a_failure_intent_starts_its_flow_and_out_of_scope_starts_none(flow_settings: Settings, book: FlowBook) -> None:
    failing = understood("my key keeps failing", [hit("error-401", 0.5, 0.5)], prediction("error_authentication", 0.9))
    other = understood(
        "openai returns 429", [hit("x", 0.1, 0.1)], Prediction("t", None, 0.9, True, "error_rate_limit", negative=True)
    )

    d = route(failing, state(), parts(flow_settings, ROUTES, flows=book))

    assert (d.action, d.flow_id) == (Action.START_FLOW, "authentication")
    assert route(other, state(), parts(flow_settings, ROUTES, flows=book)).action is not Action.START_FLOW


@pytest.mark.parametrize(("fallbacks", "route_"), [(0, Route.FALLBACK), (1, Route.HANDOFF)])
def test_the_second_fallback_in_a_row_hands_over(settings: Settings, fallbacks: int, route_: Route) -> None:
    d = route(understood("zebra migration"), state(fallbacks=fallbacks), parts(settings))

    assert d.route is route_
    if route_ is Route.HANDOFF:
        assert (d.action, d.reason) == (Action.HAND_OVER, "fallbacks")


@pytest.mark.unit
def test_a_document_in_another_language_is_held_to_the_crosslingual_threshold() -> None:
    settings = Settings(embedder="fake").for_language("zh")
    english = Hit(doc_id="faq", title="Shipping", url="", score=1.0, dense=0.9, sparse=0.0, lang="en")
    chinese = Hit(doc_id="faq", title="发货", url="", score=1.0, dense=0.9, sparse=0.0, lang="zh")
    assert crosslingual_lift((chinese,), settings) == 0.0
    assert settings.crosslingual_threshold is not None
    assert crosslingual_lift((english,), settings) == pytest.approx(
        settings.answer_threshold - settings.crosslingual_threshold
    )
    # 0.9 is below the Chinese answer threshold, above the cross-lingual one; confidence stays in [0, 1].
    decision = reading(Understanding("多久发货", None, (english,)), settings, {})
    assert decision.route.value == "answer" and decision.confidence <= 1.0
    assert reading(Understanding("多久发货", None, (chinese,)), settings, {}).route.value == "fallback"

"""The troubleshoot handler: a flow started, walked step by step to fixed or unresolved, or the usual fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.flows import FlowBook
from bot.state import FlowProgress
from bot.types import Route
from knowledge.flows import FLOWS_DIR
from tests.bot.turns import hit, parts, prediction, state, turn

pytestmark = pytest.mark.unit

ROUTES = {"error_rate_limit": "troubleshoot"}


@pytest.fixture(scope="module")
def book() -> FlowBook:
    return FlowBook.from_folder(FLOWS_DIR)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, embedder="fake", intent_threshold=0.5, intent_answer_threshold=0.3)


def test_a_pasted_error_starts_its_flow_at_the_first_step(settings: Settings, book: FlowBook) -> None:
    _, outcome = turn("HTTP/1.1 429 Too Many Requests", parts(settings, flows=book), state=state(fallbacks=1))

    reply = outcome.reply
    assert reply.reply.startswith("Let's work through this one step at a time. Read the `code` in the error body.")
    assert (reply.route, reply.flow, reply.intent) == (
        Route.TROUBLESHOOT, {"id": "rate-limit", "step": "read-code"}, "error_rate_limit",
    )  # fmt: skip
    assert reply.quick_replies == ("Yes, that fixed it", "Still failing", "It says quota_exceeded")
    assert outcome.state.flow == FlowProgress("rate-limit", "read-code") and outcome.state.fallbacks == 0


def test_an_answer_moves_to_the_next_step(settings: Settings, book: FlowBook) -> None:
    running = state(flow=FlowProgress("rate-limit", "read-code"), last_intent="error_rate_limit")

    _, outcome = turn("Still failing", parts(settings, flows=book), state=running)

    assert outcome.reply.flow == {"id": "rate-limit", "step": "check-key"}
    assert outcome.state.flow == FlowProgress("rate-limit", "check-key", ("read-code",))


def test_fixed_ends_the_flow_and_is_remembered_as_tried(settings: Settings, book: FlowBook) -> None:
    running = state(flow=FlowProgress("rate-limit", "check-key", ("read-code",)))

    _, outcome = turn("Yes, that fixed it", parts(settings, flows=book), state=running)

    assert outcome.reply.reply == "Great, glad that's working again. Is there anything else I can help with?"
    assert outcome.reply.quick_replies == ("Choose a model", "Pricing")
    assert outcome.state.flow is None and outcome.state.tried == ("rate-limit: read-code > check-key > fixed",)


def test_out_of_steps_offers_a_person(settings: Settings, book: FlowBook) -> None:
    flow = book.get("rate-limit")
    assert flow is not None
    last = next(s for s in flow.steps.values() if all(o.next in ("fixed", "unresolved") for o in s.options))
    unresolved = next(o.label for o in last.options if o.next == "unresolved")

    _, outcome = turn(unresolved, parts(settings, flows=book), state=state(flow=FlowProgress("rate-limit", last.id)))

    assert outcome.reply.reply.startswith("I've run out of things to check on my side, sorry.")
    assert outcome.reply.quick_replies == ("Yes, connect me to a person", "No, thanks")
    assert outcome.state.offered_person == "flow_unresolved"
    assert outcome.state.flow == FlowProgress("rate-limit", "unresolved", (last.id,))


def test_an_unclear_answer_shows_the_step_again_with_a_person(settings: Settings, book: FlowBook) -> None:
    running = state(flow=FlowProgress("rate-limit", "read-code"))

    _, outcome = turn("what do you mean", parts(settings, flows=book), state=running)

    assert outcome.reply.reply.startswith("Sorry, I didn't catch that. Here is the step again: Read the `code`")
    assert outcome.reply.quick_replies[-1] == "Yes, connect me to a person"
    assert outcome.state.flow == running.flow


def test_a_failure_no_flow_covers_gets_the_usual_cause_and_fix(settings: Settings) -> None:
    _, outcome = turn(
        "my calls keep failing",
        parts(settings, ROUTES),
        [hit("rate-limits", 0.8, 0.8)],
        prediction("error_rate_limit", 0.9),
    )

    assert outcome.reply.route is Route.TROUBLESHOOT and outcome.reply.flow is None
    assert outcome.reply.reply.startswith("Let's get that working. This is the usual cause and fix:\n\n**Rate-Limits**")

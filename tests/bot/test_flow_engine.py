"""The troubleshooting engine: pasted errors find the right flow, ordinary questions find none,
and a customer moves through a flow by clicking quick replies or typing answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.errors import KnowledgeError, SupportbotError
from bot.flows import FlowBook, Outcome, OutcomeKind, StepView, UnknownStepError, advance, match_option, start, view
from knowledge.flows import FIXED, FLOWS_DIR, Flow, Option, Step, load_flows

pytestmark = pytest.mark.unit

FLOW = """\
id: rate-limit
title: Requests fail with 429 Too Many Requests
intents: [error_rate_limit]
detect: ['\\b429\\b', 'too many requests']
start: check-headers
steps:
  check-headers:
    text: Wait the seconds in the retry-after header, then retry.
    article: rate-limits
    options:
      - {label: "Yes, that fixed it", next: fixed}
      - {label: "Still failing", next: backoff}
      - {label: "I see quota_exceeded", next: quota}
  backoff:
    text: Add jitter to your retries.
    options:
      - {label: "Works now", next: fixed}
      - {label: "Still failing", next: which}
  which:
    text: Which code does the error body show?
    options:
      - {label: "413 payload_too_large", next: quota}
      - {label: "422 context_length_exceeded", next: unresolved}
  quota:
    text: Raise the monthly spend limit in Billing → Limits.
    options:
      - {label: "Yes, that fixed it", next: fixed}
      - {label: "Still failing", next: unresolved}
"""


@pytest.fixture
def flow(tmp_path: Path) -> Flow:
    (tmp_path / "rate-limit.yaml").write_text(FLOW, encoding="utf-8")
    return load_flows(tmp_path)["rate-limit"]


@pytest.fixture(scope="module")
def book() -> FlowBook:
    return FlowBook.from_folder(FLOWS_DIR)


def make_flow(flow_id: str, *patterns: str, intents: tuple[str, ...] = ()) -> Flow:
    step = Step("only", "Try this.", None, (Option("Yes, that fixed it", FIXED),))
    compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    return Flow(flow_id, flow_id, intents, compiled, "only", {"only": step})


PIP_CONFLICT = (
    "ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. "
    "This behaviour is the source of the following dependency conflicts.\n"
    "meridian-sdk 1.4.0 requires httpx>=0.25, but you have httpx 0.23.0 which is incompatible."
)


@pytest.mark.parametrize(
    ("pasted", "flow_id"),
    [
        ("HTTP/1.1 429 Too Many Requests", "rate-limit"),
        ("meridian.AuthenticationError: invalid api key", "authentication"),
        ('{"error": {"type": "context_length_exceeded"}}', "payload-too-large"),
        ("503 Service Unavailable", "server-outage"),
        (PIP_CONFLICT, "sdk-install"),
        ("ModuleNotFoundError: No module named 'meridian'", "sdk-install"),
        ("meridian.errors.NotFoundError: 404 model_not_found", "model-not-found"),
        ("PermissionDeniedError: Project 'prod' is not enabled for model 'mer-code'", "permission-denied"),
        ("httpx.RemoteProtocolError: peer closed connection (incomplete chunked read)", "streaming-disconnects"),
        ('{"id": "ftjob_4k2x", "status": "failed", "error": {"code": "invalid_training_file"}}', "fine-tune-failed"),
        ("our classifier accuracy dropped overnight", "quality-drift"),
        ("ReadTimeout: HTTPSConnectionPool(host='api.meridian.example', port=443): Read timed out.", "timeout-latency"),
        # the error code decides between flows sharing a status code or a server_error type
        ("meridian.errors.RateLimitError: 429 quota_exceeded: monthly spend limit reached", "billing-block"),
        ('504 Gateway Timeout {"error": {"type": "server_error", "code": "gateway_timeout"}}', "timeout-latency"),
        # text beats a bare status code: this 404 is npm's, not a model's
        ("npm ERR! 404 Not Found - GET https://registry.npmjs.org/@meridian%2fsdk", "sdk-install"),
        # a status code alone counts as a failure report, even in a question (see bot.flows)
        ("what is a 401 error", "authentication"),
    ],
)
def test_pasted_errors_detect_their_flow(book: FlowBook, pasted: str, flow_id: str) -> None:
    found = book.detect(pasted)

    assert found is not None and found.id == flow_id


@pytest.mark.parametrize(
    "question",
    [
        "how much does chat small cost",
        "what plans do you have",
        "is the growth plan $500 a month",
        "can we get 1,500 requests per minute on growth",
        "how do I install the python sdk",
        "how do I stream responses",
        "how do I fine-tune a model on my tickets",
        "what is the rate limit on the free plan",
        "how do I set a spend limit",
        "what is the context window of mer-chat-m",
        "what is the default timeout of the sdk",
        "how do I measure accuracy",
        "hello",
    ],
)
def test_ordinary_questions_detect_nothing(book: FlowBook, question: str) -> None:
    assert book.detect(question) is None


def test_find_reports_the_fragment_that_decided(book: FlowBook) -> None:
    found = book.find("HTTP/1.1 429 Too Many Requests")

    assert found is not None
    assert (found.flow.id, found.matched, found.start) == ("rate-limit", "Too Many Requests", 13)


def test_detection_prefers_error_codes_then_longer_then_earlier_matches() -> None:
    book = FlowBook(
        [
            make_flow("status", r"\b429\b", "too many requests"),
            make_flow("billing", "quota_exceeded"),
            make_flow("zzz-same", r"\b429\b"),
        ]
    )

    assert book.detect("HTTP 429 Too Many Requests, quota_exceeded") is book.get("billing")
    assert book.detect("429 too many requests") is book.get("status")
    assert book.detect("429") is book.get("status")  # the same match in two flows: the first id wins
    assert book.detect("429s, then quota_exceeded") is book.get("billing")
    assert book.detect("no match at all") is None


def test_for_intent_finds_the_one_flow_of_each_troubleshoot_intent(book: FlowBook) -> None:
    assert len(book) >= 12
    for flow in book:
        for intent in flow.intents:
            assert book.for_intent(intent) is flow
    assert book.for_intent("pricing_billing") is None
    assert book.get("rate-limit") is not None and book.get("nope") is None


def test_two_flows_claiming_one_intent_are_refused() -> None:
    with pytest.raises(KnowledgeError, match="intent 'error_rate_limit' is handled by two flows: 'a' and 'b'"):
        intents = ("error_rate_limit",)
        FlowBook([make_flow("a", "x", intents=intents), make_flow("b", "y", intents=intents)])


def test_start_shows_the_first_step_with_its_quick_replies(flow: Flow) -> None:
    assert start(flow) == StepView(
        flow_id="rate-limit",
        step_id="check-headers",
        text="Wait the seconds in the retry-after header, then retry.",
        article="rate-limits",
        quick_replies=("Yes, that fixed it", "Still failing", "I see quota_exceeded"),
    )


def test_clicking_labels_walks_to_unresolved_and_records_the_path(flow: Flow) -> None:
    first = advance(flow, "check-headers", "Still failing")
    assert first.kind is OutcomeKind.STEP and first.view is not None
    assert first.view.step_id == "backoff"
    assert first.path == ("check-headers",)
    assert first.chosen == Option("Still failing", "backoff")

    second = advance(flow, "backoff", "Still failing", first.path)
    assert second.view is not None and second.view.quick_replies == (
        "413 payload_too_large",
        "422 context_length_exceeded",
    )

    end = advance(flow, "which", "422 context_length_exceeded", second.path)
    assert end.kind is OutcomeKind.UNRESOLVED
    assert end.view is None
    assert end.path == ("check-headers", "backoff", "which")


def test_clicking_the_fixed_label_ends_the_flow(flow: Flow) -> None:
    outcome = advance(flow, "quota", "Yes, that fixed it", ["check-headers"])

    assert (outcome.kind, outcome.path, outcome.view) == (OutcomeKind.FIXED, ("check-headers", "quota"), None)


@pytest.mark.parametrize(
    ("typed", "kind", "next_step"),
    [
        ("  YES, that fixed it. ", OutcomeKind.FIXED, None),
        ("yes", OutcomeKind.FIXED, None),
        ("yep, works now", OutcomeKind.FIXED, None),
        ("that did it!", OutcomeKind.FIXED, None),
        ("solved", OutcomeKind.FIXED, None),
        ("no more 429s", OutcomeKind.FIXED, None),
        ("no", OutcomeKind.STEP, "backoff"),
        ("nope", OutcomeKind.STEP, "backoff"),
        ("same error", OutcomeKind.STEP, "backoff"),
        ("didn’t work", OutcomeKind.STEP, "backoff"),
        ("not fixed", OutcomeKind.STEP, "backoff"),
        ("yes but still failing", OutcomeKind.STEP, "backoff"),
        ("quota", OutcomeKind.STEP, "quota"),
        ("still failing, now I get quota_exceeded", OutcomeKind.STEP, "quota"),
    ],
)
def test_typed_answers_pick_the_option_they_mean(
    flow: Flow, typed: str, kind: OutcomeKind, next_step: str | None
) -> None:
    outcome = advance(flow, "check-headers", typed)

    assert outcome.kind is kind
    assert (outcome.view.step_id if outcome.view else None) == next_step
    assert outcome.path == ("check-headers",)


@pytest.mark.parametrize("typed", ["banana", "", "   ", "not sure", "where do I see the headers?", "what do you mean"])
def test_unclear_answers_show_the_same_step_again(flow: Flow, typed: str) -> None:
    outcome = advance(flow, "check-headers", typed, ["earlier"])

    assert outcome.kind is OutcomeKind.UNCLEAR
    assert outcome.view == start(flow)
    assert outcome.path == ("earlier",)
    assert outcome.chosen is None


def test_a_question_step_takes_codes_and_words_but_not_yes_or_no(flow: Flow) -> None:
    which = flow.steps["which"]

    assert match_option(which, "413") == which.options[0]
    assert match_option(which, "it says context length exceeded") == which.options[1]
    assert match_option(which, "yes") is None
    assert match_option(which, "no") is None


def test_a_step_a_flow_no_longer_has_is_reported(flow: Flow) -> None:
    with pytest.raises(UnknownStepError, match="flow 'rate-limit' has no step 'gone'") as info:
        advance(flow, "gone", "yes")
    assert isinstance(info.value, SupportbotError) and isinstance(info.value, LookupError)
    with pytest.raises(TypeError, match="sequence of step ids"):
        advance(flow, "quota", "yes", "check-headers")
    assert view(flow, "quota").text == "Raise the monthly spend limit in Billing → Limits."


def test_an_outcome_carries_a_view_exactly_when_there_is_a_step_to_show() -> None:
    with pytest.raises(ValueError, match="needs view"):
        Outcome(OutcomeKind.STEP, ())
    with pytest.raises(ValueError, match="has no view"):
        Outcome(OutcomeKind.FIXED, (), view=StepView("f", "s", "t", None, ()))


def test_every_shipped_flow_can_end_fixed_and_unresolved_by_clicking(book: FlowBook) -> None:
    for flow in book:
        ends: set[OutcomeKind] = set()
        shown = {flow.start}
        todo = [start(flow)]
        while todo:
            current = todo.pop()
            for label in current.quick_replies:
                outcome = advance(flow, current.step_id, label)
                assert outcome.chosen is not None and outcome.chosen.label == label
                if outcome.view is None:
                    ends.add(outcome.kind)
                elif outcome.view.step_id not in shown:
                    shown.add(outcome.view.step_id)
                    todo.append(outcome.view)
        assert ends == {OutcomeKind.FIXED, OutcomeKind.UNRESOLVED}, flow.id
        assert shown == set(flow.steps), flow.id


def test_in_every_shipped_step_yes_means_fixed_and_no_moves_on(book: FlowBook) -> None:
    for flow in book:
        for step in flow.steps.values():
            if not any(o.next == FIXED for o in step.options):
                continue
            assert advance(flow, step.id, "yes").kind is OutcomeKind.FIXED, f"{flow.id}/{step.id}"
            said_no = advance(flow, step.id, "no, same error")
            assert said_no.kind in (OutcomeKind.STEP, OutcomeKind.UNRESOLVED), f"{flow.id}/{step.id}"

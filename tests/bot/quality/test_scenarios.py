"""The conversation-scenario loader, checker and runner, on inline files and hand-made replies (no model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.errors import InputError
from bot.quality.expectations import check_turn
from bot.quality.scenarios import (
    SCENARIO_DIR,
    Scenario,
    ScenarioError,
    Turn,
    load_scenario,
    load_scenarios,
    report,
    run_all,
    run_scenario,
)
from bot.types import Reply, Route, Source
from knowledge.catalog import Model, Price

pytestmark = pytest.mark.unit

SHIPPED = SCENARIO_DIR


def _model(model_id: str, languages: tuple[str, ...], hosting: tuple[str, ...], tasks: tuple[str, ...]) -> Model:
    return Model(
        id=model_id,
        name=model_id.title(),
        tasks=tasks,
        languages=languages,
        hosting=hosting,
        context_tokens=8000,
        latency_ms_p50=50,
        price=Price(1.0, "1M input tokens"),
        fine_tunable=False,
        regions=("eu-west",) if "cloud" in hosting else (),
        strengths=("fast",),
        limits=("small",),
    )


CATALOG = [
    _model("cls-de", ("en", "de"), ("cloud", "on_prem"), ("classification",)),
    _model("cls-en", ("en",), ("cloud", "on_prem"), ("classification",)),
    _model("chat-zh", ("zh", "en"), ("cloud",), ("chat",)),
]


def _reply(**fields: Any) -> dict[str, Any]:
    fields.setdefault("reply", "Hello!")
    fields.setdefault("route", Route.SMALLTALK)
    fields.setdefault("conversation_id", "c1")
    return Reply(**fields).to_json()


def _recommending(*model_ids: str) -> dict[str, Any]:
    recs = tuple({"model_id": m, "name": m, "reasons": []} for m in model_ids)
    return _reply(route=Route.ADVISE, recommendations=recs)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- loading -------------------------------------------------------------------------------------


def test_a_valid_file_loads_with_its_turns_and_known_issue(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ok.yaml",
        "name: rate limit\nknown_issue: drops the flow\nturns:\n"
        "  - say: getting 429\n    expect: {route: troubleshoot, flow: rate-limit}\n  - say: thanks\n",
    )

    scenario = load_scenario(path)

    assert scenario.name == "rate limit" and scenario.known_issue == "drops the flow"
    assert [t.say for t in scenario.turns] == ["getting 429", "thanks"]
    assert scenario.turns[0].expect == {"route": "troubleshoot", "flow": "rate-limit"}
    assert scenario.turns[1].expect == {}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("name: x\nturns:\n  - say: hi\n    expect: {route: smalltalk, mood: happy}\n", ["turn 1", "'mood'"]),
        ("name: x\nturns:\n  - say: hi\n  - say: '  '\n", ["turn 2", "'say'", "non-empty"]),
        ("name: x\n", ["'turns'", "non-empty list"]),
        ("name: x\nturns: []\n", ["'turns'"]),
        ("name: x\nauthor: me\nturns:\n  - say: hi\n", ["'author'", "unknown key"]),
        ("name: x\nturns:\n  - say: hi\n    reply: hello\n", ["turn 1", "'reply'"]),
        ("name: x\nturns:\n  - say: hi\n    expect: {route: answered}\n", ["turn 1", "'route'", "answered"]),
        ("name: x\nturns:\n  - say: hi\n    expect: {ticket: yes please}\n", ["'ticket'", "true or false"]),
        ("name: x\nturns:\n  - say: hi\n    expect: {same_ticket: true}\n", ["turn 1", "'same_ticket'"]),
        ("name: x\nturns:\n  - say: hi\n    expect: {recommendations: -1}\n", ["'recommendations'"]),
        (
            "name: x\nturns:\n  - say: hi\n    expect: {recommended_all: {languages: german}}\n",
            ["'recommended_all'", "'german'"],
        ),
        ("name: x\nturns:\n  - say: hi\n    expect: {recommended_all: {region: eu}}\n", ["'region'"]),
        ("name: [unclosed\n", ["invalid YAML"]),
    ],
)
def test_a_malformed_file_is_refused_naming_the_file_and_the_problem(
    tmp_path: Path, text: str, named: list[str]
) -> None:
    path = _write(tmp_path, "broken.yaml", text)

    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)

    assert str(path) in str(raised.value)
    for part in named:
        assert part in str(raised.value)


def test_a_folder_without_scenarios_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"no \*\.yaml scenario files"):
        load_scenarios(tmp_path)


def test_the_shipped_scenarios_all_load_and_cover_the_conversations_we_promise() -> None:
    scenarios = load_scenarios(SHIPPED)
    expected: list[dict[str, Any]] = [t.expect for s in scenarios for t in s.turns]
    flows_ended = {e["step"] for e in expected if "step" in e} & {"fixed", "unresolved"}

    assert len(scenarios) >= 30
    assert len({s.name for s in scenarios}) == len(scenarios)
    assert len({e["flow"] for e in expected if "flow" in e}) >= 8
    assert flows_ended == {"fixed", "unresolved"}
    assert {"same_ticket", "recommended_all", "no_sources"} <= {k for e in expected for k in e}


# -- checking ------------------------------------------------------------------------------------


def test_a_reply_meeting_every_expectation_has_no_failures() -> None:
    reply = _reply(
        reply="Read the `code` in the error body.",
        route=Route.TROUBLESHOOT,
        intent="error_rate_limit",
        sources=(Source("error-429-too-many-requests", "429", 1.0),),
        quick_replies=("Yes, that fixed it", "Still failing"),
        flow={"id": "rate-limit", "step": "read-code"},
    )
    expect = {
        "route": "troubleshoot",
        "intent": "error_rate_limit",
        "flow": "rate-limit",
        "step": "read-code",
        "source": "error-429-too-many-requests",
        "quick_reply": "Still failing",
        "reply_contains": ["READ THE", "error body"],
        "ticket": False,
        "recommendations": 0,
    }

    assert check_turn(expect, reply, None, CATALOG) == []


def test_a_wrong_step_says_what_was_expected_and_what_the_reply_had() -> None:
    reply = _reply(route=Route.TROUBLESHOOT, flow={"id": "rate-limit", "step": "read-code"})

    failures = check_turn({"flow": "rate-limit", "step": "check-key"}, reply, None, CATALOG)

    assert failures == ["expected step 'check-key', the reply had step 'read-code' (route 'troubleshoot')"]


def test_a_reply_outside_any_flow_says_it_had_no_flow() -> None:
    reply = _reply(route=Route.FALLBACK)

    failures = check_turn({"flow": "rate-limit"}, reply, None, CATALOG)

    assert failures == ["expected flow 'rate-limit', the reply had no flow (route 'fallback')"]


def test_recommended_all_names_the_model_lacking_the_language() -> None:
    failures = check_turn(
        {"recommended_all": {"languages": "de", "task": "classification"}},
        _recommending("cls-de", "cls-en"),
        None,
        CATALOG,
    )

    assert len(failures) == 1
    assert "'de'" in failures[0] and "cls-en" in failures[0] and "cls-de" not in failures[0]


def test_recommended_all_checks_hosting_tasks_and_every_listed_language() -> None:
    failures = check_turn(
        {"recommended_all": {"languages": ["en", "zh"], "hosting": "on_prem", "task": "classification"}},
        _recommending("chat-zh"),
        None,
        CATALOG,
    )

    assert len(failures) == 2
    assert any("hosting 'on_prem'" in f for f in failures)
    assert any("task 'classification'" in f for f in failures)


def test_recommended_all_fails_when_nothing_or_an_unknown_model_is_recommended() -> None:
    none = check_turn({"recommended_all": {"languages": "de"}}, _recommending(), None, CATALOG)
    unknown = check_turn({"recommended_all": {"languages": "de"}}, _recommending("mystery"), None, CATALOG)

    assert none == ["expected recommendations that all meet {'languages': 'de'}, the reply recommended none"]
    assert unknown == ["the reply recommended 'mystery', which is not in the catalog"]


def test_recommends_and_the_number_of_recommendations() -> None:
    reply = _recommending("cls-de", "cls-en")

    assert check_turn({"recommends": ["cls-de", "cls-en"], "recommendations": 2}, reply, None, CATALOG) == []
    assert check_turn({"recommends": "chat-zh"}, reply, None, CATALOG) == [
        "expected 'chat-zh' among the recommendations, the reply had ['cls-de', 'cls-en']"
    ]
    assert check_turn({"recommendations": 0}, reply, None, CATALOG) == [
        "expected 0 recommendations, the reply had 2: ['cls-de', 'cls-en']"
    ]


def test_same_ticket_holds_only_for_the_previous_turns_ticket() -> None:
    before = _reply(route=Route.HANDOFF, ticket="SB-000001")

    same = check_turn({"same_ticket": True}, _reply(route=Route.HANDOFF, ticket="SB-000001"), before, CATALOG)
    other = check_turn({"same_ticket": True}, _reply(route=Route.HANDOFF, ticket="SB-000002"), before, CATALOG)
    lost = check_turn({"same_ticket": True}, _reply(route=Route.HANDOFF), before, CATALOG)
    never = check_turn({"same_ticket": True}, _reply(route=Route.HANDOFF), _reply(), CATALOG)

    assert same == []
    assert other == ["expected the previous turn's ticket 'SB-000001', the reply had 'SB-000002'"]
    assert lost == ["expected the previous turn's ticket 'SB-000001', the reply had None"]
    assert never == ["expected the previous turn's ticket, but it had none (the reply had None)"]


def test_tickets_sources_and_quick_replies_report_what_the_reply_had() -> None:
    reply = _reply(
        route=Route.ANSWER,
        sources=(Source("pricing", "Pricing", 0.9),),
        quick_replies=("How do I reach a person?",),
    )

    failures = check_turn(
        {"ticket": True, "no_sources": True, "source": "plans", "quick_reply": "Pricing", "reply_contains": "$500"},
        reply,
        None,
        CATALOG,
    )

    assert failures == [
        "expected a ticket, the reply had none",
        "expected no sources, the reply cited ['pricing']",
        "expected source 'plans', the reply cited ['pricing']",
        "expected quick reply 'Pricing', the reply offered ['How do I reach a person?']",
        "expected the reply to contain '$500', it said 'Hello!'",
    ]


# -- running -------------------------------------------------------------------------------------


class ScriptedAssistant:
    """Replies from a list, records what it was sent, and opens conversation 'conv-1'."""

    def __init__(self, replies: list[Reply | Exception]) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str | None, str]] = []

    def reply(self, conversation_id: str | None, text: str, client_message_id: str | None = None) -> Reply:
        self.calls.append((conversation_id, text))
        nxt = self.replies.pop(0)
        if isinstance(nxt, Exception):
            raise nxt
        return nxt


def _said(route: Route, **fields: Any) -> Reply:
    return Reply(reply=fields.pop("reply", "ok"), route=route, conversation_id="conv-1", **fields)


def _scenario(*turns: tuple[str, dict[str, Any]], known_issue: str | None = None) -> Scenario:
    return Scenario("scripted", Path("scripted.yaml"), tuple(Turn(s, e) for s, e in turns), known_issue)


def test_a_scenario_opens_one_conversation_and_reuses_its_id_like_ask_batch() -> None:
    bot = ScriptedAssistant([_said(Route.FALLBACK), _said(Route.HANDOFF, ticket="SB-1"), _said(Route.HANDOFF)])
    scenario = _scenario(
        ("weather?", {"route": "fallback"}),
        ("football?", {"route": "handoff", "ticket": True}),
        ("hello?", {"route": "handoff", "same_ticket": True}),
    )

    result = run_scenario(bot, scenario, CATALOG)

    assert bot.calls == [(None, "weather?"), ("conv-1", "football?"), ("conv-1", "hello?")]
    assert not result.passed
    assert result.failures == [
        "turn 3 ('hello?'): expected the previous turn's ticket 'SB-1', the reply had None",
    ]
    assert [r["route"] for r in result.replies] == ["fallback", "handoff", "handoff"]


def test_an_error_from_the_assistant_is_a_failure_of_that_turn() -> None:
    bot = ScriptedAssistant([_said(Route.SMALLTALK), InputError("the message is empty")])
    scenario = _scenario(("hi", {}), ("x" * 5, {}), ("never sent", {}))

    result = run_scenario(bot, scenario, CATALOG)

    assert result.failures == ["turn 2 ('xxxxx'): the assistant raised InputError: the message is empty"]
    assert len(bot.calls) == 2


def test_run_all_counts_and_the_report_keeps_known_issues_apart(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "name: greets\nturns:\n  - say: hi\n    expect: {route: smalltalk}\n")
    _write(tmp_path, "b.yaml", "name: answers\nturns:\n  - say: price?\n    expect: {route: answer}\n")
    _write(
        tmp_path,
        "c.yaml",
        "name: known\nknown_issue: no price yet\nturns:\n  - say: price?\n    expect: {route: answer}\n",
    )
    bot = ScriptedAssistant([_said(Route.SMALLTALK), _said(Route.FALLBACK), _said(Route.FALLBACK)])

    passed, total, results = run_all(bot, tmp_path, CATALOG)
    text = report(results)

    assert (passed, total) == (1, 3)
    assert text.splitlines()[0] == "1 passed, 1 failed, 1 known issues, 0 known issues fixed"
    assert "FAILED answers" in text and "turn 1 ('price?'): expected route 'answer'" in text
    assert "KNOWN ISSUE known: no price yet" in text

"""How customers really write, in English and Chinese: a person asked for or only mentioned, an
error explained or failing now, models named in a how-to question, another provider's product,
follow-ups about the last article, frustration that still answers a flow's step, thanks in a flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.flows import FlowBook
from bot.routing import reading, route
from bot.signals import asks_advice, asks_for_person, explains, outside_the_product
from bot.situation import PERSISTS
from bot.state import FlowProgress
from bot.types import Action, Route
from knowledge.flows import FLOWS_DIR
from tests.bot.turns import hit, parts, prediction, state, understood

pytestmark = pytest.mark.unit

ROUTES = {
    "error_rate_limit": "troubleshoot",
    "human_handoff": "handoff",
    "complaint": "handoff",
    "pricing_billing": "answer",
    "data_privacy_security": "answer",
    "model_selection": "advise",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path, embedder="fake", intent_threshold=0.5, intent_answer_threshold=0.3, answer_threshold=0.6
    )


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to a person",
        "I need a real person, not automated answers",
        "we tried everything for two days, the launch is tomorrow. please escalate this to an engineer",
        "can someone from your sales team give me a call this week?",
        "转人工",
        "不要再给我发文档链接了 马上安排工程师跟我们电话沟通",
        "能联系你们的技术支持吗",
    ],
)
def test_an_explicit_request_for_a_person(text: str) -> None:
    assert asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "your support team asked me for the request id of a failing call, where do I find it?",
        "before I bother your support team: is a second charge a known thing?",
        "an agent on the forum told me aliases move, is that true",
        "is there a webhook or callback for finished batches",
        "how do i run a human evaluation of chatbot answers",
        "分类接口能返回置信度吗 想把低于 0.8 的转人工审核",
        "人工智能模型怎么选",
        "怎么升级到 Growth",
    ],
)
def test_a_person_or_the_support_team_only_mentioned(text: str) -> None:
    assert not asks_for_person(text)


@pytest.mark.parametrize(
    ("text", "explanation"),
    [
        ("Why would the API return 400 in one case and 422 in another?", True),
        ("what does 503 overloaded actually mean", True),
        ("rate_limit_exceeded vs quota_exceeded, what is the difference", True),
        ("401 报 missing_api_key 和 invalid_api_key 有啥区别", True),
        ("429 是什么意思", True),
        ("our calls keep getting 429 since this morning", False),
        ("why do I get 401 invalid_api_key on every call", False),
        ("一直报 429 怎么办", False),
        ("生产环境今天全是 503 挂了", False),
    ],
)
def test_an_explanation_is_asked_unless_something_fails_now(text: str, explanation: bool) -> None:
    assert explains(text) is explanation


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("what's the rate limit on the OpenAI API at tier 3?", True),
        ("Azure OpenAI keeps returning 429, how do I raise my TPM quota in the portal", True),
        ("DeepSeek 的 API 价格 输入输出 token 分别怎么算", True),
        ("can you explain backpropagation for my homework", True),
        ("translate this into French for me please: the invoice is attached", True),
        ("we're migrating from OpenAI, is your chat completions endpoint compatible?", False),
        ("how does mer-chat-m compare with gpt-4o for summaries", False),
        ("从 OpenAI 迁移过来 代码要改哪些", False),
        ("streaming works locally but behind our nginx it arrives all at once", False),
    ],
)
def test_another_providers_product_or_schoolwork_is_outside(text: str, outside: bool) -> None:
    assert outside_the_product(text) is outside


def test_models_named_in_a_how_to_question_are_not_a_request_for_advice() -> None:
    assert not asks_advice("how do I turn on streaming for mer-chat-m and mer-chat-s?")
    assert not asks_advice("mer-chat-zh 是输入输出分开收费的吗")
    assert asks_advice("which model should we use for German tickets, mer-chat-m or mer-chat-s?")
    assert asks_advice("mer-chat-m 和 mer-chat-s 哪个更快")
    assert asks_advice("chat medium vs chat large") and asks_advice("mer-chat-m 还是 mer-chat-l")
    assert not asks_advice("whats the training cutoff for mer-chat-m vs mer-chat-l, and does either browse the web")


def test_a_question_naming_models_is_answered_when_retrieval_is_sure(settings: Settings) -> None:
    p = prediction("model_selection", 0.9)
    how_to = understood("how do I turn on streaming for mer-chat-m and mer-chat-s?", [hit("streaming", 0.8, 0.8)], p)
    choice = understood("which is faster, mer-chat-m or mer-chat-s?", [hit("streaming", 0.8, 0.8)], p)

    assert reading(how_to, settings, {k: Route(v) for k, v in ROUTES.items()}).route is Route.ANSWER
    assert reading(choice, settings, {k: Route(v) for k, v in ROUTES.items()}).route is Route.ADVISE


@pytest.mark.parametrize("text", ["chat medium or chat large?", "mer-chat-m 还是 mer-chat-l"])
def test_two_named_models_offered_as_a_choice_are_compared_in_either_language(settings: Settings, text: str) -> None:
    d = route(understood(text, [hit("models-for-chat", 0.95, 0.95)]), state(), parts(settings, ROUTES, catalog=True))

    assert (d.route, d.action) == (Route.ADVISE, Action.ADVISOR)


def test_another_providers_rate_limit_is_refused_even_with_a_sure_hit(settings: Settings) -> None:
    message = understood(
        "what's the rate limit on the OpenAI API?", [hit("rate-limits", 0.9, 0.9)], prediction("error_rate_limit", 0.9)
    )

    assert reading(message, settings, {k: Route(v) for k, v in ROUTES.items()}).route is Route.FALLBACK


@pytest.mark.parametrize(
    "text", ["and on the Enterprise plan?", "那企业版呢", "is that the same as hitting my rate limit?"]
)
def test_a_follow_up_is_answered_from_the_article_just_answered(settings: Settings, text: str) -> None:
    after_retention = state(last_topic="data-retention")

    d = route(understood(text, [hit("plans", 0.5, 0.5)]), after_retention, parts(settings, ROUTES))

    assert (d.route, d.action) == (Route.ANSWER, Action.TOPIC)


def test_a_new_question_after_an_answer_is_not_a_follow_up(settings: Settings) -> None:
    after_retention = state(last_topic="data-retention")
    elsewhere = understood("and how do I rotate my key?", [hit("rotate-api-keys", 0.9, 0.9)])
    changed = understood("另外 要在手机上离线做目标检测 用哪个模型", [hit("models-for-vision", 0.5, 0.5)])

    assert route(elsewhere, after_retention, parts(settings, ROUTES)).action is not Action.TOPIC
    assert route(changed, after_retention, parts(settings, ROUTES, catalog=True)).action is not Action.TOPIC


@pytest.mark.parametrize("text", ["no, still broken", "still failing", "问题还在", "还是不行"])
def test_a_problem_that_persists_is_a_yes_to_the_person_offered(settings: Settings, text: str) -> None:
    offered = state(offered_person="flow_unresolved")

    d = route(understood(text), offered, parts(settings, ROUTES))

    assert PERSISTS.search(text) and (d.route, d.action) == (Route.HANDOFF, Action.HAND_OVER)


@pytest.mark.parametrize("thanks", ["thanks", "谢谢"])
def test_thanks_during_a_flow_end_it(settings: Settings, thanks: str) -> None:
    book = FlowBook.from_folder(FLOWS_DIR)
    running = state(flow=FlowProgress("rate-limit", "read-code"))

    d = route(understood(thanks, flows=book), running, parts(settings, ROUTES, flows=book))

    assert (d.route, d.closes_flow) == (Route.SMALLTALK, True)

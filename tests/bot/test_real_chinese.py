"""Chinese customers with the real packaged models: the multilingual encoder, the Chinese index
and intent model, and the Chinese sentences. Each question below was written for these tests
(none is in knowledge/eval/); the expected article is the one a support engineer would send."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import load_settings
from bot.types import Route
from knowledge import PACKAGE_DIR
from knowledge.catalog import load_catalog

pytestmark = pytest.mark.integration

HAN = re.compile(r"[\u4e00-\u9fff]")


def chinese(text: str) -> bool:
    """Whether a reply is written in Chinese: it has more Chinese characters than English words
    (product names, menu paths and code stay English in Chinese text)."""
    prose = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+", " ", text)
    return len(HAN.findall(prose)) > len(re.findall(r"[A-Za-z]+", prose))


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("Starter 套餐的速率限制是多少？", "rate-limits"),
        ("发票在哪里下载 要 PDF 的", "invoices"),
        ("你们会不会拿我们的数据去训练模型", "training-on-customer-data"),
        ("预付的额度会过期吗", "prepaid-credits"),
        ("怎么把同事拉进我们的组织", "inviting-members"),
        ("数据能不能只存在法兰克福", "data-residency-and-regions"),
    ],
)
def test_a_chinese_question_is_answered_in_chinese_from_its_article(
    assistant: Assistant, question: str, article: str
) -> None:
    reply = assistant.reply(None, question)
    assert reply.language == "zh"
    assert reply.route is Route.ANSWER, reply.route
    assert reply.sources[0].id == article, [s.id for s in reply.sources]
    assert chinese(reply.reply), reply.reply


def test_starter_rate_limit_quotes_the_number(assistant: Assistant) -> None:
    reply = assistant.reply(None, "Starter 套餐的速率限制是多少？")
    assert "300" in reply.reply


@pytest.mark.parametrize("message", ["我要找人工", "转人工", "你们这个机器人太没用了，我要投诉"])
def test_asking_for_a_person_in_chinese_hands_over(assistant: Assistant, message: str) -> None:
    reply = assistant.reply(None, message)
    assert reply.route is Route.HANDOFF, (reply.route, reply.intent)
    assert reply.ticket and chinese(reply.reply)


def test_the_advisor_recommends_from_chinese_facts(assistant: Assistant) -> None:
    reply = assistant.reply(None, "想在本地机房部署一个能分类德语工单的模型，推荐哪个？")
    assert reply.route is Route.ADVISE and chinese(reply.reply)
    # Task, language and hosting leave three models or fewer: recommended at once, no question.
    assert reply.recommendations, reply.reply
    catalog = {m.id: m for m in load_catalog(PACKAGE_DIR / "catalog.yaml")}
    for rec in reply.recommendations:
        model = catalog[rec["model_id"]]
        assert "on_prem" in model.hosting and "de" in model.languages
        assert {"classification", "sentiment", "moderation"} & set(model.tasks)
    assert chinese(reply.reply)


@pytest.mark.parametrize(
    "message",
    [
        "一直报 429 怎么办",
        '调用一直失败 {"error":{"code":"rate_limit_exceeded","message":"Rate limit reached for requests"}} 怎么办',
    ],
)
def test_a_chinese_failure_starts_the_flow_in_chinese(assistant: Assistant, message: str) -> None:
    reply = assistant.reply(None, message)
    assert reply.route is Route.TROUBLESHOOT
    assert reply.flow is not None and reply.flow["id"] == "rate-limit"
    assert all(HAN.search(option) for option in reply.quick_replies[:2]), reply.quick_replies
    assert chinese(reply.reply)


def test_the_conversation_keeps_and_switches_its_language(assistant: Assistant) -> None:
    first = assistant.reply(None, "一直报 401 是怎么回事")
    cid = first.conversation_id
    assert first.language == "zh"
    assert assistant.reply(cid, "还是不行").language == "zh"
    assert assistant.reply(cid, "401").language == "zh"  # too short to tell: the conversation's language
    switched = assistant.reply(cid, "how do I rotate my API key safely")
    assert switched.language == "en" and not HAN.search(switched.reply)


def test_another_language_is_answered_in_english_saying_so(assistant: Assistant) -> None:
    reply = assistant.reply(None, "Bonjour, comment puis-je obtenir une clé API pour mon projet ?")
    assert reply.language == "en"
    assert reply.reply.startswith(assistant.copy.say("language.other"))


def test_a_chinese_question_finds_an_english_only_faq_and_says_so(tmp_path: Path, assistant: Assistant) -> None:
    faq = tmp_path / "faq.jsonl"
    faq.write_text(
        "\n".join(
            [
                '{"id": "refunds", "question": "Can I get a refund?", "answer": "Refunds are issued within 14 days of purchase to the original card."}',  # noqa: E501
                '{"id": "shipping", "question": "How long does shipping take?", "answer": "Orders ship in 2 business days and arrive within a week."}',  # noqa: E501
                '{"id": "warranty", "question": "What does the warranty cover?", "answer": "The warranty covers manufacturing defects for two years."}',  # noqa: E501
            ]
        ),
        encoding="utf-8",
    )
    settings = load_settings(knowledge_dir=faq, data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path}/faq.db")
    zh_embedder = assistant.parts_for("zh").embedder
    bot = Assistant(settings, embedder=assistant.embedder, zh_embedder=zh_embedder)
    reply = bot.reply(None, "买了东西多久能发货？")
    assert reply.language == "zh"
    assert reply.sources and reply.sources[0].id == "shipping"
    assert bot.copy.say("answers.source_in_english") not in reply.reply  # the English copy says it in English
    assert bot.parts_for("zh").copy.say("answers.source_in_english") in reply.reply


def test_a_chinese_source_links_to_the_chinese_article(assistant: Assistant) -> None:
    reply = assistant.reply(None, "Starter 套餐的速率限制是多少？")
    assert reply.sources[0].url.startswith("/kb/rate-limits?lang=zh")
    document = assistant.document("rate-limits", "zh")
    assert document is not None and HAN.search(document[0]) and "300" in document[1]
    english = assistant.document("rate-limits")
    assert english is not None and not HAN.search(english[0])


def test_a_staff_suggestion_follows_the_conversation_language(assistant: Assistant) -> None:
    suggestion = assistant.suggest(["一直报 429", "429"], language="zh")
    assert suggestion is not None and suggestion.language == "zh"

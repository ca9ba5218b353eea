"""Which language a message is in: Chinese with English mixed in, English, another language,
or a fragment too short to tell (the conversation's language then stands)."""

from __future__ import annotations

import pytest

from index.language import Language, detect, reply_language


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "API key 在哪里看",
        "一直报 429 怎么办",
        "Starter 套餐的速率限制是多少？",
        '调用一直失败 {"error":{"code":"rate_limit_exceeded","message":"Rate limit reached for requests"}} 怎么办',
        "mer-chat-s vs mer-chat-m 哪个便宜",
        "我要找人工",
    ],
)
def test_chinese_with_english_mixed_in_is_chinese(text: str) -> None:
    assert detect(text) is Language.ZH


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "how do I rotate my api key",
        "rate limt on starter plan per minute",
        "429 Too Many Requests: rate_limit_exceeded",
        "no such model",
        "sdk install hangs forever",
        '{"error": {"type": "server_error", "code": "internal_error"}}',
        "thanks",
    ],
)
def test_english_including_terse_and_pasted_errors_is_english(text: str) -> None:
    assert detect(text) is Language.EN


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, comment puis-je obtenir une clé API pour mon projet ?",
        "Wie viel kostet das Modell pro Monat",
        "¿Cuánto cuesta el modelo grande?",
        "APIキーはどこで確認できますか",
        "API 키는 어디에서 확인하나요",
        "Как получить ключ API",
    ],
)
def test_other_languages_are_other(text: str) -> None:
    assert detect(text) is Language.OTHER


@pytest.mark.unit
def test_a_fragment_keeps_the_conversation_language() -> None:
    assert detect("429") is Language.UNKNOWN
    assert reply_language("429", "zh") is Language.ZH
    assert reply_language("ok", "en") is Language.EN
    assert reply_language("ok", None) is Language.EN  # a new conversation starts in English


@pytest.mark.unit
def test_a_full_sentence_switches_the_language() -> None:
    assert reply_language("what does this error mean", "zh") is Language.EN
    assert reply_language("这个错误是什么意思", "en") is Language.ZH

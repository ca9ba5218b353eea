"""The API speaks the customer's language: each reply, streamed piece, transcript turn and
conversation names its language (FastAPI's test client over the real app and a real SQLite store)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from ui.app import create_app
from ui.routers.chat import CHARACTERS, pieces

pytestmark = pytest.mark.unit

CHINESE = "发票在哪里下载 PDF 格式的"
ENGLISH = "how do I download an invoice as PDF"


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    return TestClient(create_app(fake_assistant), raise_server_exceptions=False)


def test_a_chinese_message_gets_a_reply_marked_chinese_and_an_english_one_english(client: TestClient) -> None:
    chinese = client.post("/api/v1/chat", json={"message": CHINESE})
    english = client.post("/api/v1/chat", json={"message": ENGLISH})

    assert chinese.status_code == english.status_code == 200
    assert chinese.json()["language"] == "zh"
    assert any("\u4e00" <= c <= "\u9fff" for c in chinese.json()["reply"])  # written in Chinese
    assert english.json()["language"] == "en"


def test_the_transcript_names_the_conversations_language_and_each_replys(client: TestClient) -> None:
    first = client.post("/api/v1/chat", json={"message": ENGLISH}).json()
    cid = first["conversation_id"]
    client.post("/api/v1/chat", json={"conversation_id": cid, "message": CHINESE})

    transcript = client.get(f"/api/v1/conversations/{cid}").json()

    assert transcript["language"] == "zh"  # the latest
    assert [t["reply"]["language"] for t in transcript["turns"]] == ["en", "zh"]


def test_a_chinese_reply_streams_in_pieces_of_characters_each_naming_its_language(client: TestClient) -> None:
    with client.stream("POST", "/api/v1/chat/stream", json={"message": CHINESE}) as r:
        raw = "".join(r.iter_text())

    events = [block.split("\n", 1) for block in raw.strip().split("\n\n")]
    names = [e[0].removeprefix("event: ") for e in events]
    datas = [json.loads(e[1].removeprefix("data: ")) for e in events]
    reply = datas[-1]
    assert names[-1] == "reply" and set(names[:-1]) == {"delta"}
    assert reply["language"] == "zh"
    assert {d["language"] for d in datas[:-1]} == {"zh"}
    assert "".join(d["text"] for d in datas[:-1]) == reply["reply"]
    assert len(names) - 1 == -(-len(reply["reply"]) // CHARACTERS)  # pieces of characters, not of words


def test_pieces_of_a_chinese_text_are_a_few_characters_each_and_lose_nothing() -> None:
    text = "这个问题我暂时答不上来，也不想乱猜。可以联系支持团队：support@meridian.example"

    parts = list(pieces(text, language="zh"))

    assert "".join(parts) == text and max(len(p) for p in parts) <= CHARACTERS and len(parts) > 3
    assert list(pieces("one two three", words=2)) == ["one two ", "three"]


def test_metrics_count_replies_by_language(client: TestClient) -> None:
    client.post("/api/v1/chat", json={"message": CHINESE})
    client.post("/api/v1/chat", json={"message": ENGLISH})

    text = client.get("/metrics").text

    lines = [line for line in text.splitlines() if line.startswith("supportbot_replies_by_language_total{")]
    by_language: dict[str, int] = {}
    for line in lines:
        language = line.split('language="')[1].split('"')[0]
        by_language[language] = by_language.get(language, 0) + int(line.rsplit(" ", 1)[1])
    assert by_language == {"en": 1, "zh": 1}

"""``supportbot ask``: one reply for people or as JSON, and JSONL batches (ui/cli/conversation.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import REPLY_FIELDS, UNRELATED
from ui.cli import main

pytestmark = pytest.mark.unit


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_ask_json_prints_one_reply_object(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "how do I download an invoice as a PDF", "--json"])

    out = capsys.readouterr().out
    data = json.loads(out)
    assert code == 0
    assert data["route"] == "answer"
    assert data["sources"][0]["id"] == "invoices"
    assert set(data) == REPLY_FIELDS | {"language"}
    assert (env / "index" / "manifest.json").is_file()


def test_ask_prints_the_answer_and_its_sources_for_people(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "how do I download an invoice as a PDF", "--conversation", "c7"]) == 0

    out = capsys.readouterr().out
    assert "Open Billing, then Invoices" in out
    assert "source: Invoices and receipts (/kb/invoices#downloading-an-invoice-as-pdf)" in out
    assert "[How do I reach a person?]" in out


def test_ask_batch_keeps_one_conversation_per_name(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.jsonl"
    rows = [
        {"conversation": "alice", "text": "hi"},
        {"conversation": "bob", "text": "where is my invoice"},
        {"conversation": "alice", "text": "I lost my secret key"},
        {"conversation": "bob", "text": UNRELATED},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")

    assert main(["ask", "--batch", str(batch)]) == 0

    replies = json_lines(capsys.readouterr().out)
    assert [r["route"] for r in replies] == ["smalltalk", "answer", "answer", "fallback"]
    assert replies[0]["conversation_id"] == replies[2]["conversation_id"]
    assert replies[1]["conversation_id"] == replies[3]["conversation_id"]
    assert replies[0]["conversation_id"] != replies[1]["conversation_id"]


def test_ask_batch_reports_a_bad_line_by_number(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"conversation": "a", "text": "hi"}\n{"conversation": "a"}\n', encoding="utf-8")

    code = main(["ask", "--batch", str(batch)])

    captured = capsys.readouterr()
    assert code != 0
    assert f"{batch}:2" in captured.err
    assert len(json_lines(captured.out)) == 1


def test_ask_batch_with_a_missing_file_fails_cleanly(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ask", "--batch", str(tmp_path / "missing.jsonl")])

    assert code != 0
    assert "missing.jsonl" in capsys.readouterr().err


def test_ask_refuses_an_over_long_message_on_stderr(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUPPORTBOT_MAX_MESSAGE_CHARS", "20")

    code = main(["ask", "a message that is clearly longer than twenty characters"])

    captured = capsys.readouterr()
    assert code != 0
    assert "the limit is 20" in captured.err
    assert captured.out == ""


def test_ask_without_text_explains_what_it_needs(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask"]) != 0
    assert "--batch" in capsys.readouterr().err

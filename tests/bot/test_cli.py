"""The ``supportbot`` command line, run in-process with settings from SUPPORTBOT_* variables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.helpers import REPLY_FIELDS, UNRELATED, write_article

pytestmark = pytest.mark.unit


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, kb_dir: Path, tmp_path: Path) -> Path:
    """Point the CLI at the inline knowledge base with the fake embedder; returns the data folder."""
    data = tmp_path / "data"
    monkeypatch.setenv("SUPPORTBOT_KNOWLEDGE_DIR", str(kb_dir))
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(data))
    monkeypatch.setenv("SUPPORTBOT_EMBEDDER", "fake")
    monkeypatch.setenv("SUPPORTBOT_ANSWER_THRESHOLD", "0.45")  # tuned on the real encoder, not the fake
    return data


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_ask_json_prints_one_reply_object(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "how do I download an invoice as a PDF", "--json"])

    out = capsys.readouterr().out
    data = json.loads(out)
    assert code == 0
    assert data["route"] == "answer"
    assert data["sources"][0]["id"] == "invoices"
    assert set(data) == REPLY_FIELDS
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


def test_search_json_ranks_documents(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "the reset e-mail never arrives", "--k", "3", "--json"]) == 0

    results = json.loads(capsys.readouterr().out)
    assert len(results) == 3
    assert results[0]["id"] == "reset-password"
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_search_batch_prints_json_lines_of_ranked_ids(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text(
        "how do I download an invoice as a PDF\n\n" + json.dumps({"text": "I lost my secret key"}) + "\n",
        encoding="utf-8",
    )

    assert main(["search", "--batch", str(queries), "--k", "2"]) == 0

    lines = json_lines(capsys.readouterr().out)
    assert [line["query"] for line in lines] == [
        "how do I download an invoice as a PDF",
        "I lost my secret key",
    ]
    assert [line["results"][0]["id"] for line in lines] == ["invoices", "api-keys"]
    for line in lines:
        assert len(line["results"]) == 2
        assert line["results"][0]["score"] >= line["results"][1]["score"]


def test_search_batch_reports_a_malformed_json_line_by_number(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"text": "where is my invoice"}\n{"text": "lost key"\n', encoding="utf-8")

    code = main(["search", "--batch", str(queries)])

    assert code != 0
    assert f"{queries}:2" in capsys.readouterr().err


def test_index_build_from_an_faq_file_then_search_it(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = tmp_path / "faq.jsonl"
    faq.write_text(
        json.dumps({"id": "refunds", "question": "Can I get a refund?", "answer": "Refunds are paid within 14 days."})
        + "\n"
        + json.dumps({"id": "opening-hours", "question": "When is the office open?", "answer": "Nine to five."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "faq-index"

    assert main(["index", "build", "--kb", str(faq), "--out", str(out)]) == 0
    assert "indexed 2 documents" in capsys.readouterr().err
    assert json.loads((out / "manifest.json").read_text())["documents"] == 2

    assert main(["search", "how do I get a refund", "--index", str(out), "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["refunds", "opening-hours"]


def test_index_build_of_a_malformed_faq_names_file_and_line(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = tmp_path / "faq.jsonl"
    faq.write_text('{"id": "a", "question": "q", "answer": "x"}\n{"id": "b", "question": "q2"}\n', encoding="utf-8")

    code = main(["index", "build", "--kb", str(faq), "--out", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code != 0
    assert "faq.jsonl:2" in err and "'answer'" in err
    assert not (tmp_path / "out").exists()


def test_a_malformed_article_makes_ask_exit_with_file_and_line(
    env: Path, kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "Enough words to pass the length check of an article body, " * 3
    write_article(
        kb_dir / "articles", "broken", f"---\nid: broken\ntitle: Broken\nquestions: not a list\n---\n{body}\n"
    )

    code = main(["ask", "where is my invoice"])

    err = capsys.readouterr().err
    assert code != 0
    assert "broken.md:4" in err and "'questions'" in err
    assert "Traceback" not in err


def test_a_bad_setting_makes_the_cli_exit_naming_it(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUPPORTBOT_THREADS", "0")

    code = main(["ask", "hi"])

    assert code != 0
    assert "SUPPORTBOT_THREADS" in capsys.readouterr().err


def test_ask_without_text_explains_what_it_needs(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask"]) != 0
    assert "--batch" in capsys.readouterr().err

"""``supportbot search``: ranked documents for a query or a batch of queries (ui/cli/search.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui.cli import main

pytestmark = pytest.mark.unit


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


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

"""``supportbot index build``: an index of an FAQ file, searchable with ``search --index`` (ui/cli/index.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui.cli import main

pytestmark = pytest.mark.unit


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

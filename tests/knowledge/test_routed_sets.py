"""The routed evaluation sets (fresh and dev): each message's route, documents and flow, checked
when loaded so a typo names its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.errors import KnowledgeError
from knowledge.evalset import load_routed

pytestmark = pytest.mark.unit

DOCS = {"rate-limits", "pricing"}
FLOWS = {"rate-limit"}


def write(tmp_path: Path, *rows: dict[str, object]) -> Path:
    path = tmp_path / "en.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_messages_load_with_their_route_documents_flow_and_class(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {"text": "what are the limits", "route": "answer", "ids": ["rate-limits"], "class": "short"},
        {"text": "429 all morning", "route": "troubleshoot", "ids": [], "flow": "rate-limit"},
        {"text": "rate limit of another provider", "route": "fallback"},
    )

    answer, report, refused = load_routed(path, DOCS, FLOWS)

    assert (answer.route, answer.ids, answer.tag, answer.in_scope) == ("answer", ("rate-limits",), "short", True)
    assert (report.flow, report.ids) == ("rate-limit", ())
    assert not refused.in_scope


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"text": "x", "route": "answr", "ids": ["pricing"]}, "route must be one of"),
        ({"text": "x", "route": "answer", "ids": []}, "an answer needs the ids"),
        ({"text": "x", "route": "answer", "ids": ["no-such"]}, "names no known document: 'no-such'"),
        ({"text": "x", "route": "troubleshoot", "flow": "nope"}, "needs a known flow"),
    ],
)
def test_a_bad_line_names_the_file_and_line(tmp_path: Path, row: dict[str, object], reason: str) -> None:
    path = write(tmp_path, {"text": "fine", "route": "fallback"}, row)

    with pytest.raises(KnowledgeError, match=reason) as raised:
        load_routed(path, DOCS, FLOWS)

    assert "en.jsonl" in str(raised.value) and "2" in str(raised.value)

"""``supportbot intents train|predict|eval``, run in-process with the fake embedder.

The autouse fixture of conftest.py makes ``tmp_path`` the working directory, so relative
paths below are what a user typing the commands in a project folder would pass.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.helpers import INTENT_EXAMPLES, INTENT_NEGATIVES, INTENT_ROUTES, REFUND_INTENTS, UNRELATED
from ui.cli import main

pytestmark = pytest.mark.unit

ROWS = {**INTENT_EXAMPLES, "out_of_scope": INTENT_NEGATIVES}
ROUTES = INTENT_ROUTES
IN_SCOPE = sum(len(texts) for texts in INTENT_EXAMPLES.values())
BATCH = {
    "where is the invoice for april": "invoice",
    "reset my password link": "password_reset",
    "getting 429 rate limit errors": "rate_limit",
    "I want a human person": "human_handoff",
}
PREDICTION_KEYS = {"text", "intent", "confidence", "out_of_scope"}


def write_csv(path: Path, rows: dict[str, list[str]]) -> Path:
    lines = ["text,intent,route"]
    for intent, texts in rows.items():
        lines += [f"{t},{intent},{ROUTES.get(intent, '') if i == 0 else ''}" for i, t in enumerate(texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def last_json(text: str) -> dict:
    """The JSON summary on the last line of stderr (progress bars come before it)."""
    return json.loads([line for line in text.replace("\r", "\n").splitlines() if line.strip()][-1])


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The fake embedder and a data folder in tmp_path; returns the data folder."""
    data = tmp_path / "data"
    monkeypatch.setenv("SUPPORTBOT_EMBEDDER", "fake")
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(data))
    return data


@pytest.fixture
def trained(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A model trained by ``intents train`` into ./model (relative to the working directory)."""
    write_csv(tmp_path / "examples.csv", ROWS)
    assert main(["intents", "train", "examples.csv", "--out", "model"]) == 0
    capsys.readouterr()
    return tmp_path / "model"


def test_train_writes_a_model_folder_and_reports_what_it_learned(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_csv(tmp_path / "examples.csv", ROWS)

    code = main(["intents", "train", "examples.csv", "--out", "model"])

    captured = capsys.readouterr()
    assert code == 0
    info = last_json(captured.err)
    assert (info["examples"], info["intents"], info["negatives"]) == (
        IN_SCOPE,
        len(INTENT_EXAMPLES),
        len(INTENT_NEGATIVES),
    )
    assert info["out"] == "model"
    assert info["calibrated_on"] == "out-of-fold"
    assert 0.0 < info["threshold"] < 1.0
    manifest = json.loads((tmp_path / "model" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder"] == "fake-hash"
    assert manifest["routes"] == {
        "invoice": "answer",
        "password_reset": "answer",
        "rate_limit": "troubleshoot",
        "human_handoff": "handoff",
        "data_retention": "answer",
    }
    assert captured.out == ""  # stdout stays free for piping


def test_predict_batch_prints_one_json_line_per_text_in_input_order(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = [*BATCH, UNRELATED]
    (tmp_path / "batch.txt").write_text("\n".join([texts[0], "", *texts[1:]]) + "\n", encoding="utf-8")

    code = main(["intents", "predict", "--model", "model", "--batch", "batch.txt"])

    rows = json_lines(capsys.readouterr().out)
    assert code == 0
    assert all(set(r) == PREDICTION_KEYS for r in rows)
    assert [r["text"] for r in rows] == texts  # the blank line is skipped, the order kept
    assert [r["intent"] for r in rows] == [*BATCH.values(), None]
    assert [r["out_of_scope"] for r in rows] == [False] * len(BATCH) + [True]
    assert all(isinstance(r["confidence"], float) and 0.0 <= r["confidence"] <= 1.0 for r in rows)


def test_predict_reads_standard_input_with_a_dash(
    trained: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("I want a human person\nreset my password link\n"))

    code = main(["intents", "predict", "--model", "model", "--batch", "-"])

    rows = json_lines(capsys.readouterr().out)
    assert code == 0
    assert [(r["text"], r["intent"]) for r in rows] == [
        ("I want a human person", "human_handoff"),
        ("reset my password link", "password_reset"),
    ]


def test_predict_a_single_text(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["intents", "predict", "getting 429 rate limit errors", "--model", "model"]) == 0

    (row,) = json_lines(capsys.readouterr().out)
    assert row["intent"] == "rate_limit" and row["out_of_scope"] is False


def test_predict_of_a_folder_without_a_model_fails_cleanly(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()

    code = main(["intents", "predict", "hello", "--model", "empty"])

    captured = capsys.readouterr()
    assert code == 2
    assert "empty: no intent model here" in captured.err
    assert captured.out == ""


def test_predict_of_an_empty_batch_says_what_it_needs(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "blank.txt").write_text("\n  \n", encoding="utf-8")

    assert main(["intents", "predict", "--model", "model", "--batch", "blank.txt"]) == 2
    assert "needs TEXT or --batch FILE" in capsys.readouterr().err


def test_train_with_validation_calibrates_on_it(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(tmp_path / "examples.csv", ROWS)
    write_csv(tmp_path / "held.csv", {name: texts[:2] for name, texts in ROWS.items()})

    code = main(["intents", "train", "examples.csv", "--out", "model", "--validation", "held.csv"])

    assert code == 0
    assert last_json(capsys.readouterr().err)["calibrated_on"] == "validation"


def test_malformed_csv_returns_2_and_names_the_file_and_line(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "examples.csv", ROWS)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = ",invoice,"  # line 5 of the file: no text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code = main(["intents", "train", "examples.csv", "--out", "model"])

    captured = capsys.readouterr()
    assert code == 2
    assert "examples.csv:5:" in captured.err
    assert "empty text" in captured.err
    assert not (tmp_path / "model").exists()


def test_unknown_route_in_csv_fails_training_with_the_line(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "examples.csv", ROWS)
    text = path.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if ",troubleshoot" in row)
    path.write_text(text.replace(",troubleshoot", ",debug"), encoding="utf-8")

    assert main(["intents", "train", "examples.csv", "--out", "model"]) == 2

    err = capsys.readouterr().err
    assert f"examples.csv:{line}:" in err and "unknown route 'debug'" in err


def test_eval_json_reports_accuracy_and_the_confused_pairs(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = {
        **ROWS,
        **REFUND_INTENTS,
    }
    write_csv(tmp_path / "examples.csv", rows)
    examples = IN_SCOPE + sum(len(texts) for texts in REFUND_INTENTS.values())

    code = main(["intents", "eval", "--data", "examples.csv", "--folds", "2", "--json"])

    (report,) = json_lines(capsys.readouterr().out)
    assert code == 0
    assert report["folds"] == 2 and report["examples"] == examples
    assert 0.7 <= report["accuracy"] < 1.0
    assert report["confused"], "an imperfect accuracy comes with confused pairs"
    assert all(set(c) == {"true", "predicted", "count"} for c in report["confused"])
    assert all(c["true"] != c["predicted"] and c["count"] >= 1 for c in report["confused"])
    assert sum(c["count"] for c in report["confused"]) == round((1 - report["accuracy"]) * examples)
    assert report["out_of_scope_recall"] is not None


def test_eval_prints_a_readable_summary(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(tmp_path / "examples.csv", ROWS)

    assert main(["intents", "eval", "--data", "examples.csv", "--folds", "2"]) == 0

    out = capsys.readouterr().out
    assert f"{IN_SCOPE} examples, {len(INTENT_EXAMPLES)} intents, 2-fold stratified" in out
    assert "accuracy " in out and "macro-F1 " in out
    assert "out-of-scope negatives refused" in out
    assert "most confused (true -> predicted):" in out


def test_eval_of_a_malformed_file_names_it(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "examples.yaml").write_text("intents:\n  a:\n    examples: [one, two\n", encoding="utf-8")

    assert main(["intents", "eval", "--data", "examples.yaml", "--folds", "2"]) == 2
    assert "examples.yaml:" in capsys.readouterr().err


@pytest.mark.parametrize("folds", ["1", "2", "5"])
def test_eval_with_too_few_examples_for_the_folds_fails_cleanly(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], folds: str
) -> None:
    write_csv(tmp_path / "small.csv", {"greeting": ["hello there", "hi there"], "goodbye": ["bye now", "see you"]})

    code = main(["intents", "eval", "--data", "small.csv", "--folds", folds])

    err = capsys.readouterr().err
    assert code in (0, 2)
    if code == 2:
        assert "supportbot:" in err and "fold" in err

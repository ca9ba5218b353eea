"""What every command shares (ui/cli/__init__.py): bad input exits with one line naming it, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_article
from ui.cli import main

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
# what model, index, web and database code pull in; printing the usage needs none of it
HEAVY = {
    "torch",
    "sklearn",
    "scipy",
    "numpy",
    "faiss",
    "onnxruntime",
    "nltk",
    "bm25s",
    "fastapi",
    "gradio",
    "sqlalchemy",
}


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


def test_help_starts_without_loading_any_model_library(tmp_path: Path) -> None:
    """``python -m ui.cli`` (what ``make run`` uses) answers ``--help`` without torch, scikit-learn & co."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ui.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert result.returncode == 0
    assert "widget-key" in result.stdout and "serve" in result.stdout
    assert not {m.split(".")[0] for m in imported} & HEAVY

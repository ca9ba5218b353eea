"""The intent values routing reads come without the machine-learning stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.errors import SupportbotError
from bot.intents.types import IntentDataError, IntentModelError, Prediction

pytestmark = pytest.mark.unit

HEAVY = ("numpy", "scipy", "sklearn", "faiss", "nltk", "bm25s", "joblib", "torch", "onnxruntime")


def test_importing_the_types_loads_no_heavy_library() -> None:
    # A fresh interpreter: this test session has imported everything already.
    code = f"import sys, bot.intents.types; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert out.strip() == "[]"


def test_errors_belong_to_the_family_and_to_their_built_ins() -> None:
    assert issubclass(IntentModelError, SupportbotError) and issubclass(IntentModelError, RuntimeError)
    assert issubclass(IntentDataError, SupportbotError) and issubclass(IntentDataError, ValueError)


def test_margin_is_the_lead_over_the_runner_up() -> None:
    p = Prediction("x", "a", 0.6, False, best="a", runner_up="b", runner_up_confidence=0.25)

    assert p.margin == pytest.approx(0.35)

"""The intent classifier's values and errors: what routing and the handlers read.

Standard library only, so that a pure decision module (``bot.routing``) imports no model code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.errors import SupportbotError


class IntentModelError(SupportbotError, RuntimeError):
    """An intent model folder is missing, corrupt, or made for another embedder."""


class IntentDataError(SupportbotError, ValueError):
    """Intent examples cannot be used as asked (too few for the requested folds)."""


@dataclass(frozen=True)
class Prediction:
    """The classifier's reading of one message."""

    text: str
    intent: str | None
    confidence: float
    out_of_scope: bool
    best: str = ""  # the most likely intent, also when out of scope
    negative: bool = False  # the out-of-scope class (trained on negatives) won outright
    threshold: float = 0.0  # the model's own out-of-scope threshold
    runner_up: str | None = None
    runner_up_confidence: float = 0.0

    @property
    def margin(self) -> float:
        """How much more likely the best intent is than the runner-up."""
        return self.confidence - self.runner_up_confidence

    def to_json(self) -> dict[str, Any]:
        """The fields of the ``intents predict`` contract, as plain JSON values."""
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "out_of_scope": self.out_of_scope,
        }

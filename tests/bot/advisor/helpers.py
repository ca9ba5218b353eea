"""Tiny inline catalogs for the advisor's edge cases, and the default ranking weights."""

from __future__ import annotations

from bot.advisor import Weights
from knowledge.catalog import Model, Price

WEIGHTS = Weights()


def model(model_id: str, **fields: object) -> Model:
    """A tiny inline catalog entry; anything not given is a plain English cloud chat model."""
    base: dict[str, object] = {
        "id": model_id,
        "name": model_id.replace("-", " ").title(),
        "tasks": ("chat",),
        "languages": ("en",),
        "hosting": ("cloud",),
        "context_tokens": 8000,
        "latency_ms_p50": 100.0,
        "price": Price(1.0, "1M output tokens"),
        "fine_tunable": False,
        "regions": ("us-east",),
        "strengths": (f"{model_id} strength",),
        "limits": (f"{model_id} main limit",),
    }
    return Model(**{**base, **fields})  # type: ignore[arg-type]


def by_id(models: list[Model], model_id: str) -> Model:
    return next(m for m in models if m.id == model_id)

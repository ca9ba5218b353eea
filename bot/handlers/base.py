"""The handler interface and registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.config import Settings
from bot.types import Reply, Route
from index.types import Hit


@dataclass(frozen=True)
class Context:
    """Everything a handler may use to write its reply."""

    conversation_id: str
    text: str
    hits: tuple[Hit, ...]
    settings: Settings
    intent: str | None = None
    confidence: float = 0.0
    runner_up: str | None = None
    topics: Mapping[str, str] = field(default_factory=dict)  # intent -> its label: in intents.yaml


Handler = Callable[[Context], Reply]
HANDLERS: dict[Route, Handler] = {}


def register(route: Route) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the handler of ``route``."""

    def wrap(fn: Handler) -> Handler:
        HANDLERS[route] = fn
        return fn

    return wrap


def get_handler(route: Route | str) -> Handler:
    """The handler registered for ``route``.

    Raises:
        KeyError: naming the known routes, when none is registered.
    """
    key = Route(route)
    if key not in HANDLERS:
        known = ", ".join(sorted(r.value for r in HANDLERS))
        raise KeyError(f"no handler for route {key.value!r}; known: {known}. Register one with @register")
    return HANDLERS[key]

"""Route handlers, chosen by name from a registry: ``get_handler(route)(turn) -> Outcome``."""

from bot.handlers import advise, answer, clarify, fallback, handoff, smalltalk, troubleshoot
from bot.handlers.base import HANDLERS, Handler, Outcome, Turn, get_handler

# Every key of assistant.yaml the handlers ask for: checked when the copy loads (bot.startup).
COPY_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(
        key
        for module in (advise, answer, clarify, fallback, handoff, smalltalk, troubleshoot)
        for key in module.COPY_KEYS
    )
)

__all__ = ["COPY_KEYS", "HANDLERS", "Handler", "Outcome", "Turn", "get_handler"]

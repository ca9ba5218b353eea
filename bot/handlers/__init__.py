"""Route handlers, chosen by name from a registry."""

from bot.handlers import advise, answer, clarify, fallback, handoff, smalltalk, troubleshoot  # noqa: F401  (importing registers them)
from bot.handlers.base import HANDLERS, Context, Handler, get_handler

__all__ = ["HANDLERS", "Context", "Handler", "get_handler"]

"""Route handlers, chosen by name from a registry."""

from bot.handlers import answer, fallback, smalltalk  # noqa: F401  (importing registers them)
from bot.handlers.base import HANDLERS, Context, Handler, get_handler

__all__ = ["HANDLERS", "Context", "Handler", "get_handler"]

"""supportbot's conversation layer. ``Assistant`` is the one entry point for every front end."""

from bot.assistant import Assistant
from bot.config import Settings, load_settings
from bot.types import Reply, Route, Source

__all__ = ["Assistant", "Reply", "Route", "Settings", "Source", "load_settings"]

"""What the command groups share: JSON output, batch files, and the configured assistant, desk and encoder.

Everything from ``bot`` loads inside the functions, so that ``supportbot --help`` imports no model code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot import Assistant, SupportDesk

# argparse's type of ``add_subparsers()``; each group module adds its commands to it.
Subcommands = argparse._SubParsersAction


def print_json(obj: Any) -> None:
    """Print ``obj`` as one line of JSON (non-ASCII kept), flushed so pipes see it at once."""
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def lines(path: str) -> Iterator[tuple[int, str]]:
    """The non-blank lines of ``path`` (``-``: standard input) with their 1-based line numbers.

    Raises:
        OSError: when the file cannot be opened (``main`` prints its name).
    """
    handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with handle:
        for n, line in enumerate(handle, start=1):
            if line.strip():
                yield n, line.rstrip("\n")


def assistant() -> Assistant:
    """An ``Assistant`` over the configured settings (cold: it loads its models on first use).

    Raises:
        ConfigError: naming a bad ``SUPPORTBOT_*`` setting.
    """
    from bot import Assistant, load_settings

    return Assistant(load_settings())


def desk() -> SupportDesk:
    """The staff side over the configured database, migrated to the newest schema (no model loads)."""
    from bot import SupportDesk

    return SupportDesk.open()


def embedder(language: str = "en") -> Any:
    """The configured sentence encoder of ``language``'s messages, loaded and ready to encode."""
    from bot import load_settings, make_embedder

    settings = load_settings().for_language(language)
    encoder = make_embedder(settings.embedder, settings.model_cache_dir, settings.threads)
    encoder.warm_up()
    return encoder

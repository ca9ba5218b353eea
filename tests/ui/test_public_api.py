"""The names ``bot`` exports to the front ends (``bot/__init__.py``): each one resolves, and the
block that shows mypy their types lists exactly the same names from the same places."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import bot

pytestmark = pytest.mark.unit


def _typing_block() -> dict[str, str]:
    """``{name: "module:attribute"}`` of the imports under ``if TYPE_CHECKING:``."""
    tree = ast.parse(Path(bot.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names:
            found[alias.asname or alias.name] = f"{node.module}:{alias.name}"
    return found


def test_every_exported_name_resolves() -> None:
    for name in bot.__all__:
        assert getattr(bot, name) is not None, name


def test_mypy_sees_every_export_where_it_lives() -> None:
    exports = {}
    for name, target in bot._EXPORTS.items():
        module, _, attribute = target.partition(":")
        exports[name] = f"{module}:{attribute or name}"

    assert _typing_block() == exports
    for name, target in exports.items():
        module, _, attribute = target.partition(":")
        assert getattr(importlib.import_module(module), attribute) is getattr(bot, name), name

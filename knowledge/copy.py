"""The assistant's own words (``assistant.yaml``): every sentence the bot says that is not an article.

The file is a tree of sections (``brand``, ``menus``, ``smalltalk``, ``handoff``, ``advisor`` …)
whose leaves are strings or lists of strings. Code asks for a leaf by its dotted key
(``copy.say("handoff.ticket_opened", number="T-1")``) and fills ``{named}`` fields; a missing
key, a missing field or a leaf of the wrong kind is a ``KnowledgeError`` naming the file, the
line and the key. ``Copy.require`` checks at load time that every key the code uses is there,
so a translator who drops a key learns it at start-up, not from a customer.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.errors import KnowledgeError
from knowledge.loaders import compose_yaml

DEFAULT_COPY = Path(__file__).resolve().parent / "assistant.yaml"


@dataclass(frozen=True)
class Copy:
    """The validated sentences of one ``assistant.yaml``: flat dotted keys to text."""

    path: str
    texts: Mapping[str, str | tuple[str, ...]]
    lines: Mapping[str, int] = field(default_factory=dict)
    untranslated: tuple[str, ...] = ()

    def say(self, key: str, **fields: Any) -> str:
        """The sentence at ``key`` with its ``{named}`` fields filled in.

        Raises:
            KnowledgeError: when the key is missing, is a list, or names a field not given.
        """
        text = self._leaf(key)
        if not isinstance(text, str):
            raise KnowledgeError(self.path, "is a list; expected one sentence", self.lines.get(key), key)
        try:
            return text.format(**fields) if fields or "{" in text else text
        except (KeyError, IndexError, ValueError) as e:
            raise KnowledgeError(self.path, f"cannot fill in {e}", self.lines.get(key), key) from e

    def options(self, key: str) -> tuple[str, ...]:
        """The list of strings at ``key`` (menus, quick replies)."""
        value = self._leaf(key)
        if isinstance(value, str):
            raise KnowledgeError(self.path, "is one sentence; expected a list", self.lines.get(key), key)
        return value

    def section(self, prefix: str) -> dict[str, str | tuple[str, ...]]:
        """Every leaf under ``prefix`` keyed by the rest of its key (``section("lead")["asked"]``)."""
        head = prefix + "."
        return {k[len(head) :]: v for k, v in self.texts.items() if k.startswith(head)}

    def over(self, fallback: Copy) -> Copy:
        """This copy with ``fallback``'s sentences for the keys it lacks (a partial translation
        speaks English where it is silent); ``untranslated`` lists those keys."""
        missing = tuple(k for k in fallback.texts if k not in self.texts)
        lines = {**fallback.lines, **self.lines}
        return Copy(self.path, {**fallback.texts, **self.texts}, lines, untranslated=missing)

    def has(self, key: str) -> bool:
        return key in self.texts

    def require(self, keys: Iterable[str]) -> Copy:
        """This copy, after checking that every key in ``keys`` is present (and its fields parse).

        Raises:
            KnowledgeError: naming the file and the first missing key.
        """
        for key in keys:
            self._leaf(key)
        return self

    def _leaf(self, key: str) -> str | tuple[str, ...]:
        try:
            return self.texts[key]
        except KeyError:
            raise KnowledgeError(
                self.path, "missing (every sentence the assistant says lives here)", field=key
            ) from None


def load_copy(path: str | Path = DEFAULT_COPY, required: Iterable[str] = ()) -> Copy:
    """Read and validate ``assistant.yaml``.

    Args:
        path: the file.
        required: dotted keys the code will ask for; each must be present.

    Raises:
        KnowledgeError: naming the file, line and key of invalid YAML, a leaf that is not a
            non-empty string or list of strings, a malformed ``{field}``, or a missing key.
    """
    path = Path(path)
    if not path.is_file():
        raise KnowledgeError(path, "no such file")
    root = compose_yaml(path)
    if not isinstance(root, yaml.MappingNode):
        raise KnowledgeError(path, "must be a mapping of sections", line=1)
    texts: dict[str, str | tuple[str, ...]] = {}
    lines: dict[str, int] = {}
    _flatten(root, "", path, texts, lines)
    return Copy(str(path), texts, lines).require(required)


def _flatten(
    node: yaml.Node, prefix: str, path: Path, texts: dict[str, str | tuple[str, ...]], lines: dict[str, int]
) -> None:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            key = str(key_node.value)
            _flatten(value, f"{prefix}.{key}" if prefix else key, path, texts, lines)
        return
    lines[prefix] = line
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value.strip():
        texts[prefix] = _checked(node.value.strip(), path, line, prefix)
    elif (
        isinstance(node, yaml.SequenceNode)
        and node.value
        and all(isinstance(v, yaml.ScalarNode) and str(v.value).strip() for v in node.value)
    ):
        texts[prefix] = tuple(_checked(str(v.value).strip(), path, line, prefix) for v in node.value)
    else:
        raise KnowledgeError(path, "must be a non-empty string or a list of non-empty strings", line, prefix)


def _checked(text: str, path: Path, line: int, key: str) -> str:
    try:
        list(string.Formatter().parse(text))
    except ValueError as e:
        raise KnowledgeError(path, f"malformed {{field}} ({e})", line, key) from e
    return text

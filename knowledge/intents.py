"""Intent examples: the shipped ``intents.yaml`` or a CSV of ``text,intent`` rows.

Rows whose intent is ``out_of_scope`` are negatives: messages no intent covers. In YAML every
intent also has a ``label:``, the words a customer reads when asked which of two intents is
meant; a CSV has none (the assistant then names an intent after its identifier). Every loader
checks what it reads and fails with ``KnowledgeError`` naming the file, the line and the reason.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.errors import KnowledgeError
from knowledge.loaders import compose_yaml

OUT_OF_SCOPE = "out_of_scope"
ROUTES = ("answer", "advise", "troubleshoot", "handoff", "smalltalk", "clarify", "fallback")
DEFAULT_ROUTE = "answer"
MIN_EXAMPLES = 2


@dataclass(frozen=True)
class IntentSet:
    """Labelled examples, each intent's route, and out-of-scope negatives.

    ``labels`` are the examples' intent names, one per text (the classifier's targets);
    ``topics`` maps an intent to its customer-facing ``label:`` from the YAML file.
    """

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    routes: dict[str, str] = field(default_factory=dict)
    negatives: tuple[str, ...] = ()
    source: str = ""
    topics: dict[str, str] = field(default_factory=dict)

    @property
    def intents(self) -> list[str]:
        return sorted(set(self.labels))

    def fingerprint(self) -> str:
        """A hash of everything training depends on, so a changed file means a new model.

        The topics are left out: rewording a label must not cost a retraining.
        """
        h = hashlib.sha256()
        for text, label in zip(self.texts, self.labels, strict=True):
            h.update(f"{label}\t{text}\n".encode())
        for name in sorted(self.routes):
            h.update(f"route {name}={self.routes[name]}\n".encode())
        for text in self.negatives:
            h.update(f"{OUT_OF_SCOPE}\t{text}\n".encode())
        return h.hexdigest()


def load_intents(path: str | Path) -> IntentSet:
    """Intent examples from ``path`` (``.yaml``/``.yml`` or ``.csv``).

    Raises:
        KnowledgeError: naming the file, the line and what is wrong.
    """
    path = Path(path)
    if not path.is_file():
        raise KnowledgeError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _load_yaml(path)
    if suffix == ".csv":
        return _load_csv(path)
    raise KnowledgeError(path, f"unknown format {suffix or '(none)'}; use .yaml or .csv")


def _check(
    path: Path,
    rows: list[tuple[str, str, int]],
    routes: dict[str, str],
    negatives: list[str],
    topics: dict[str, str] | None = None,
) -> IntentSet:
    """Validate (text, intent, line) rows as a whole and build the set."""
    seen: dict[str, tuple[str, int]] = {}
    for text, intent, line in rows:
        key = " ".join(text.lower().split())
        if key in seen and seen[key][0] != intent:
            other, other_line = seen[key]
            raise KnowledgeError(
                path, f"{text!r} is labelled both {other!r} (line {other_line}) and {intent!r}", line=line
            )
        seen[key] = (intent, line)
    for text in negatives:
        key = " ".join(text.lower().split())
        if key in seen:
            intent, line = seen[key]
            raise KnowledgeError(path, f"{text!r} is both an example of {intent!r} and out of scope", line=line)
    counts = Counter(intent for _, intent, _ in rows)
    for intent, n in counts.items():
        if n < MIN_EXAMPLES:
            line = next(line for _, i, line in rows if i == intent)
            raise KnowledgeError(
                path, f"intent {intent!r} has {n} example; each intent needs at least {MIN_EXAMPLES}", line=line
            )
    if len(counts) < 2:
        raise KnowledgeError(path, f"found {len(counts)} intent(s); a classifier needs at least 2")
    return IntentSet(
        texts=tuple(t for t, _, _ in rows),
        labels=tuple(i for _, i, _ in rows),
        routes={i: routes.get(i, DEFAULT_ROUTE) for i in counts},
        negatives=tuple(negatives),
        source=str(path),
        topics=dict(topics or {}),
    )


def _load_csv(path: Path) -> IntentSet:
    rows: list[tuple[str, str, int]] = []
    negatives: list[str] = []
    routes: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:  # -sig: spreadsheets write a BOM
            reader = csv.DictReader(f)
            columns = [c.strip() for c in reader.fieldnames or []]
            missing = [c for c in ("text", "intent") if c not in columns]
            if missing:
                raise KnowledgeError(path, f"missing column(s) {', '.join(missing)}; found {columns}", line=1)
            for record in reader:
                line = reader.line_num
                row = {(k or "").strip(): (v or "").strip() for k, v in record.items() if k is not None}
                text, intent = row.get("text", ""), row.get("intent", "")
                if not text:
                    raise KnowledgeError(path, "empty text", line=line, field="text")
                if not intent:
                    raise KnowledgeError(path, "empty intent", line=line, field="intent")
                if intent == OUT_OF_SCOPE:
                    negatives.append(text)
                    continue
                route = row.get("route", "")
                if route:
                    _check_route(path, route, line)
                    routes[intent] = route
                rows.append((text, intent, line))
    except UnicodeDecodeError as e:
        raise KnowledgeError(path, f"not UTF-8 text ({e.reason})") from e
    except csv.Error as e:
        raise KnowledgeError(path, f"invalid CSV: {e}") from e
    return _check(path, rows, routes, negatives)


def _check_route(path: Path, route: str, line: int) -> None:
    if route not in ROUTES:
        raise KnowledgeError(path, f"unknown route {route!r}; one of {', '.join(ROUTES)}", line=line, field="route")


def _load_yaml(path: Path) -> IntentSet:
    """``intents: {name: {label, route, examples: [...]}}`` and ``out_of_scope: [...]``, with line numbers."""
    root = compose_yaml(path)
    if not isinstance(root, yaml.MappingNode):
        raise KnowledgeError(path, "expected a mapping with 'intents:' at the top", line=1)
    top = {k.value: v for k, v in root.value}
    if "intents" not in top:
        raise KnowledgeError(path, "missing 'intents:'", line=1, field="intents")
    intents_node = top["intents"]
    if not isinstance(intents_node, yaml.MappingNode):
        raise KnowledgeError(path, "'intents' must map intent names to entries", line=_line(intents_node))
    rows: list[tuple[str, str, int]] = []
    routes: dict[str, str] = {}
    topics: dict[str, str] = {}
    for name_node, entry in intents_node.value:
        name = str(name_node.value).strip()
        if not isinstance(entry, yaml.MappingNode):
            raise KnowledgeError(path, f"intent {name!r} must have 'label', 'route' and 'examples'", line=_line(entry))
        fields = {k.value: v for k, v in entry.value}
        if "route" in fields:
            route = str(fields["route"].value)
            _check_route(path, route, _line(fields["route"]))
            routes[name] = route
        examples = fields.get("examples")
        if not isinstance(examples, yaml.SequenceNode):
            raise KnowledgeError(path, f"intent {name!r} needs a list of examples", line=_line(entry), field="examples")
        for node in examples.value:
            rows.append((_text(path, node, name), name, _line(node)))
        topics[name] = _label(path, fields.get("label"), name, _line(name_node))
    negatives: list[str] = []
    if OUT_OF_SCOPE in top:
        node = top[OUT_OF_SCOPE]
        if not isinstance(node, yaml.SequenceNode):
            raise KnowledgeError(path, "'out_of_scope' must be a list of texts", line=_line(node))
        negatives = [_text(path, n, OUT_OF_SCOPE) for n in node.value]
    return _check(path, rows, routes, negatives, topics)


def _label(path: Path, node: yaml.Node | None, intent: str, intent_line: int) -> str:
    """The customer-facing label of ``intent``: required, one line of text."""
    if node is None:
        raise KnowledgeError(
            path,
            f"intent {intent!r} needs a 'label:', the words a customer taps (e.g. 'A 429 rate limit error')",
            line=intent_line,
            field="label",
        )
    scalar = isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null")  # `label:` and `label: ~`
    text = str(node.value).strip() if scalar else ""
    if not text or "\n" in text:
        raise KnowledgeError(path, f"intent {intent!r} has an empty or non-text label", line=_line(node), field="label")
    return text


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(path: Path, node: yaml.Node, intent: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise KnowledgeError(path, f"empty or non-text example in {intent!r}", line=_line(node), field="examples")
    return str(node.value).strip()

"""Troubleshooting flows: one YAML file a failure, read and checked as a whole.

A flow is a small graph of steps. Each step gives one piece of advice and offers options; an
option leads to another step of the same flow or to one of two ends, ``fixed`` or
``unresolved``. ``load_flows`` rejects anything a customer could get stuck in (a dangling
branch, a step nobody reaches, a loop with no exit) with a ``KnowledgeError`` naming the file,
the line, the field and the step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import NoReturn

import yaml

from knowledge.errors import KnowledgeError
from knowledge.loaders import compose_yaml

FLOWS_DIR = Path(__file__).resolve().parent / "troubleshooting"  # the shipped flows
FIXED = "fixed"
UNRESOLVED = "unresolved"
ENDS = (FIXED, UNRESOLVED)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FLOW_FIELDS = ("id", "title", "intents", "detect", "start", "steps")
STEP_FIELDS = ("text", "article", "options")
OPTION_FIELDS = ("label", "next")


@dataclass(frozen=True)
class Option:
    """A quick reply of a step and where it leads: a step id, ``fixed`` or ``unresolved``."""

    label: str
    next: str


@dataclass(frozen=True)
class Step:
    """One piece of advice, the article that explains more (or None) and the options."""

    id: str
    text: str
    article: str | None
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Flow:
    """A validated troubleshooting flow; ``detect`` holds case-insensitive compiled patterns."""

    id: str
    title: str
    intents: tuple[str, ...]
    detect: tuple[re.Pattern[str], ...]
    start: str
    steps: dict[str, Step]
    source: str = ""


def load_flows(folder: str | Path = FLOWS_DIR, known_articles: set[str] | None = None) -> dict[str, Flow]:
    """Every flow in ``folder`` (``*.yaml`` and ``*.yml``, sorted by name), keyed by flow id.

    Args:
        folder: the folder of flow files; by default the shipped ``knowledge/troubleshooting``.
        known_articles: article ids a step may cite; ``None`` skips the check.

    Returns:
        The flows by id, in file-name order.

    Raises:
        KnowledgeError: naming the file, the line, the field and the step of the first mistake.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise KnowledgeError(folder, "no such folder of troubleshooting flows")
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")], key=lambda p: p.name)
    if not paths:
        raise KnowledgeError(folder, "holds no troubleshooting flows (*.yaml)")
    flows: dict[str, Flow] = {}
    owners: dict[str, Flow] = {}  # intent -> the flow that handles it
    for path in paths:
        reader = _FlowFile(path, known_articles)
        flow = reader.read()
        if flow.id in flows:
            raise KnowledgeError(
                path, f"flow id {flow.id!r} is already used by {flows[flow.id].source}", line=reader.id_line, field="id"
            )
        for intent in flow.intents:
            if intent in owners:
                other = owners[intent]
                raise KnowledgeError(
                    path,
                    f"intent {intent!r} is already handled by flow {other.id!r} ({other.source})",
                    line=reader.intent_lines[intent],
                    field="intents",
                )
            owners[intent] = flow
        flows[flow.id] = flow
    return flows


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _FlowFile:
    """Reads one flow file from its YAML node tree, so every mistake can name its line."""

    def __init__(self, path: Path, known_articles: set[str] | None) -> None:
        self.path = path
        self.known_articles = known_articles
        self.id_line = 1
        self.intent_lines: dict[str, int] = {}
        self.step_lines: dict[str, int] = {}
        self.next_nodes: dict[str, list[yaml.Node]] = {}  # step id -> the `next:` node of each option

    def fail(self, reason: str, node: yaml.Node | None = None, field: str | None = None, step: str = "") -> NoReturn:
        where = f"step {step!r}: " if step else ""
        raise KnowledgeError(self.path, where + reason, line=_line(node) if node else None, field=field)

    def read(self) -> Flow:
        root = compose_yaml(self.path)
        if root is None:
            raise KnowledgeError(self.path, f"is empty; a flow needs {', '.join(FLOW_FIELDS)}", line=1)
        top = self.mapping(root, FLOW_FIELDS, "a flow")
        for key in FLOW_FIELDS:
            if key not in top:
                raise KnowledgeError(self.path, f"missing field '{key}:'", line=_line(root), field=key)
        flow_id = self.text(top["id"], "id")
        self.id_line = _line(top["id"])
        if not ID_PATTERN.match(flow_id):
            self.fail(f"must be lowercase letters, digits and hyphens, got {flow_id!r}", top["id"], "id")
        if self.path.stem != flow_id:
            self.fail(f"{flow_id!r} does not match the file name {self.path.name!r}", top["id"], "id")
        intents = self.intents(top["intents"])
        detect = tuple(self.pattern(n) for n in self.sequence(top["detect"], "detect"))
        steps = self.steps(top["steps"])
        start = self.text(top["start"], "start")
        if start not in steps:
            self.fail(f"start {start!r} is not a step of this flow (steps: {', '.join(steps)})", top["start"], "start")
        self.check_graph(start, steps)
        title = self.text(top["title"], "title")
        return Flow(flow_id, title, intents, detect, start, steps, source=str(self.path))

    def mapping(self, node: yaml.Node, known: tuple[str, ...], what: str, step: str = "") -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(f"expected {what}: a mapping of {', '.join(known)}", node, step=step)
        fields: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = str(key_node.value)
            if key in fields:
                self.fail(f"field {key!r} appears twice", key_node, key, step)
            if key not in known:
                self.fail(f"unknown field {key!r} in {what} (known: {', '.join(known)})", key_node, key, step)
            fields[key] = value
        return fields

    def sequence(self, node: yaml.Node, field: str, step: str = "") -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail("must be a list", node, field, step)
        return list(node.value)

    def text(self, node: yaml.Node, field: str, step: str = "") -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail("must be non-empty text", node, field, step)
        return " ".join(str(node.value).split())

    def intents(self, node: yaml.Node) -> tuple[str, ...]:
        names = self.sequence(node, "intents")
        if not names:
            self.fail("must name at least one intent", node, "intents")
        for item in names:
            name = self.text(item, "intents")
            if name in self.intent_lines:
                self.fail(f"intent {name!r} is listed twice", item, "intents")
            self.intent_lines[name] = _line(item)
        return tuple(self.intent_lines)

    def pattern(self, node: yaml.Node) -> re.Pattern[str]:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail("each pattern must be non-empty text", node, "detect")
        source = str(node.value)
        try:
            compiled = re.compile(source, re.IGNORECASE)
        except re.error as e:
            self.fail(f"invalid regular expression {source!r}: {e.msg} at position {e.pos}", node, "detect")
        if compiled.search(""):
            self.fail(f"pattern {source!r} matches empty text, so it would fire on every message", node, "detect")
        return compiled

    def steps(self, node: yaml.Node) -> dict[str, Step]:
        if not isinstance(node, yaml.MappingNode) or not node.value:
            self.fail("must map step ids to steps", node, "steps")
        steps: dict[str, Step] = {}
        for key_node, value in node.value:
            step_id = str(key_node.value)
            if step_id in steps:
                self.fail("this step id appears twice", key_node, "steps", step_id)
            if step_id in ENDS or not ID_PATTERN.match(step_id):
                reason = f"a step id must be lowercase letters, digits and hyphens other than {' and '.join(ENDS)}"
                self.fail(reason, key_node, "steps", step_id)
            self.step_lines[step_id] = _line(key_node)
            steps[step_id] = self.step(step_id, value)
        for step in steps.values():
            for option, next_node in zip(step.options, self.next_nodes[step.id], strict=True):
                if option.next not in steps and option.next not in ENDS:
                    reason = (
                        f"option {option.label!r} leads to {option.next!r}, which is neither a step of this flow "
                        f"nor an end ({', '.join(ENDS)}): a dangling branch"
                    )
                    self.fail(reason, next_node, "next", step.id)
        return steps

    def step(self, step_id: str, node: yaml.Node) -> Step:
        fields = self.mapping(node, STEP_FIELDS, "a step", step_id)
        if "text" not in fields:
            self.fail("missing field 'text:'", node, "text", step_id)
        text = self.text(fields["text"], "text", step_id)
        article = self.article(fields.get("article"), step_id)
        option_nodes = self.sequence(fields["options"], "options", step_id) if "options" in fields else []
        if not option_nodes:
            where = fields.get("options", node)
            reason = f"has no options; offer at least one, leading to another step, {FIXED!r} or {UNRESOLVED!r}"
            self.fail(reason, where, "options", step_id)
        options: list[Option] = []
        self.next_nodes[step_id] = []
        labels: set[str] = set()
        for option_node in option_nodes:
            option = self.mapping(option_node, OPTION_FIELDS, "an option", step_id)
            for key in OPTION_FIELDS:
                if key not in option:
                    self.fail(f"an option is missing '{key}:'", option_node, key, step_id)
            label = self.text(option["label"], "label", step_id)
            if label.lower() in labels:
                self.fail(f"two options are labelled {label!r}", option["label"], "label", step_id)
            labels.add(label.lower())
            options.append(Option(label, self.text(option["next"], "next", step_id)))
            self.next_nodes[step_id].append(option["next"])
        return Step(step_id, text, article, tuple(options))

    def article(self, node: yaml.Node | None, step_id: str) -> str | None:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return None
        article = self.text(node, "article", step_id)
        if self.known_articles is not None and article not in self.known_articles:
            close = get_close_matches(article, sorted(self.known_articles), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self.fail(f"unknown article {article!r}{hint}", node, "article", step_id)
        return article

    def check_graph(self, start: str, steps: dict[str, Step]) -> None:
        """Every step is reachable from ``start``, and from every step some path reaches an end."""
        reached = {start}
        todo = [start]
        while todo:
            for option in steps[todo.pop()].options:
                if option.next in steps and option.next not in reached:
                    reached.add(option.next)
                    todo.append(option.next)
        for step_id in steps:
            if step_id not in reached:
                reason = f"cannot be reached from start {start!r}: no option leads to it"
                raise KnowledgeError(self.path, f"step {step_id!r}: {reason}", line=self.step_lines[step_id])
        exits: set[str] = set()
        changed = True
        while changed:  # grow the set of steps from which fixed or unresolved is reachable
            changed = False
            for step in steps.values():
                if step.id not in exits and any(o.next in ENDS or o.next in exits for o in step.options):
                    exits.add(step.id)
                    changed = True
        for step_id in steps:
            if step_id not in exits:
                reason = f"never reaches {FIXED!r} or {UNRESOLVED!r}: its options loop between steps with no exit"
                raise KnowledgeError(self.path, f"step {step_id!r}: {reason}", line=self.step_lines[step_id])

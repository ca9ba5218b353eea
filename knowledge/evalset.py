"""The evaluation set: labelled customer questions (train/test) and out-of-scope questions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.errors import KnowledgeError
from knowledge.loaders import read_jsonl


@dataclass(frozen=True)
class LabelledQuestion:
    text: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class EvalSet:
    train: tuple[LabelledQuestion, ...]
    test: tuple[LabelledQuestion, ...]
    oos_train: tuple[str, ...]
    oos_test: tuple[str, ...]

    def split(self, name: str) -> tuple[tuple[LabelledQuestion, ...], tuple[str, ...]]:
        """In-scope and out-of-scope questions of split ``name`` (train or test)."""
        if name == "train":
            return self.train, self.oos_train
        if name == "test":
            return self.test, self.oos_test
        raise ValueError(f"unknown split {name!r}; known: train, test")


def _jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for n, row in read_jsonl(path):
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            raise KnowledgeError(path, f"needs non-empty text, got {row!r}", line=n, field="text")
        rows.append((n, row))
    return rows


def load_labelled(path: Path, known_ids: set[str] | None = None) -> list[LabelledQuestion]:
    """Questions ``{"text", "ids"}`` from JSONL; every id must name a known document."""
    out = []
    for n, row in _jsonl(Path(path)):
        ids = row.get("ids")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise KnowledgeError(path, f"must be a non-empty list of document ids, got {ids!r}", line=n, field="ids")
        if known_ids is not None:
            unknown = [i for i in ids if i not in known_ids]
            if unknown:
                raise KnowledgeError(path, f"names no known document: {unknown[0]!r}", line=n, field="ids")
        out.append(LabelledQuestion(row["text"].strip(), tuple(ids)))
    return out


def load_evalset(folder: Path, known_ids: set[str]) -> EvalSet:
    """The evaluation set in ``folder``: train.jsonl, test.jsonl, out_of_scope_{train,test}.jsonl."""
    folder = Path(folder)
    for name in ("train.jsonl", "test.jsonl", "out_of_scope_train.jsonl", "out_of_scope_test.jsonl"):
        if not (folder / name).is_file():
            raise KnowledgeError(folder / name, "is missing from the evaluation set")
    return EvalSet(
        train=tuple(load_labelled(folder / "train.jsonl", known_ids)),
        test=tuple(load_labelled(folder / "test.jsonl", known_ids)),
        oos_train=tuple(r["text"].strip() for _, r in _jsonl(folder / "out_of_scope_train.jsonl")),
        oos_test=tuple(r["text"].strip() for _, r in _jsonl(folder / "out_of_scope_test.jsonl")),
    )


# The routes a routed message may expect (``bot.types.Route`` values; knowledge imports nothing from bot).
ROUTES = ("answer", "advise", "troubleshoot", "handoff", "fallback", "smalltalk")


@dataclass(frozen=True)
class RoutedMessage:
    """A customer message with the route it should take, and for an answer the documents that
    answer it (first the best), for a troubleshooting report its flow; ``tag`` says what makes it hard."""

    text: str
    route: str
    ids: tuple[str, ...] = ()
    flow: str | None = None
    tag: str = ""

    @property
    def in_scope(self) -> bool:
        return self.route != "fallback"


def load_routed(path: Path, known_ids: set[str], known_flows: set[str]) -> list[RoutedMessage]:
    """Messages ``{"text", "route", "ids", "flow", "class"}`` from JSONL (the fresh and dev sets).

    Raises:
        KnowledgeError: naming the file and line of an unknown route, document or flow, or an
            answer without documents.
    """
    out = []
    for n, row in _jsonl(Path(path)):
        route = row.get("route")
        if route not in ROUTES:
            raise KnowledgeError(
                path, f"route must be one of {', '.join(ROUTES)}, got {route!r}", line=n, field="route"
            )
        ids = row.get("ids") or []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise KnowledgeError(path, f"must be a list of document ids, got {ids!r}", line=n, field="ids")
        if route == "answer" and not ids:
            raise KnowledgeError(path, "an answer needs the ids of the documents that answer it", line=n, field="ids")
        unknown = [i for i in ids if i not in known_ids]
        if unknown:
            raise KnowledgeError(path, f"names no known document: {unknown[0]!r}", line=n, field="ids")
        flow = row.get("flow")
        if route == "troubleshoot" and flow not in known_flows:
            raise KnowledgeError(
                path, f"a troubleshooting message needs a known flow, got {flow!r}", line=n, field="flow"
            )
        tag = row.get("class")
        out.append(RoutedMessage(row["text"].strip(), route, tuple(ids), flow, tag if isinstance(tag, str) else ""))
    return out

"""The report on a routed message set (``eval/fresh/<language>.jsonl``, written in another voice than
the training examples and kept out of all tuning, and ``eval/dev/`` for looking at failures):
each message goes through the whole routing policy as the first message of a new conversation
(``Assistant.first_reply``), as a customer's would.

Figures: the share of answer questions answered with a right article first; of in-scope messages
given the right content (answer: a right article first; troubleshooting: its flow; advice and
hand-over: that route); of out-of-scope messages refused; of messages given the expected route.
The in-scope questions refused or answered unsure are grouped by similarity (``gaps``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.quality.gaps import Gap, group_gaps
from bot.routing import GROUNDED
from bot.types import Reply, Route
from index.embedders import encode_messages
from knowledge.evalset import RoutedMessage, load_routed

if TYPE_CHECKING:
    from bot.assistant import Assistant

SETS = ("fresh", "dev")


def routed_path(assistant: Assistant, name: str, language: str) -> Path:
    """Where the routed set ``name`` (fresh or dev) in ``language`` lives."""
    return assistant.settings.knowledge_dir / "eval" / name / f"{language}.jsonl"


def load_routed_set(assistant: Assistant, name: str, language: str) -> list[RoutedMessage]:
    """The routed set ``name`` in ``language``, its ids checked against that language's index and the flows."""
    parts = assistant.parts_for(language)
    docs = parts.retriever.docs if parts.retriever is not None else assistant.retriever.docs
    flows = {f.id for f in parts.flows} if parts.flows is not None else set()
    return load_routed(routed_path(assistant, name, language), {d.id for d in docs}, flows)


@dataclass(frozen=True)
class Miss:
    """A message that did not get what it should: what was expected and what came."""

    text: str
    expected: str
    got: str
    tag: str

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "expected": self.expected, "got": self.got, "class": self.tag}


@dataclass(frozen=True)
class RoutedReport:
    """The figures of one routed set in one language (see the module's docstring)."""

    name: str
    language: str
    n_in_scope: int
    n_out_of_scope: int
    answered_right: float  # answer questions: a right article first
    in_scope_right: float  # every in-scope message: the right content
    out_of_scope_refused: float
    route_accuracy: float
    by_route: dict[str, float]
    by_class: dict[str, float]
    misses: tuple[Miss, ...] = ()
    gaps: tuple[Gap, ...] = field(default=())

    def as_dict(self, misses: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "set": self.name,
            "language": self.language,
            "n_in_scope": self.n_in_scope,
            "n_out_of_scope": self.n_out_of_scope,
            "answered_right": round(self.answered_right, 4),
            "in_scope_right": round(self.in_scope_right, 4),
            "out_of_scope_refused": round(self.out_of_scope_refused, 4),
            "route_accuracy": round(self.route_accuracy, 4),
            "by_route": {k: round(v, 4) for k, v in self.by_route.items()},
            "by_class": {k: round(v, 4) for k, v in self.by_class.items()},
            "gaps": [g.as_dict() for g in self.gaps],
        }
        if misses:
            data["misses"] = [m.as_dict() for m in self.misses]
        return data


def right_content(message: RoutedMessage, reply: Reply) -> bool:
    """Whether ``reply`` gives what ``message`` needs (for out of scope: a refusal)."""
    if not message.in_scope:
        return reply.route not in GROUNDED
    if reply.route.value != message.route:
        return False
    if message.route == Route.ANSWER:
        return bool(reply.sources) and reply.sources[0].id in message.ids
    if message.route == Route.TROUBLESHOOT:
        return (reply.flow or {}).get("id") == message.flow
    return True


def _got(reply: Reply) -> str:
    detail = (reply.flow or {}).get("id") or (reply.sources[0].id if reply.sources else "")
    return f"{reply.route.value} {detail}".strip()


def _expected(message: RoutedMessage) -> str:
    detail = message.flow or "|".join(message.ids)
    return f"{message.route} {detail}".strip()


def unsure(reply: Reply, answer_threshold: float) -> bool:
    """Whether an in-scope question was refused, or answered below what retrieval alone trusts."""
    if reply.route in (Route.FALLBACK, Route.CLARIFY):
        return True
    return reply.route is Route.ANSWER and reply.confidence < answer_threshold


def evaluate_routed(
    assistant: Assistant, messages: Sequence[RoutedMessage], language: str, name: str = "fresh"
) -> RoutedReport:
    """The report on ``messages`` in ``language``, each the first message of a new conversation."""
    parts = assistant.parts_for(language)
    texts = [assistant.check(m.text) for m in messages]
    # Each message is served in the language detected in it (a set's mixed messages may read as
    # the other language), and encoded once by that language's encoder.
    detected = [str(assistant.language_of(t)) for t in texts]
    encoded: list[Any] = [None] * len(texts)
    for lang in set(detected):
        rows = [i for i, d in enumerate(detected) if d == lang]
        embedder = assistant.parts_for(lang).embedder or assistant.embedder
        for i, e in zip(rows, encode_messages(embedder, [texts[i] for i in rows]), strict=True):
            encoded[i] = e
    replies = [assistant.first_reply(t, e, d) for t, e, d in zip(texts, encoded, detected, strict=True)]
    right = [right_content(m, r) for m, r in zip(messages, replies, strict=True)]

    def share(picked: list[int]) -> float:
        return sum(right[i] for i in picked) / len(picked) if picked else 0.0

    def picked(cond: Any) -> list[int]:
        return [i for i, m in enumerate(messages) if cond(m)]

    routes = sorted({m.route for m in messages})
    tags = Counter(m.tag for m in messages if m.tag)
    route_right = [r.route.value == m.route or (m.route == "fallback" and r.route not in GROUNDED)
                   for m, r in zip(messages, replies, strict=True)]  # fmt: skip
    threshold = parts.settings.answer_threshold
    gap_rows = [
        i for i, m in enumerate(messages) if m.in_scope and m.route == "answer" and unsure(replies[i], threshold)
    ]
    gap_rows = [i for i in gap_rows if detected[i] == language]  # one encoder's vectors are comparable
    gaps = group_gaps(
        [texts[i] for i in gap_rows],
        np.vstack([encoded[i].vector for i in gap_rows]) if gap_rows else np.zeros((0, 1)),
        [replies[i].sources[0].id if replies[i].sources else None for i in gap_rows],
        similarity=parts.settings.gap_similarity,
    )
    return RoutedReport(
        name=name,
        language=language,
        n_in_scope=sum(m.in_scope for m in messages),
        n_out_of_scope=sum(not m.in_scope for m in messages),
        answered_right=share(picked(lambda m: m.route == "answer")),
        in_scope_right=share(picked(lambda m: m.in_scope)),
        out_of_scope_refused=share(picked(lambda m: not m.in_scope)),
        route_accuracy=sum(route_right) / len(messages) if messages else 0.0,
        by_route={route: share(picked(lambda m, r=route: m.route == r)) for route in routes},
        by_class={tag: share(picked(lambda m, t=tag: m.tag == t)) for tag in sorted(tags)},
        misses=tuple(
            Miss(m.text, _expected(m), _got(r), m.tag)
            for m, r, ok in zip(messages, replies, right, strict=True)
            if not ok
        ),
        gaps=tuple(gaps),
    )


def evaluate_set(assistant: Assistant, name: str, language: str) -> RoutedReport | None:
    """The report on the shipped routed set ``name`` in ``language``; None when there is none."""
    if not routed_path(assistant, name, language).is_file():
        return None
    return evaluate_routed(assistant, load_routed_set(assistant, name, language), language, name)

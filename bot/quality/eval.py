"""The quality report on the shipped evaluation set: retrieval, and what is answered or refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.routing import GROUNDED
from index.embedders import encode_messages
from index.tuning import retrieval_scores, score_matrices
from knowledge.evalset import EvalSet, load_evalset

if TYPE_CHECKING:
    from bot.assistant import Assistant


def load_shipped_evalset(assistant: Assistant) -> EvalSet:
    """The evaluation set of the assistant's knowledge folder (``eval/``), checked against its index."""
    known = {d.id for d in assistant.retriever.docs}
    return load_evalset(assistant.settings.knowledge_dir / "eval", known)


@dataclass(frozen=True)
class Report:
    """Retrieval figures on one split, with ablations, and the answered and refused rates."""

    split: str
    retrieval: dict[str, float]
    dense_only: dict[str, float]
    sparse_only: dict[str, float]
    answered_out_of_scope: float
    refused_in_scope: float
    n_out_of_scope: int
    head_only: dict[str, float] | None = None  # the key head alone, when the index has one
    without_head: dict[str, float] | None = None  # dense and BM25 fused as tuned, no key head

    def as_dict(self) -> dict[str, Any]:
        """The report as the JSON of ``supportbot eval --json``."""
        return {
            "split": self.split,
            "retrieval": self.retrieval,
            "dense_only": self.dense_only,
            "bm25_only": self.sparse_only,
            "head_only": self.head_only,
            "without_head": self.without_head,
            "answered_out_of_scope": round(self.answered_out_of_scope, 4),
            "refused_in_scope": round(self.refused_in_scope, 4),
            "n_out_of_scope": self.n_out_of_scope,
        }


def evaluate(assistant: Assistant, split: str = "test") -> Report:
    """Retrieval quality and abstention on one split, through the assistant's own reply path
    (``Assistant.respond``), with every question encoded once."""
    evalset = load_shipped_evalset(assistant)
    questions, oos = evalset.split(split)
    r = assistant.retriever
    texts = [assistant.check(q.text) for q in questions]
    encoded = encode_messages(assistant.embedder, texts)
    vectors = np.vstack([e.vector for e in encoded])
    features = np.vstack([e.features for e in encoded])
    matrices = score_matrices(r, vectors, texts, [q.ids for q in questions], features)
    fused = matrices.fused(r.weights)
    refused = sum(assistant.respond(None, t, e).route not in GROUNDED for t, e in zip(texts, encoded, strict=True))
    oos_texts = [assistant.check(t) for t in oos]
    oos_encoded = encode_messages(assistant.embedder, oos_texts)
    answered = sum(assistant.respond(None, t, e).route in GROUNDED for t, e in zip(oos_texts, oos_encoded, strict=True))
    return Report(
        split=split,
        retrieval=retrieval_scores(fused, matrices.relevant).as_dict(),
        dense_only=retrieval_scores(matrices.dense, matrices.relevant).as_dict(),
        sparse_only=retrieval_scores(matrices.sparse, matrices.relevant).as_dict(),
        answered_out_of_scope=answered / max(len(oos), 1),
        refused_in_scope=refused / max(len(questions), 1),
        n_out_of_scope=len(oos),
        head_only=retrieval_scores(matrices.head, matrices.relevant).as_dict() if matrices.head is not None else None,
        without_head=retrieval_scores(matrices.fused(r.weights.without_head()), matrices.relevant).as_dict(),
    )

"""The quality report on the shipped evaluation set: retrieval, and what is answered or refused,
for each language separately (English in ``eval/``, Chinese in ``eval/zh/``), and how often the
language detector reads each set's language right."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.routing import GROUNDED
from index.embedders import encode_messages
from index.language import detect
from index.tuning import retrieval_scores, score_matrices
from knowledge.evalset import EvalSet, LabelledQuestion, load_evalset

if TYPE_CHECKING:
    from bot.assistant import Assistant
    from index.embedders import Encoding


def eval_folder(assistant: Assistant, language: str = "en") -> Path:
    """The folder of the evaluation set in ``language``: ``eval/`` or ``eval/zh/``."""
    folder = assistant.settings.knowledge_dir / "eval"
    return folder if language == "en" else folder / language


def load_shipped_evalset(assistant: Assistant, language: str = "en") -> EvalSet:
    """The evaluation set of the assistant's knowledge folder in ``language``, checked against its index."""
    known = {d.id for d in assistant.retriever.docs}
    return load_evalset(eval_folder(assistant, language), known)


@dataclass(frozen=True)
class Report:
    """Retrieval figures on one split, with ablations, and the answered and refused rates."""

    split: str
    language: str
    retrieval: dict[str, float]
    dense_only: dict[str, float]
    sparse_only: dict[str, float]
    answered_out_of_scope: float
    refused_in_scope: float
    n_out_of_scope: int
    head_only: dict[str, float] | None = None  # the key head alone, when the index has one
    without_head: dict[str, float] | None = None  # dense and BM25 fused as tuned, no key head
    detected: float = 1.0  # share of the split's questions (both kinds) read as its language

    def as_dict(self) -> dict[str, Any]:
        """The report as the JSON of ``supportbot eval --json``."""
        return {
            "split": self.split,
            "language": self.language,
            "retrieval": self.retrieval,
            "dense_only": self.dense_only,
            "bm25_only": self.sparse_only,
            "head_only": self.head_only,
            "without_head": self.without_head,
            "answered_out_of_scope": round(self.answered_out_of_scope, 4),
            "refused_in_scope": round(self.refused_in_scope, 4),
            "n_out_of_scope": self.n_out_of_scope,
            "language_detected": round(self.detected, 4),
        }


def evaluate(assistant: Assistant, split: str = "test", language: str = "en") -> Report:
    """Retrieval quality and abstention on one split of the evaluation set in ``language``,
    through the assistant's own reply path (``Assistant.respond``), every question encoded once."""
    questions, oos = load_shipped_evalset(assistant, language).split(split)
    return evaluate_questions(assistant, questions, oos, language, split)


def evaluate_questions(
    assistant: Assistant, questions: Sequence[LabelledQuestion], oos: Sequence[str], language: str, split: str
) -> Report:
    """The report on labelled ``questions`` and out-of-scope ``oos`` messages in ``language``,
    served by that language's parts (encoder, index, intent model), as a customer's message is."""
    parts = assistant.parts_for(language)
    r, embedder = parts.retriever, parts.embedder or assistant.embedder
    assert r is not None
    texts = [assistant.check(q.text) for q in questions]
    encoded = encode_messages(embedder, texts)
    vectors = np.vstack([e.vector for e in encoded])
    features = np.vstack([e.features for e in encoded])
    matrices = score_matrices(r, vectors, texts, [q.ids for q in questions], features)
    fused = matrices.fused(r.weights)

    def grounded(t: str, e: Encoding) -> bool:
        return assistant.respond(None, t, e, language=language).route in GROUNDED

    refused = sum(not grounded(t, e) for t, e in zip(texts, encoded, strict=True))
    oos_texts = [assistant.check(t) for t in oos]
    oos_encoded = encode_messages(embedder, oos_texts) if oos_texts else []
    answered = sum(grounded(t, e) for t, e in zip(oos_texts, oos_encoded, strict=True))
    return Report(
        split=split,
        language=language,
        retrieval=retrieval_scores(fused, matrices.relevant).as_dict(),
        dense_only=retrieval_scores(matrices.dense, matrices.relevant).as_dict(),
        sparse_only=retrieval_scores(matrices.sparse, matrices.relevant).as_dict(),
        answered_out_of_scope=answered / max(len(oos), 1),
        refused_in_scope=refused / max(len(questions), 1),
        n_out_of_scope=len(oos),
        head_only=retrieval_scores(matrices.head, matrices.relevant).as_dict() if matrices.head is not None else None,
        without_head=retrieval_scores(matrices.fused(r.weights.without_head()), matrices.relevant).as_dict(),
        detected=detection_rate([*texts, *oos_texts], language),
    )


def detection_rate(texts: Sequence[str], language: str) -> float:
    """The share of ``texts`` the detector reads as ``language`` (a fragment too short to tell
    counts as right for English, the language a new conversation starts in)."""
    if not texts:
        return 1.0
    right = sum(detect(t) == language or (language == "en" and detect(t) == "unknown") for t in texts)
    return right / len(texts)

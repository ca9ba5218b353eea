"""Measuring and tuning a retriever on labelled queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.embedders import Embedder
from index.embedders.pooling import intent_features, sentence_vectors
from index.fusion import fuse, reciprocal_rank, tune_weights
from index.retriever import Retriever
from index.types import RetrieverWeights


@dataclass(frozen=True)
class RetrievalScores:
    """Recall at 1 and 5 and MRR at 10 over a query set, with the query count."""

    r1: float
    r5: float
    mrr10: float
    n: int

    def as_dict(self) -> dict[str, float]:
        return {
            "R@1": round(self.r1, 4),
            "R@5": round(self.r5, 4),
            "MRR@10": round(self.mrr10, 4),
            "n": self.n,
        }


@dataclass(frozen=True)
class ScoreMatrices:
    """Per-query, per-document scores of each signal, computed once for a query set."""

    dense: np.ndarray
    centroid: np.ndarray
    sparse: np.ndarray
    relevant: list[set[int]]
    head: np.ndarray | None = None  # the key head's scores, when the index has a head

    def fused(self, weights: RetrieverWeights) -> np.ndarray:
        """The scores ``Retriever.search`` would give with ``weights`` (the head's only when scored)."""
        out = fuse(self.dense + weights.centroid * self.centroid, self.sparse, weights.fusion)
        return out + weights.head * self.head if weights.head and self.head is not None else out

    def rows(self, rows: Sequence[int]) -> ScoreMatrices:
        """The matrices of the queries at ``rows``."""
        return ScoreMatrices(
            self.dense[rows],
            self.centroid[rows],
            self.sparse[rows],
            [self.relevant[i] for i in rows],
            None if self.head is None else self.head[rows],
        )


def score_matrices(
    retriever: Retriever,
    vectors: np.ndarray,
    texts: Sequence[str],
    relevant_ids: Sequence[Sequence[str]],
    features: np.ndarray | None = None,
) -> ScoreMatrices:
    """Score every document for every query with each signal (for tuning and evaluation).
    The key head is scored when the index has one and the queries' ``features`` are given."""
    row = {d.id: i for i, d in enumerate(retriever.docs)}
    relevant = [{row[i] for i in ids if i in row} for ids in relevant_ids]
    return ScoreMatrices(
        dense=retriever.dense_scores(vectors, depth=len(retriever.dense)),
        centroid=retriever.centroid_scores(vectors),
        sparse=retriever.sparse_scores(texts),
        relevant=relevant,
        head=retriever.head.scores(texts, features) if retriever.head is not None and features is not None else None,
    )


def score_texts(
    retriever: Retriever, embedder: Embedder, texts: list[str], relevant_ids: Sequence[Sequence[str]]
) -> ScoreMatrices:
    """``score_matrices`` of ``texts``, each encoded once (sentence vector and features)."""
    layers = embedder.encode_layers(texts)
    return score_matrices(retriever, sentence_vectors(layers), texts, relevant_ids, intent_features(layers))


def concat(parts: Sequence[ScoreMatrices]) -> ScoreMatrices:
    """Score matrices of several query sets over the same documents, stacked."""
    return ScoreMatrices(
        dense=np.vstack([p.dense for p in parts]),
        centroid=np.vstack([p.centroid for p in parts]),
        sparse=np.vstack([p.sparse for p in parts]),
        relevant=[r for p in parts for r in p.relevant],
        head=None if any(p.head is None for p in parts) else np.vstack([p.head for p in parts if p.head is not None]),
    )


def retrieval_scores(scores: np.ndarray, relevant: Sequence[set[int]]) -> RetrievalScores:
    """R@1, R@5 and MRR@10 of a score matrix against the relevant rows."""
    rr = reciprocal_rank(scores, relevant, cutoff=10)
    top5 = np.argsort(-scores, axis=1)[:, :5]
    r5 = np.mean([bool(set(map(int, top5[i])) & rel) for i, rel in enumerate(relevant)])
    return RetrievalScores(float((rr == 1.0).mean()), float(r5), float(rr.mean()), len(relevant))


def tune(matrices: ScoreMatrices) -> tuple[RetrieverWeights, float]:
    """The fusion weights that score best on ``matrices`` (``index.fusion.tune_weights``) and
    their objective, the mean of R@1 and MRR@10. Changes nothing: apply them with
    ``Retriever.with_weights``."""
    m = matrices
    (w, a, h), results = tune_weights(m.dense, m.centroid, m.sparse, m.relevant, head=m.head)
    return RetrieverWeights(w, a, h), results[(w, a, h)]

"""Measuring retrieval on labelled queries and tuning a retriever's fusion weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedders.fake import HashEmbedder
from index.retriever import Retriever
from index.tuning import retrieval_scores, score_matrices, tune
from index.types import RetrieverWeights
from knowledge import load_documents
from tests.helpers import write_kb

pytestmark = pytest.mark.unit

LABELLED = [
    ("how do I download an invoice as a PDF", ["invoices"]),
    ("the reset e-mail never arrives", ["reset-password"]),
    ("my requests get 429 too many requests", ["rate-limits"]),
    ("do you store my prompts", ["data-retention"]),
    ("I lost my secret key", ["api-keys"]),
    ("billing address on my invoices", ["invoices"]),
    ("retry-after header", ["rate-limits"]),
    ("zero retention for enterprise", ["data-retention"]),
]


def test_retrieval_scores_count_hits_at_one_and_five_and_reciprocal_ranks() -> None:
    scores = np.array(
        [
            [0.9, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0],  # relevant first
            [0.9, 0.8, 0.1, 0.0, 0.0, 0.0, 0.0],  # relevant second
            [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3],  # relevant sixth
        ]
    )

    result = retrieval_scores(scores, [{0}, {1}, {5}])

    assert result.n == 3
    assert result.r1 == pytest.approx(1 / 3)
    assert result.r5 == pytest.approx(2 / 3)
    assert result.mrr10 == pytest.approx((1 + 1 / 2 + 1 / 6) / 3)
    assert result.as_dict() == {"R@1": 0.3333, "R@5": 0.6667, "MRR@10": 0.5556, "n": 3}


def test_tune_returns_the_best_weights_and_changes_nothing(tmp_path: Path) -> None:
    embedder = HashEmbedder()
    untuned = RetrieverWeights(fusion=0.0)
    built = Retriever.build(load_documents(write_kb(tmp_path)), embedder, untuned)
    texts = [q for q, _ in LABELLED]
    matrices = score_matrices(built, embedder.encode(texts), texts, [ids for _, ids in LABELLED])

    chosen, objective = tune(matrices)
    retriever = built.with_weights(chosen)

    assert built.weights == untuned  # tuning returns the weights; applying them is the caller's choice
    assert (retriever.weights.fusion, retriever.weights.centroid) == (chosen.fusion, chosen.centroid)
    tuned = retrieval_scores(matrices.fused(retriever.weights.without_head()), matrices.relevant)
    dense = retrieval_scores(matrices.dense, matrices.relevant)
    assert tuned.r1 >= dense.r1 and tuned.mrr10 >= dense.mrr10
    assert tuned.r1 == 1.0
    assert objective == pytest.approx((tuned.r1 + tuned.mrr10) / 2)
    top = [retriever.search(q, embedder.encode([q])[0], k=1)[0].doc_id for q in texts]
    assert top == [ids[0] for _, ids in LABELLED]

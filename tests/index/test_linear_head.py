"""The key head: a classifier trained on each document's keys, added to the fused score."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.embedders import encode_messages
from index.embedders.fake import HashEmbedder
from index.linear_head import HeadParams, KeyHead
from index.retriever import Retriever
from index.types import Document, RetrieverWeights
from knowledge import load_documents
from tests.helpers import write_kb

pytestmark = pytest.mark.unit

EMBEDDER = HashEmbedder()
DOCS = [
    Document("invoices", "Invoices", "Download invoices as PDF.", keys=("where is my invoice pdf", "get a receipt")),
    Document("limits", "Rate limits", "Requests per minute.", keys=("429 too many requests", "rpm quota hit")),
    Document("privacy", "Data privacy", "We never train on prompts.", keys=("do you store my prompts", "gdpr")),
]


def encode(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = encode_messages(EMBEDDER, texts)
    return np.vstack([e.vector for e in encoded]), np.vstack([e.features for e in encoded])


@pytest.fixture
def retriever(tmp_path: Path) -> Retriever:
    return Retriever.build(load_documents(write_kb(tmp_path / "kb")), EMBEDDER, RetrieverWeights(head=0.3))


def test_each_documents_own_questions_go_to_it() -> None:
    head = Retriever.build(DOCS, EMBEDDER).head
    assert head is not None
    for row, doc in enumerate(DOCS):
        for key in (doc.title, *doc.keys):
            _, features = encode([key])
            assert int(np.argmax(head.score_one(key, features[0]))) == row, key


def test_one_message_scores_as_the_batch_does(retriever: Retriever) -> None:
    texts = ["how do I download an invoice as a PDF", "429!!", "do u keep my data", "zzz"]
    _, features = encode(texts)
    head = retriever.head
    assert head is not None

    batch = head.scores(texts, features)
    one = np.vstack([head.score_one(t, f) for t, f in zip(texts, features, strict=True)])

    np.testing.assert_allclose(one, batch, atol=1e-4)
    assert batch.shape == (len(texts), len(retriever))


def test_without_features_or_weight_the_head_changes_nothing(retriever: Retriever) -> None:
    vectors, features = encode(["my requests get 429 too many requests"])
    plain = retriever.search("my requests get 429 too many requests", vectors[0], k=5)
    with_head = retriever.search("my requests get 429 too many requests", vectors[0], k=5, features=features[0])
    weightless = retriever.with_weights(replace(retriever.weights, head=0.0)).search(
        "my requests get 429 too many requests", vectors[0], k=5, features=features[0]
    )

    assert [h.score for h in weightless] == [h.score for h in plain]
    head = retriever.head
    assert head is not None
    expected = 0.3 * head.score_one("my requests get 429 too many requests", features[0])
    by_id = {d.id: i for i, d in enumerate(retriever.docs)}
    for h in with_head:
        base = next((p.score for p in plain if p.doc_id == h.doc_id), None)
        if base is not None:
            assert h.score == pytest.approx(base + expected[by_id[h.doc_id]], abs=1e-5)


def test_a_single_document_has_no_head_and_still_answers() -> None:
    one = Retriever.build(DOCS[:1], EMBEDDER, RetrieverWeights(head=0.3))
    vectors, features = encode(["invoice pdf"])

    assert one.head is None
    assert [h.doc_id for h in one.search("invoice pdf", vectors[0], k=3, features=features[0])] == ["invoices"]
    assert KeyHead.fit(["a", "b"], [0, 0], features.repeat(2, axis=0), 1, HeadParams()) is None

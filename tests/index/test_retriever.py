"""Hybrid retrieval finds the right document and the section that answers the question."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.embedders.fake import HashEmbedder
from index.retriever import Hit, Retriever
from index.types import Document, RetrieverWeights
from knowledge import load_documents
from tests.helpers import write_kb

pytestmark = pytest.mark.unit

EMBEDDER = HashEmbedder()


def search(retriever: Retriever, query: str, k: int = 3, weights: RetrieverWeights | None = None) -> list[Hit]:
    return retriever.search(query, EMBEDDER.encode([query])[0], k=k, weights=weights)


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    kb = write_kb(tmp_path_factory.mktemp("kb"))
    return Retriever.build(load_documents(kb), EMBEDDER)


@pytest.mark.parametrize(
    ("query", "doc_id", "heading"),
    [
        ("how do I download an invoice as a PDF", "invoices", "Downloading an invoice as PDF"),
        ("can I change the billing address on invoices", "invoices", "Changing the billing address"),
        ("the reset e-mail never arrives in my inbox", "reset-password", "The reset e-mail never arrives"),
        ("my requests get 429 too many requests", "rate-limits", "Handling 429 responses"),
        ("how long are request bodies kept", "data-retention", "Retention period"),
    ],
)
def test_search_finds_the_document_and_its_best_section(
    retriever: Retriever, query: str, doc_id: str, heading: str
) -> None:
    hits = search(retriever, query)

    assert hits[0].doc_id == doc_id
    assert hits[0].chunk is not None and hits[0].chunk.heading == heading
    assert hits[0].url == f"/kb/{doc_id}"


def test_hits_come_best_first_and_at_most_k(retriever: Retriever) -> None:
    hits = search(retriever, "invoice", k=4)

    assert len(hits) == 4
    assert len({h.doc_id for h in hits}) == 4
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(search(retriever, "invoice", k=50)) == len(retriever)


def test_keys_make_a_document_findable_by_a_paraphrase() -> None:
    locked = Document(
        id="reset-password",
        title="Resetting your password",
        text="Use the forgotten password link on the sign-in page; the link it sends is valid for one hour.",
    )
    other = Document(
        id="delete-account",
        title="Deleting your account",
        text="An owner can delete the account from the settings page. Deleting the account removes all of "
        "my account data and every project of the account.",
    )
    query = "locked out of my account"
    plain = Retriever.build([locked, other], EMBEDDER)
    keyed = Retriever.build(
        [Document(**{**locked.__dict__, "keys": ("I am locked out of my account",)}), other], EMBEDDER
    )

    assert search(plain, query)[0].doc_id == "delete-account"
    assert search(keyed, query)[0].doc_id == "reset-password"


def test_bm25_weight_zero_ranks_by_dense_score_alone(retriever: Retriever) -> None:
    hits = search(
        retriever, "my requests get 429 too many requests", k=5, weights=replace(retriever.weights, fusion=0.0)
    )

    assert [h.score for h in hits] == [h.dense for h in hits]


def test_chunks_of_returns_the_sections_in_order(retriever: Retriever) -> None:
    headings = [c.heading for c in retriever.chunks_of("invoices")]

    assert headings == ["", "Downloading an invoice as PDF", "Changing the billing address"]


def test_build_refuses_repeated_ids_and_empty_collections() -> None:
    doc = Document(id="a", title="A", text="Some text.")
    with pytest.raises(ValueError, match="'a' appears twice"):
        Retriever.build([doc, doc], EMBEDDER)
    with pytest.raises(ValueError, match="no documents"):
        Retriever.build([], EMBEDDER)


def test_search_refuses_k_of_zero(retriever: Retriever) -> None:
    with pytest.raises(ValueError, match="k must be greater than 0"):
        search(retriever, "invoice", k=0)


def test_build_reports_embedding_progress(tmp_path: Path) -> None:
    docs = load_documents(write_kb(tmp_path))
    calls: list[tuple[int, int]] = []

    built = Retriever.build(docs, EMBEDDER, progress=lambda done, total: calls.append((done, total)))

    assert calls[-1] == (len(built.unit_doc), len(built.unit_doc))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_documents_need_an_id_and_some_text() -> None:
    with pytest.raises(ValueError, match="id"):
        Document(id=" ", title="T", text="text")
    with pytest.raises(ValueError, match="neither text nor keys"):
        Document(id="x", title="T", text="  ")

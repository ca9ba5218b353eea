"""The index on disk: identical after a round trip, verified on load, published atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from index import persist
from index.embedders import encode_messages
from index.embedders.fake import HashEmbedder
from index.retriever import Retriever
from index.sparse import SparseIndex
from index.types import Document, RetrieverWeights
from index.vectors import VectorIndex
from knowledge import load_documents
from tests.helpers import write_kb

pytestmark = pytest.mark.unit

EMBEDDER = HashEmbedder()
QUERIES = [
    "how do I download an invoice as a PDF",
    "my requests get 429 too many requests",
    "the reset e-mail never arrives",
    "do you store my prompts",
]


def results(retriever: Retriever) -> list[list[tuple[str, float, str | None]]]:
    out = []
    for q in QUERIES:
        encoded = encode_messages(EMBEDDER, [q])[0]
        hits = retriever.search(q, encoded.vector, k=5, features=encoded.features)
        out.append([(h.doc_id, round(h.score, 6), h.chunk.anchor if h.chunk else None) for h in hits])
    return out


@pytest.fixture
def built(tmp_path: Path) -> Retriever:
    return Retriever.build(load_documents(write_kb(tmp_path / "kb")), EMBEDDER, RetrieverWeights(0.25, head=0.3))


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_round_trip_gives_identical_search_results(built: Retriever, tmp_path: Path) -> None:
    folder = persist.save(built, tmp_path / "out" / "index", {"model": EMBEDDER.name})

    loaded, manifest = persist.load(folder)

    assert results(loaded) == results(built)
    assert loaded.weights == RetrieverWeights(0.25, head=0.3) and loaded.head is not None
    assert manifest["model"] == EMBEDDER.name
    assert manifest["documents"] == len(built) and manifest["dimensions"] == EMBEDDER.dim
    assert leftovers(folder.parent) == []


@pytest.mark.parametrize("name", ["docs.json", "vectors.npy", "dense.faiss"])
def test_a_changed_file_fails_its_checksum(built: Retriever, tmp_path: Path, name: str) -> None:
    folder = persist.save(built, tmp_path / "index", {})
    with (folder / name).open("r+b") as f:
        f.seek(-2, 2)
        last = f.read(1)
        f.seek(-2, 2)
        f.write(bytes([last[0] ^ 0xFF]))

    with pytest.raises(persist.IndexStoreError, match=re.escape(f"{name} does not match its checksum")):
        persist.load(folder)


def test_a_missing_file_or_manifest_is_reported(built: Retriever, tmp_path: Path) -> None:
    folder = persist.save(built, tmp_path / "index", {})
    (folder / "vectors.npy").unlink()
    with pytest.raises(persist.IndexStoreError, match=r"vectors\.npy is missing"):
        persist.load(folder)

    with pytest.raises(persist.IndexStoreError, match="no index here"):
        persist.load(tmp_path / "nowhere")


def test_an_index_of_another_format_version_is_refused(built: Retriever, tmp_path: Path) -> None:
    folder = persist.save(built, tmp_path / "index", {})
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "format": 99}))

    with pytest.raises(persist.IndexStoreError, match="format 99"):
        persist.load(folder)


def test_a_key_head_this_installation_cannot_unpickle_asks_for_a_rebuild(built: Retriever, tmp_path: Path) -> None:
    # What a head pickled before its class moved looks like: a class in a module that is gone.
    folder = persist.save(built, tmp_path / "index", {})
    (folder / "head.joblib").write_bytes(b"cindex.head\nKeyHead\n)\x81.")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["checksums"]["head.joblib"] = persist.sha256_file(folder / "head.joblib")
    (folder / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(persist.IndexStoreError, match=r"head\.joblib cannot be loaded.*rebuild the index"):
        persist.load(folder)


def test_a_failing_save_leaves_the_previous_index_intact(
    built: Retriever, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = persist.save(built, tmp_path / "index", {"source": "first"})
    before = results(persist.load(folder)[0])
    other = Retriever.build([Document(id="other", title="Other", text="Something else entirely.")], EMBEDDER)

    def broken_save(self: SparseIndex, folder: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(SparseIndex, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        persist.save(other, folder, {"source": "second"})

    loaded, manifest = persist.load(folder)
    assert manifest["source"] == "first"
    assert results(loaded) == before
    assert leftovers(tmp_path) == []


def test_saving_over_an_index_replaces_it_without_leftovers(built: Retriever, tmp_path: Path) -> None:
    folder = persist.save(built, tmp_path / "index", {"source": "first"})
    other = Retriever.build([Document(id="other", title="Other", text="Something else entirely.")], EMBEDDER)

    persist.save(other, folder, {"source": "second"})

    loaded, manifest = persist.load(folder)
    assert manifest["source"] == "second"
    assert [d.id for d in loaded.docs] == ["other"]
    assert leftovers(tmp_path) == []


def test_knowledge_hash_changes_with_documents_model_and_parameters() -> None:
    docs = [Document(id="a", title="A", text="Alpha text.")]
    edited = [Document(id="a", title="A", text="Alpha text, edited.")]
    base = persist.knowledge_hash(docs, "m", {"chunk_words": 180})

    assert persist.knowledge_hash(list(docs), "m", {"chunk_words": 180}) == base
    assert persist.knowledge_hash(edited, "m", {"chunk_words": 180}) != base
    assert persist.knowledge_hash(docs, "other-model", {"chunk_words": 180}) != base
    assert persist.knowledge_hash(docs, "m", {"chunk_words": 120}) != base


def test_vector_index_is_exact_below_the_threshold_and_hnsw_above() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(600, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    query = vectors[123] + 0.05 * rng.normal(size=32).astype(np.float32)

    flat = VectorIndex.build(vectors, ann_threshold=601)
    hnsw = VectorIndex.build(vectors, ann_threshold=600)

    assert (flat.kind, hnsw.kind) == ("flat", "hnsw")
    for index in (flat, hnsw):
        scores, rows = index.search(query, k=5)
        assert rows[0][0] == 123
        assert list(scores[0]) == sorted(scores[0], reverse=True)


def test_hnsw_index_survives_a_round_trip(tmp_path: Path) -> None:
    docs = load_documents(write_kb(tmp_path / "kb"))
    retriever = Retriever.build(docs, EMBEDDER, ann_threshold=1)
    assert retriever.dense.kind == "hnsw"

    loaded, manifest = persist.load(persist.save(retriever, tmp_path / "index", {}))

    assert manifest["dense_kind"] == "hnsw" and loaded.dense.kind == "hnsw"
    assert results(loaded) == results(retriever)
    assert results(loaded)[0][0][0] == "invoices"


def test_vector_index_refuses_an_empty_matrix() -> None:
    with pytest.raises(ValueError, match="non-empty 2-D"):
        VectorIndex.build(np.zeros((0, 8), dtype=np.float32))

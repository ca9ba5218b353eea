"""Hybrid retrieval over documents: dense FAISS search plus BM25, fused per document.

Every document contributes several retrieval units: its keys (title and alternative
questions) and its chunks. A document's dense score is the best score of its units; its BM25
score comes from one text holding title, keys and body. The two are fused with
``index.fusion.fuse``. A third, learned signal is the key head (``index.head.KeyHead``): a
classifier trained on the documents' keys, whose score is added with ``head_weight`` when the
caller passes the query's encoder features.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.chunking import chunk_document
from index.embedder import Embedder, intent_features, sentence_vectors
from index.fusion import fuse
from index.head import KEY_HEAD, KeyHead
from index.sparse import SparseIndex
from index.text import stems
from index.types import Chunk, Document, Hit
from index.vectors import VectorIndex

KEY = -1  # chunk number of a unit that is a key, not a chunk
# The key head trains one class per document (one-vs-rest): above this many documents its
# training time grows past what an index build should take, and the index goes without it.
HEAD_MAX_DOCS = 2_000


@dataclass(frozen=True)
class DocMeta:
    id: str
    title: str
    url: str


class Retriever:
    """Searches one built index. Build with ``Retriever.build`` or load with ``index.store.load``."""

    def __init__(
        self,
        docs: list[DocMeta],
        chunks: list[Chunk],
        unit_doc: np.ndarray,
        unit_chunk: np.ndarray,
        vectors: np.ndarray,
        dense: VectorIndex,
        sparse: SparseIndex,
        weight: float = 0.3,
        centroid_weight: float = 0.0,
        head: KeyHead | None = None,
        head_weight: float = 0.0,
    ) -> None:
        if not len(unit_doc) == len(unit_chunk) == len(vectors) == len(dense):
            raise ValueError("units, vectors and the dense index disagree in length")
        self.docs = docs
        self.chunks = chunks
        self.unit_doc = unit_doc
        self.unit_chunk = unit_chunk
        self.vectors = vectors
        self.dense = dense
        self.sparse = sparse
        self.weight = weight
        self.centroid_weight = centroid_weight
        self.head = head
        self.head_weight = head_weight
        self.centroids = self._key_centroids()
        self._doc_row = {d.id: i for i, d in enumerate(docs)}
        self._chunks_of: list[list[int]] = [[] for _ in docs]
        for c, chunk in enumerate(chunks):
            self._chunks_of[self._doc_row[chunk.doc_id]].append(c)
        self._chunk_unit = {int(c): u for u, c in enumerate(unit_chunk) if c != KEY}
        self._chunk_stems: dict[int, frozenset[str]] = {}
        # Units are stored document by document; then a document's units are one run of rows.
        starts = np.searchsorted(unit_doc, np.arange(len(docs)))
        contiguous = bool(np.all(np.diff(unit_doc) >= 0)) and np.array_equal(np.unique(unit_doc), np.arange(len(docs)))
        self._doc_starts: np.ndarray | None = starts if contiguous else None

    def _key_centroids(self) -> np.ndarray:
        """Unit-length mean of each document's key vectors (title and alternative questions)."""
        sums = np.zeros((len(self.docs), self.vectors.shape[1]), dtype=np.float32)
        is_key = self.unit_chunk == KEY
        np.add.at(sums, self.unit_doc[is_key], self.vectors[is_key])
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return sums / np.maximum(norms, 1e-12)

    @classmethod
    def build(
        cls,
        documents: Sequence[Document],
        embedder: Embedder,
        weight: float = 0.3,
        centroid_weight: float = 0.0,
        max_words: int = 180,
        ann_threshold: int = 20_000,
        progress: Callable[[int, int], None] | None = None,
        head_weight: float = 0.0,
    ) -> Retriever:
        """Chunk, embed and index ``documents``.

        Args:
            documents: the collection; ids must be unique.
            embedder: the encoder (its ``encode`` returns normalised rows).
            weight: the BM25 fusion weight used by ``search``.
            max_words: the chunk size limit handed to the chunker.
            ann_threshold: the unit count from which an approximate FAISS index is used.
            progress: called with (done, total) texts while embedding.
            head_weight: the key head's weight in ``search``. The head is trained whatever
                the weight (tuning sets it later), unless there are more than
                ``HEAD_MAX_DOCS`` documents.

        Raises:
            ValueError: on an empty collection or a repeated document id.
        """
        if not documents:
            raise ValueError("cannot build an index over no documents")
        seen: set[str] = set()
        for d in documents:
            if d.id in seen:
                raise ValueError(f"document id {d.id!r} appears twice")
            seen.add(d.id)
        docs = [DocMeta(d.id, d.title, d.url) for d in documents]
        chunks: list[Chunk] = []
        texts: list[str] = []
        unit_doc: list[int] = []
        unit_chunk: list[int] = []
        sparse_texts: list[str] = []
        for i, d in enumerate(documents):
            keys = list(dict.fromkeys([d.title, *d.keys]))
            for key in keys:
                texts.append(key)
                unit_doc.append(i)
                unit_chunk.append(KEY)
            for chunk in chunk_document(d, max_words):
                texts.append(chunk.embed_text(d.title))
                unit_doc.append(i)
                unit_chunk.append(len(chunks))
                chunks.append(chunk)
            sparse_texts.append("\n".join([*keys, d.text]))
        is_key = [c == KEY for c in unit_chunk]
        vectors, key_features = _embed(embedder, texts, progress, keep=is_key)
        head = None
        if len(docs) <= HEAD_MAX_DOCS:
            key_rows = [d for d, key in zip(unit_doc, is_key, strict=True) if key]
            key_texts = [t for t, key in zip(texts, is_key, strict=True) if key]
            head = KeyHead.fit(key_texts, key_rows, key_features, len(docs), KEY_HEAD)
        return cls(
            docs,
            chunks,
            np.asarray(unit_doc, dtype=np.int32),
            np.asarray(unit_chunk, dtype=np.int32),
            vectors,
            VectorIndex.build(vectors, ann_threshold),
            SparseIndex.build(sparse_texts),
            weight,
            centroid_weight,
            head,
            head_weight,
        )

    def __len__(self) -> int:
        return len(self.docs)

    def dense_scores(self, queries: np.ndarray, depth: int = 512) -> np.ndarray:
        """Per-document dense scores (best unit) for a batch of query vectors.

        With an exact index every unit is scored (one matrix product and a per-document
        maximum: faster than a FAISS search and the same scores the tuning sees); with an
        approximate one, the ``depth`` nearest units are, and other documents get a floor below them.
        """
        queries = np.atleast_2d(queries)
        if self.dense.kind == "flat" and self._doc_starts is not None:
            unit_scores = np.asarray(queries, dtype=np.float32) @ self.vectors.T
            return np.maximum.reduceat(unit_scores, self._doc_starts, axis=1)
        scores, rows = self.dense.search(queries, min(depth, len(self.dense)))
        out = np.full((len(queries), len(self.docs)), -1.0, dtype=np.float32)
        for q in range(len(queries)):
            valid = rows[q] >= 0
            floor = float(scores[q][valid].min()) - 1e-3 if valid.any() else -1.0
            out[q].fill(floor)
            np.maximum.at(out[q], self.unit_doc[rows[q][valid]], scores[q][valid])
        return out

    def centroid_scores(self, queries: np.ndarray) -> np.ndarray:
        """Cosine of each query to each document's key centroid."""
        return np.atleast_2d(queries).astype(np.float32) @ self.centroids.T

    def sparse_scores(self, queries: Sequence[str]) -> np.ndarray:
        """Raw BM25 scores per document for a batch of query texts."""
        return np.vstack([self.sparse.scores(q) for q in queries])

    def search(
        self,
        query: str,
        vector: np.ndarray,
        k: int = 5,
        weight: float | None = None,
        features: np.ndarray | None = None,
    ) -> list[Hit]:
        """The ``k`` best documents for one query, each with its best-matching chunk.

        Args:
            query: the query text (for BM25 and chunk choice).
            vector: the query embedding, already computed by the caller.
            k: how many documents to return.
            weight: the fusion weight; the index's tuned weight when None.
            features: the query's encoder features (``index.embedder.intent_features``), for
                the key head; without them the head is not used.
        """
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, the k is {k}")
        w = self.weight if weight is None else weight
        dense = self.dense_scores(vector)[0]
        sparse = self.sparse.scores(query)
        fused = fuse(dense + self.centroid_weight * self.centroid_scores(vector)[0], sparse, w)
        if self.head is not None and self.head_weight > 0 and features is not None:
            fused = fused + self.head_weight * self.head.score_one(query, features)
        top = np.argsort(-fused)[:k]
        top_sparse = float(sparse.max()) or 1.0
        chunks = self.best_chunks([int(i) for i in top], vector, set(stems(query)))
        return [
            Hit(
                doc_id=self.docs[i].id,
                title=self.docs[i].title,
                url=self.docs[i].url,
                score=float(fused[i]),
                dense=float(dense[i]),
                sparse=float(sparse[i] / top_sparse),
                chunk=chunk,
            )
            for i, chunk in zip(top, chunks, strict=True)
        ]

    def best_chunks(self, doc_rows: Sequence[int], vector: np.ndarray, query_stems: set[str]) -> list[Chunk | None]:
        """Each document's chunk that best answers the query: cosine plus word overlap.
        One matrix product for all the documents."""
        ids = [c for row in doc_rows for c in self._chunks_of[row]]
        if not ids:
            return [None] * len(doc_rows)
        score = self.vectors[[self._chunk_unit[c] for c in ids]] @ np.asarray(vector, dtype=np.float32).reshape(-1)
        if query_stems:
            overlap = np.array([len(query_stems & self._stems_of(c)) for c in ids]) / len(query_stems)
            score = score + (0.15 * overlap).astype(np.float32)
        best: list[Chunk | None] = []
        start = 0
        for row in doc_rows:
            end = start + len(self._chunks_of[row])
            best.append(self.chunks[ids[start + int(np.argmax(score[start:end]))]] if end > start else None)
            start = end
        return best

    def _stems_of(self, chunk: int) -> frozenset[str]:
        """The stems of a chunk's heading and text, computed on first use."""
        cached = self._chunk_stems.get(chunk)
        if cached is None:
            cached = frozenset(stems(self.chunks[chunk].heading + " " + self.chunks[chunk].text))
            self._chunk_stems[chunk] = cached
        return cached

    def doc(self, doc_id: str) -> DocMeta | None:
        """The document ``doc_id``, or None when the index has none."""
        row = self._doc_row.get(doc_id)
        return None if row is None else self.docs[row]

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """All chunks of a document, in order."""
        return [self.chunks[c] for c in self._chunks_of[self._doc_row[doc_id]]]


def _embed(
    embedder: Embedder,
    texts: list[str],
    progress: Callable[[int, int], None] | None,
    keep: Sequence[bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sentence vectors of ``texts`` in their order, and the encoder features
    (``intent_features``) of the texts marked in ``keep``, from the same pass.

    Texts are sent shortest first, so each batch pads to similar lengths: short keys no
    longer wait on a long chunk's padding."""
    batch = 64
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    kept: dict[int, np.ndarray] = {}
    for start in range(0, len(order), batch):
        rows = order[start : start + batch]
        layers = embedder.encode_layers([texts[i] for i in rows], batch_size=batch)
        out[rows] = sentence_vectors(layers)
        if keep is not None:
            wanted = [j for j, i in enumerate(rows) if keep[i]]
            if wanted:
                for i, f in zip([rows[j] for j in wanted], intent_features(layers[wanted]), strict=True):
                    kept[i] = f
        if progress:
            progress(min(start + batch, len(texts)), len(texts))
    features = np.stack([kept[i] for i in sorted(kept)]) if kept else np.zeros((0, 0), dtype=np.float32)
    return out, features

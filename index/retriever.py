"""Hybrid retrieval over documents: dense FAISS search plus BM25, fused per document.

Every document contributes several retrieval units: its keys (title and alternative
questions) and its chunks. A document's dense score is the best score of its units; its BM25
score comes from one text holding title, keys and body. The two are fused with
``index.fusion.fuse``. A third, learned signal is the key head (``index.linear_head.KeyHead``): a
classifier trained on the documents' keys, whose score is added with the head weight when the
caller passes the query's encoder features. The weights are one ``RetrieverWeights`` value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import numpy as np

from index.embedders import Embedder
from index.fusion import fuse
from index.linear_head import KeyHead
from index.sparse import SparseIndex
from index.text import stems
from index.types import Chunk, DocMeta, Document, Hit, RetrieverWeights
from index.units import HEAD_MAX_DOCS, KEY, check_ids, collect_units, embed_units, fit_key_head
from index.vectors import VectorIndex

DEFAULT_WEIGHTS = RetrieverWeights()  # what an index searches with until it is tuned


class Retriever:
    """Searches one built index. Build with ``Retriever.build`` or load with ``index.persist.load``."""

    def __init__(
        self,
        docs: list[DocMeta],
        chunks: list[Chunk],
        unit_doc: np.ndarray,
        unit_chunk: np.ndarray,
        vectors: np.ndarray,
        dense: VectorIndex,
        sparse: SparseIndex,
        weights: RetrieverWeights = DEFAULT_WEIGHTS,
        head: KeyHead | None = None,
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
        self.weights = weights
        self.head = head
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

    def with_weights(self, weights: RetrieverWeights) -> Retriever:
        """This index searched with other ``weights``: a new retriever sharing every array; this
        one is left as it is."""
        other = copy.copy(self)
        other.weights = weights
        return other

    @classmethod
    def build(
        cls,
        documents: Sequence[Document],
        embedder: Embedder,
        weights: RetrieverWeights = DEFAULT_WEIGHTS,
        max_words: int = 180,
        ann_threshold: int = 20_000,
        progress: Callable[[int, int], None] | None = None,
    ) -> Retriever:
        """Chunk, embed and index ``documents``.

        Args:
            documents: the collection; ids must be unique.
            embedder: the encoder (its ``encode`` returns normalised rows).
            weights: the fusion weights ``search`` uses. The key head is trained whatever its
                weight (tuning sets it later), unless there are more than ``HEAD_MAX_DOCS`` documents.
            max_words: the chunk size limit handed to the chunker.
            ann_threshold: the unit count from which an approximate FAISS index is used.
            progress: called with (done, total) texts while embedding.

        Raises:
            ValueError: on an empty collection or a repeated document id.
        """
        check_ids(documents)
        units = collect_units(documents, max_words)
        vectors, key_features = embed_units(embedder, units.texts, progress, keep=units.is_key)
        head = fit_key_head(units, key_features, len(documents)) if len(documents) <= HEAD_MAX_DOCS else None
        return cls(
            [DocMeta(d.id, d.title, d.url, d.lang) for d in documents],
            units.chunks,
            np.asarray(units.unit_doc, dtype=np.int32),
            np.asarray(units.unit_chunk, dtype=np.int32),
            vectors,
            VectorIndex.build(vectors, ann_threshold),
            SparseIndex.build(units.sparse_texts),
            weights,
            head,
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
        weights: RetrieverWeights | None = None,
        features: np.ndarray | None = None,
    ) -> list[Hit]:
        """The ``k`` best documents for one query, each with its best-matching chunk.

        Args:
            query: the query text (for BM25 and chunk choice).
            vector: the query embedding, already computed by the caller.
            k: how many documents to return.
            weights: the fusion weights; the index's own (``self.weights``) when None.
            features: the query's encoder features (``index.embedders.pooling.intent_features``), for
                the key head; without them the head is not used.
        """
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, the k is {k}")
        w = self.weights if weights is None else weights
        dense = self.dense_scores(vector)[0]
        sparse = self.sparse.scores(query)
        fused = fuse(dense + w.centroid * self.centroid_scores(vector)[0], sparse, w.fusion)
        if self.head is not None and w.head > 0 and features is not None:
            fused = fused + w.head * self.head.score_one(query, features)
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
                lang=self.docs[i].lang,
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

    def section_for(self, doc_id: str, query: str, vector: np.ndarray) -> Hit | None:
        """Document ``doc_id`` with its chunk that best answers the query (a follow-up answered
        from the article just discussed); None when the index has no such document."""
        row = self._doc_row.get(doc_id)
        if row is None:
            return None
        ids = self._chunks_of[row]
        chunk: Chunk | None = None
        if ids:
            # A follow-up is short ("and on Enterprise?"): the words it shares with a section's
            # heading weigh as much again as those it shares with the whole section.
            query_stems = set(stems(query))
            cosine = self.vectors[[self._chunk_unit[c] for c in ids]] @ np.asarray(vector, dtype=np.float32).reshape(-1)
            words = max(len(query_stems), 1)
            overlap = [
                (len(query_stems & self._stems_of(c)) + len(query_stems & set(stems(self.chunks[c].heading)))) / words
                for c in ids
            ]
            best = int(np.argmax(cosine + 0.15 * np.asarray(overlap, dtype=np.float32)))
            chunk, dense = self.chunks[ids[best]], float(cosine.max())
        else:
            dense = 0.0
        doc = self.docs[row]
        return Hit(doc.id, doc.title, doc.url, score=dense, dense=dense, sparse=0.0, chunk=chunk, lang=doc.lang)

    def doc(self, doc_id: str) -> DocMeta | None:
        """The document ``doc_id``, or None when the index has none."""
        row = self._doc_row.get(doc_id)
        return None if row is None else self.docs[row]

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """All chunks of a document, in order."""
        return [self.chunks[c] for c in self._chunks_of[self._doc_row[doc_id]]]

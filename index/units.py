"""The retrieval units of a collection (each document's keys and chunks) and their embeddings:
the steps of ``Retriever.build`` before the indexes are made."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.chunking import chunk_document
from index.embedders import Embedder
from index.embedders.pooling import intent_features, sentence_vectors
from index.linear_head import KEY_HEAD, KeyHead
from index.types import Chunk, Document

KEY = -1  # chunk number of a unit that is a key, not a chunk
# The key head trains one class per document (one-vs-rest): above this many documents its
# training time grows past what an index build should take, and the index goes without it.
HEAD_MAX_DOCS = 2_000


@dataclass(frozen=True)
class Units:
    """The retrieval units of a collection, document by document: each document's keys, then
    its chunks. ``sparse_texts`` holds one BM25 text per document (keys and body)."""

    texts: list[str]
    unit_doc: list[int]
    unit_chunk: list[int]  # the chunk number of each unit, ``KEY`` for a key
    chunks: list[Chunk]
    sparse_texts: list[str]

    @property
    def is_key(self) -> list[bool]:
        return [c == KEY for c in self.unit_chunk]


def check_ids(documents: Sequence[Document]) -> None:
    """Raise ValueError on an empty collection or a repeated document id."""
    if not documents:
        raise ValueError("cannot build an index over no documents")
    seen: set[str] = set()
    for d in documents:
        if d.id in seen:
            raise ValueError(f"document id {d.id!r} appears twice")
        seen.add(d.id)


def collect_units(documents: Sequence[Document], max_words: int) -> Units:
    """The retrieval units of ``documents``: each one's distinct keys (title first), then its
    chunks of at most ``max_words`` words."""
    units = Units([], [], [], [], [])
    for i, d in enumerate(documents):
        keys = list(dict.fromkeys([d.title, *d.keys]))
        for key in keys:
            units.texts.append(key)
            units.unit_doc.append(i)
            units.unit_chunk.append(KEY)
        for chunk in chunk_document(d, max_words):
            units.texts.append(chunk.embed_text(d.title))
            units.unit_doc.append(i)
            units.unit_chunk.append(len(units.chunks))
            units.chunks.append(chunk)
        units.sparse_texts.append("\n".join([*keys, d.text]))
    return units


def fit_key_head(units: Units, key_features: np.ndarray, n_docs: int) -> KeyHead | None:
    """The key head trained on the key units (``key_features`` in their order); None with
    fewer than two documents."""
    is_key = units.is_key
    key_rows = [d for d, key in zip(units.unit_doc, is_key, strict=True) if key]
    key_texts = [t for t, key in zip(units.texts, is_key, strict=True) if key]
    return KeyHead.fit(key_texts, key_rows, key_features, n_docs, KEY_HEAD)


def embed_units(
    embedder: Embedder,
    texts: list[str],
    progress: Callable[[int, int], None] | None,
    keep: Sequence[bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sentence vectors of ``texts`` in their order, and the encoder features
    (``intent_features``) of the texts marked in ``keep``, from the same pass.

    Texts are sent shortest first, so each batch pads to similar lengths: short keys no
    longer wait on a long chunk's padding. An encoder with a document side of its own
    (``encode_passage_layers``, E5) encodes the texts not marked in ``keep`` (chunks) with it."""
    batch = 64
    passages = getattr(embedder, "encode_passage_layers", None) if keep is not None else None
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    groups = [(order, embedder.encode_layers)]
    if passages is not None and keep is not None:  # keys and chunks never share a batch
        keys, chunks = [i for i in order if keep[i]], [i for i in order if not keep[i]]
        groups = [(keys, embedder.encode_layers), (chunks, passages)]
    batches = [(group[s : s + batch], encode) for group, encode in groups for s in range(0, len(group), batch)]
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    kept: dict[int, np.ndarray] = {}
    done = 0
    for rows, encode in batches:
        layers = encode([texts[i] for i in rows], batch_size=batch)
        out[rows] = sentence_vectors(layers)
        if keep is not None:
            wanted = [j for j, i in enumerate(rows) if keep[i]]
            if wanted:
                for i, f in zip([rows[j] for j in wanted], intent_features(layers[wanted]), strict=True):
                    kept[i] = f
        done += len(rows)
        if progress:
            progress(done, len(texts))
    features = np.stack([kept[i] for i in sorted(kept)]) if kept else np.zeros((0, 0), dtype=np.float32)
    return out, features

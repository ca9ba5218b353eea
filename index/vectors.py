"""The dense side of the index: FAISS inner-product search over normalised vectors.

Small collections use an exact flat index; above ``ann_threshold`` vectors an HNSW graph
(approximate) keeps search time flat. The threshold is measured by ``benchmarks/ann.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

try:
    import faiss
except ImportError as e:  # pragma: no cover - a dependency of the project
    raise ImportError("install faiss-cpu to enable dense retrieval") from e


class VectorIndex:
    """Inner-product search over unit rows; a thin wrapper that picks the FAISS index kind."""

    def __init__(self, index: faiss.Index, kind: str) -> None:
        self._index = index
        self.kind = kind

    @classmethod
    def build(cls, vectors: np.ndarray, ann_threshold: int = 20_000, hnsw_m: int = 32) -> VectorIndex:
        """An exact index for fewer than ``ann_threshold`` rows, an HNSW index otherwise."""
        if vectors.ndim != 2 or vectors.shape[0] == 0:
            raise ValueError(f"vectors must be a non-empty 2-D array, got shape {vectors.shape}")
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        if vectors.shape[0] < ann_threshold:
            index: faiss.Index = faiss.IndexFlatIP(dim)
            kind = "flat"
        else:
            hnsw = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 80
            index = hnsw
            kind = "hnsw"
        index.add(vectors)
        return cls(index, kind)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and row numbers of the ``k`` rows nearest to ``query`` (one row or a batch)."""
        q = np.ascontiguousarray(np.atleast_2d(query), dtype=np.float32)
        k = min(k, len(self))
        if self.kind == "hnsw":
            graph: Any = faiss.downcast_index(self._index)
            graph.hnsw.efSearch = max(64, 2 * k)
        scores, rows = self._index.search(q, k)
        return scores, rows

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, kind: str) -> VectorIndex:
        return cls(faiss.read_index(str(path)), kind)

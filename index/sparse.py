"""The lexical side of the index: BM25 over Snowball stems, as sparse matrices (bm25s)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import bm25s
import numpy as np

from index.text import stems


class SparseIndex:
    """BM25 over one text per document; scores every document for a query in one sparse product."""

    def __init__(self, model: bm25s.BM25) -> None:
        self._model = model

    @classmethod
    def build(cls, texts: list[str], k1: float = 1.2, b: float = 0.75) -> SparseIndex:
        if not texts:
            raise ValueError("cannot build a BM25 index over no texts")
        model = bm25s.BM25(k1=k1, b=b)
        # bm25s needs at least one token per document; a placeholder keeps row numbers aligned.
        corpus = [stems(t) or ["_empty_"] for t in texts]
        with contextlib.redirect_stderr(io.StringIO()):
            model.index(corpus, show_progress=False)
        return cls(model)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (zeros when no query word is known)."""
        tokens = [t for t in stems(query) if t in self._model.vocab_dict]
        n = int(self._model.scores["num_docs"])
        if not tokens:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self._model.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        self._model.save(str(folder))

    @classmethod
    def load(cls, folder: Path) -> SparseIndex:
        return cls(bm25s.BM25.load(str(folder)))

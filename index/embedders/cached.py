"""An embedder that remembers what it has encoded, for repeated builds over the same texts."""

from __future__ import annotations

import numpy as np

from index.embedders import Embedder
from index.embedders.pooling import sentence_vectors


class CachedEmbedder:
    """Wraps an embedder and remembers the encoder output of texts it has seen (for repeated
    builds): every layer's mean, from which the sentence vector and the features both come."""

    def __init__(self, inner: Embedder, max_items: int = 50_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._max_items = max_items
        self._cache: dict[str, np.ndarray] = {}

    def warm_up(self) -> None:
        self.inner.warm_up()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """The inner embedder's sentence vectors, each text encoded at most once."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return sentence_vectors(self.encode_layers(texts, batch_size))

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """The inner embedder's ``encode_layers``, each text encoded at most once (until the
        cache holds ``max_items``, when it starts afresh)."""
        if len(self._cache) + len(texts) > self._max_items:
            self._cache.clear()
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            self._cache.update(zip(missing, self.inner.encode_layers(missing, batch_size), strict=True))
        return np.stack([self._cache[t] for t in texts])

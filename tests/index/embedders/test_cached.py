"""The cache in front of an embedder: each text encoded once, the same output as the encoder."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedders.cached import CachedEmbedder
from index.embedders.fake import HashEmbedder


class _Counting(HashEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        self.seen += texts
        return super().encode_layers(texts, batch_size)


@pytest.mark.unit
def test_the_cache_encodes_each_text_once_and_gives_what_the_encoder_gives() -> None:
    inner = _Counting()
    cached = CachedEmbedder(inner)
    texts = ["invoice as PDF", "429 too many requests", "invoice as PDF"]

    layers = cached.encode_layers(texts)
    vectors = cached.encode(texts[:2])

    np.testing.assert_array_equal(layers, HashEmbedder().encode_layers(texts))
    np.testing.assert_allclose(vectors, HashEmbedder().encode(texts[:2]), atol=1e-6)  # normalised again
    assert inner.seen == ["invoice as PDF", "429 too many requests"]

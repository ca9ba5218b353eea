"""The deterministic fake encoder the unit tests run on."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedders.fake import HashEmbedder
from index.embedders.pooling import intent_features


@pytest.mark.unit
def test_hash_embedder_is_deterministic_and_normalised() -> None:
    texts = ["rate limits per plan", "invoice as PDF"]
    a = HashEmbedder().encode(texts)

    assert a.shape == (2, 256) and a.dtype == np.float32
    assert np.array_equal(a, HashEmbedder().encode(texts))
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    assert float(a[0] @ HashEmbedder().encode(["rate limit per plan"])[0]) > float(a[0] @ a[1])


@pytest.mark.unit
def test_hash_embedder_refuses_a_zero_dimension() -> None:
    with pytest.raises(ValueError, match="dim is 0"):
        HashEmbedder(dim=0)


@pytest.mark.unit
def test_the_fake_embedder_has_one_layer_whose_features_are_its_vector() -> None:
    texts = ["rate limits per plan", "invoice as PDF"]
    layers = HashEmbedder().encode_layers(texts)

    assert layers.shape == (2, 1, 256)
    np.testing.assert_allclose(intent_features(layers), HashEmbedder().encode(texts), atol=1e-6)

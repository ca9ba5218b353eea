"""Encoders: the deterministic fake for unit tests and the packaged MiniLM run by ONNX Runtime."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.assistant import Assistant
from index.embedder import (
    LAYERS,
    CachedEmbedder,
    HashEmbedder,
    OnnxMiniLM,
    encode_messages,
    intent_features,
    make_embedder,
    sentence_vectors,
)


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
def test_unknown_backend_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="onnx, torch, fake"):
        make_embedder("openai", tmp_path)


@pytest.mark.unit
def test_constructing_the_onnx_embedder_loads_nothing(tmp_path: Path) -> None:
    embedder = make_embedder("onnx", tmp_path / "models", threads=1)

    assert isinstance(embedder, OnnxMiniLM)
    assert not (tmp_path / "models").exists()


@pytest.mark.integration
def test_minilm_rows_are_normalised_384_dim_and_rank_paraphrases_first(assistant: Assistant) -> None:
    embedder = assistant.embedder
    vectors = embedder.encode(
        ["my api key is rejected", "the API says my key is invalid", "how do I bake sourdough bread"]
    )

    assert embedder.dim == 384 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.3
    assert embedder.encode([]).shape == (0, 384)


@pytest.mark.integration
def test_minilm_embedding_does_not_depend_on_the_rest_of_the_batch(assistant: Assistant) -> None:
    # Batches are padded to their longest text; padding must not change a short text's vector.
    short = "where is my invoice"
    alone = assistant.embedder.encode([short])[0]
    batched = assistant.embedder.encode([" ".join(["a much longer message about rate limits"] * 20), short])[1]

    assert float(alone @ batched) > 0.9999


@pytest.mark.integration
def test_one_pass_gives_the_sentence_vector_and_every_layer_for_intents(assistant: Assistant) -> None:
    texts = ["where is my invoice", "429 too many requests on the batch endpoint"]
    layers = assistant.embedder.encode_layers(texts)
    features = intent_features(layers)

    assert layers.shape == (2, LAYERS, 384)
    np.testing.assert_allclose(sentence_vectors(layers), assistant.embedder.encode(texts), atol=1e-6)
    assert features.shape == (2, LAYERS * 384)
    np.testing.assert_allclose(np.linalg.norm(features, axis=1), 1.0, rtol=1e-5)
    # The lower layers are not copies of the last: they carry what the sentence vector blurs.
    first, last = sentence_vectors(layers[:, :1]), sentence_vectors(layers)
    assert ((first * last).sum(1) < 0.95).all()
    encoded = encode_messages(assistant.embedder, texts)
    np.testing.assert_allclose(encoded[1].features, features[1], atol=1e-6)


@pytest.mark.integration
def test_layer_means_do_not_depend_on_the_rest_of_the_batch(assistant: Assistant) -> None:
    short = "cancel my plan"
    alone = assistant.embedder.encode_layers([short])[0]
    batched = assistant.embedder.encode_layers([" ".join(["a long message about regions and retention"] * 20), short])[
        1
    ]

    np.testing.assert_allclose(alone, batched, atol=1e-4)


@pytest.mark.unit
def test_the_fake_embedder_has_one_layer_whose_features_are_its_vector() -> None:
    texts = ["rate limits per plan", "invoice as PDF"]
    layers = HashEmbedder().encode_layers(texts)

    assert layers.shape == (2, 1, 256)
    np.testing.assert_allclose(intent_features(layers), HashEmbedder().encode(texts), atol=1e-6)

"""The packaged MiniLM run by ONNX Runtime (the real model, loaded once per test session)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.assistant import Assistant
from index.embedders import LAYERS, encode_messages
from index.embedders.pooling import intent_features, sentence_vectors


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

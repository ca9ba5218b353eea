"""Pooled encoder output into what the product uses: sentence vectors and intent features.

``encode_layers`` of every embedder gives (texts, layers, dim): each transformer layer's output
averaged over the text's tokens. The last layer is the sentence vector; all of them together,
each normalised, are the intent classifier's features.
"""

from __future__ import annotations

import numpy as np


def normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero), as float32."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def sentence_vectors(layers: np.ndarray) -> np.ndarray:
    """The normalised sentence vectors (last layer) of ``encode_layers`` output."""
    return normalise(np.asarray(layers, dtype=np.float32)[:, -1])


def intent_features(layers: np.ndarray) -> np.ndarray:
    """Every layer's mean, each normalised, side by side and scaled to unit length overall."""
    layers = np.asarray(layers, dtype=np.float32)
    n, depth, dim = layers.shape
    unit = layers / np.maximum(np.linalg.norm(layers, axis=2, keepdims=True), 1e-12)
    return (unit.reshape(n, depth * dim) / np.sqrt(depth)).astype(np.float32)

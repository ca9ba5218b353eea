"""A deterministic fake encoder for unit tests: no model, no download, the same vector every run."""

from __future__ import annotations

import hashlib
import itertools
import re

import numpy as np

from index.embedders.pooling import normalise

_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """Hashed word and word-pair counts.

    Texts sharing words get similar vectors, which is enough to test ranking and
    thresholds without loading a model.
    """

    name = "fake-hash"

    def __init__(self, dim: int = 256) -> None:
        if dim <= 0:
            raise ValueError(f"dim must be greater than 0. Currently, the dim is {dim}")
        self.dim = dim

    def warm_up(self) -> None:
        return None

    def _bucket(self, token: str) -> int:
        return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little") % self.dim

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """One normalised row per text."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w[:5] for w in _WORD.findall(text.lower())]
            for w in words:
                out[row, self._bucket(w)] += 1.0
            for a, b in itertools.pairwise(words):
                out[row, self._bucket(a + "_" + b)] += 0.5
        out[:, 0] += 1e-3  # no zero rows
        return normalise(out)

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """One "layer": the vector itself."""
        return self.encode(texts, batch_size)[:, None, :]

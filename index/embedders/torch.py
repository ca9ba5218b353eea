"""all-MiniLM-L6-v2 through sentence-transformers and PyTorch (``make_embedder("torch", ...)``).

torch and sentence-transformers are imported in ``warm_up``, not here: building the embedder
stays cheap, and the ONNX export imports ``layer_means`` without loading a model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from index.embedders import DIM, LAYERS, MAX_TOKENS, MODEL_NAME, packaged_model_dir
from index.embedders.pooling import normalise


class TorchMiniLM:
    """all-MiniLM-L6-v2 through sentence-transformers and PyTorch."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model: Any = None

    def warm_up(self) -> None:
        """Load the packaged weights (once)."""
        if self._model is not None:
            return
        import torch
        from sentence_transformers import SentenceTransformer

        if self._threads:
            torch.set_num_threads(self._threads)
        self._model = SentenceTransformer(str(packaged_model_dir()), device="cpu")
        self._model.max_seq_length = MAX_TOKENS

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """One normalised sentence vector per text."""
        self.warm_up()
        assert self._model is not None
        out = self._model.encode(texts, batch_size=batch_size, show_progress_bar=False)
        return normalise(np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim))

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Each text's layer means, (texts, LAYERS, dim)."""
        import torch

        self.warm_up()
        assert self._model is not None
        transformer = self._model[0]
        out = np.zeros((len(texts), LAYERS, self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            features = transformer.tokenize(texts[start : start + batch_size])
            with torch.no_grad():
                hidden = transformer.auto_model(**features, output_hidden_states=True).hidden_states[1:]
            out[start : start + batch_size] = layer_means(hidden, features["attention_mask"]).numpy()
        return out


def layer_means(hidden_states: Any, attention_mask: Any) -> Any:
    """Each layer's token states averaged over the real tokens (padding excluded): a torch
    tensor (batch, layers, dim). Shared by the PyTorch embedder and the ONNX export."""
    import torch

    m = attention_mask.unsqueeze(-1).float()
    count = m.sum(1).clamp(min=1e-9)
    return torch.stack([(h * m).sum(1) / count for h in hidden_states], 1)

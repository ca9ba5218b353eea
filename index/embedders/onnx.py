"""all-MiniLM-L6-v2 run by ONNX Runtime (``make_embedder("onnx", ...)``, the default backend)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from index.embedders import DIM, LAYERS, MAX_TOKENS, MODEL_NAME, packaged_model_dir
from index.embedders.pooling import sentence_vectors

ONNX_FILE = "all-MiniLM-L6-v2-layers.onnx"


class OnnxMiniLM:
    """all-MiniLM-L6-v2 run by ONNX Runtime: the same weights, about half the latency of PyTorch.

    The ONNX file is exported once from the packaged weights with ``torch.onnx`` into
    ``cache_dir`` and reused afterwards; cold starts then need neither torch nor transformers.
    """

    name = MODEL_NAME
    dim = DIM

    def __init__(self, cache_dir: str | Path, threads: int | None = None) -> None:
        self.cache_dir = Path(cache_dir)
        self._threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def onnx_path(self) -> Path:
        """Where the exported model is (or will be) kept."""
        return self.cache_dir / ONNX_FILE

    def warm_up(self) -> None:
        """Export the model when ``cache_dir`` has none yet, then open it and the tokenizer (once)."""
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            if not self.onnx_path.exists():
                from index.embedders.export import export_onnx

                export_onnx(self.onnx_path)
            options = ort.SessionOptions()
            if self._threads:
                options.intra_op_num_threads = self._threads
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            # The threads spin while a run lasts and stop when it returns: between messages
            # they would only take the cores from the reply's own work (and burn an idle CPU).
            options.add_session_config_entry("session.force_spinning_stop", "1")
            self._session = ort.InferenceSession(str(self.onnx_path), options, providers=["CPUExecutionProvider"])
            tok = Tokenizer.from_file(str(packaged_model_dir() / "tokenizer.json"))
            tok.enable_truncation(MAX_TOKENS)
            tok.enable_padding(pad_id=0, pad_token="[PAD]")
            self._tokenizer = tok

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """One normalised sentence vector per text."""
        return sentence_vectors(self.encode_layers(texts, batch_size))

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Each text's layer means, (texts, LAYERS, dim)."""
        self.warm_up()
        assert self._session is not None and self._tokenizer is not None
        out = np.zeros((len(texts), LAYERS, self.dim), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            (out[idx],) = self._session.run(["layer_means"], feeds)
        return out

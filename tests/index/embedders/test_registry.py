"""Choosing an embedder by name: the known names, what a missing library says, a cheap import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import index.embedders
from index.embedders import make_embedder
from index.embedders.fake import HashEmbedder
from index.embedders.onnx import OnnxMiniLM
from index.errors import ConfigError


@pytest.mark.unit
def test_unknown_backend_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="onnx, torch, e5, fake"):
        make_embedder("openai", tmp_path)
    with pytest.raises(ConfigError, match="unknown embedder backend 'openai'"):
        make_embedder("openai", tmp_path)


@pytest.mark.unit
def test_constructing_the_onnx_embedder_loads_nothing(tmp_path: Path) -> None:
    embedder = make_embedder("onnx", tmp_path / "models", threads=1)

    assert isinstance(embedder, OnnxMiniLM)
    assert not (tmp_path / "models").exists()


@pytest.mark.unit
def test_the_fake_backend_is_the_hash_embedder(tmp_path: Path) -> None:
    assert isinstance(make_embedder("fake", tmp_path), HashEmbedder)


@pytest.mark.unit
def test_a_missing_library_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = index.embedders.importlib.util.find_spec

    def without_sentence_transformers(name: str) -> object:
        return None if name == "sentence_transformers" else real(name)

    monkeypatch.setattr(index.embedders.importlib.util, "find_spec", without_sentence_transformers)

    with pytest.raises(ConfigError, match="pip install sentence-transformers"):
        make_embedder("torch", tmp_path)


@pytest.mark.unit
def test_importing_the_embedders_loads_no_heavy_library() -> None:
    heavy = ("numpy", "torch", "onnxruntime", "tokenizers", "transformers", "sentence_transformers")
    code = f"import sys, index.embedders; print([m for m in {heavy!r} if m in sys.modules])"

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert out.strip() == "[]"

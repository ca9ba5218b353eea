"""Shared fixtures.

Unit tests build a tiny knowledge base from the inline articles of helpers.py and use the
deterministic ``HashEmbedder``. Integration tests share one ``Assistant`` over the shipped
knowledge with the real packaged model, warmed up once per session in a session temporary
data folder.

Embedding the shipped knowledge base takes minutes on two CPU cores, so the session copies
the exported ONNX model and the last built index from pytest's cache folder into its data
folder before warming up. ``ensure_index`` still checks the knowledge hash and the file
checksums, and rebuilds whenever the knowledge, the model or the build parameters changed.
Run ``pytest --cache-clear`` to export the model and build the index from scratch.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Tests must not reach the network; the product's own default is checked in tests/ui.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from bot.assistant import Assistant
from bot.config import Settings, load_settings
from index.embedders.fake import HashEmbedder
from index.embedders.onnx import ONNX_FILE
from tests.helpers import write_kb


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    unmarked = [i.nodeid for i in items if not {"unit", "integration"} & {m.name for m in i.iter_markers()}]
    if unmarked:
        raise pytest.UsageError(f"tests without a unit or integration marker: {unmarked}")


@pytest.fixture(autouse=True)
def _hermetic_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SUPPORTBOT_* variable or .env of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("SUPPORTBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb")


@pytest.fixture
def settings(kb_dir: Path, tmp_path: Path) -> Settings:
    # The shipped threshold was tuned on the real encoder's cosines; the fake embedder's differ.
    return Settings(knowledge_dir=kb_dir, data_dir=tmp_path / "data", embedder="fake", answer_threshold=0.45)


@pytest.fixture
def fake_assistant(settings: Settings) -> Assistant:
    assistant = Assistant(settings, embedder=HashEmbedder())
    assistant.warm_up(progress=False)
    return assistant


def _copy_tree(src: Path, dst: Path) -> None:
    """Replace ``dst`` by a copy of ``src``; the copy is renamed into place when complete."""
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp)
    shutil.rmtree(dst, ignore_errors=True)
    os.replace(tmp, dst)


def _seed(cache: Path, data_dir: Path) -> None:
    """Copy the cached model and index into ``data_dir``; a broken cache only costs a rebuild."""
    for name, marker in (("models", ONNX_FILE), ("index", "manifest.json")):
        if (cache / name / marker).is_file():
            try:
                _copy_tree(cache / name, data_dir / name)
            except OSError:
                shutil.rmtree(data_dir / name, ignore_errors=True)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Assistant]:
    """The real assistant: packaged MiniLM through ONNX Runtime, over the shipped knowledge."""
    data_dir = tmp_path_factory.mktemp("supportbot-data")
    cache = Path(pytestconfig.cache.mkdir("supportbot")) if pytestconfig.cache else None
    if cache is not None:
        _seed(cache, data_dir)
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("SUPPORTBOT_"):
                mp.delenv(name)
        mp.chdir(data_dir)
        settings = load_settings(embedder="onnx", data_dir=data_dir)
    bot = Assistant(settings)
    bot.warm_up(progress=False)
    if cache is not None:
        try:
            if not (cache / "models" / ONNX_FILE).is_file():
                _copy_tree(data_dir / "models", cache / "models")
            _copy_tree(data_dir / "index", cache / "index")
        except OSError:  # another session is writing the cache; it is only a cache
            pass
    yield bot

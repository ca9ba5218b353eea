"""The wheel is the product: installed on its own, ``supportbot eval`` finds everything it reads.

The wheel is built from a copy of the sources (so no stale ``build/`` folder of the checkout leaks
into it) and installed into a fresh virtual environment that reuses the installed dependencies
(``--system-site-packages``: torch and the packaged model, offline). The command runs outside the
repository, so the knowledge base, the evaluation set and the scenarios can only come from the
wheel. The session cache of tests/conftest.py (the exported ONNX model and the last index) seeds
the data folder; the index is only reused when the installed knowledge hashes the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.embedders.onnx import ONNX_FILE

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ("pyproject.toml", "README.md", "bot", "index", "knowledge", "ui")
# Every scenario of the source tree, English and Chinese, must ship in the wheel.
SHIPPED_SCENARIOS = len(list((ROOT / "knowledge" / "eval" / "conversations").glob("*.yaml")))


def run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def build_wheel(tmp_path: Path) -> Path:
    """``pip wheel`` of a clean copy of the sources, without network (the installed setuptools)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", dist], cwd=src)
    (wheel,) = dist.glob("supportbot-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment with ``wheel`` in its own site-packages; returns its bin folder."""
    run([sys.executable, "-m", "venv", "--system-site-packages", venv], cwd=venv.parent)
    bin_dir = venv / "bin"
    run(
        [bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--force-reinstall", wheel],
        cwd=venv.parent,
    )
    return bin_dir


def seed(cache: pytest.Cache | None, data: Path) -> None:
    """Copy the test session's cached model and index into ``data``; a broken copy only costs a rebuild."""
    folder = Path(cache.mkdir("supportbot")) if cache is not None else None
    for name, marker in (("models", ONNX_FILE), ("index", "manifest.json")):
        if folder is not None and (folder / name / marker).is_file():
            try:
                shutil.copytree(folder / name, data / name)
            except OSError:  # another session is replacing the cache right now
                shutil.rmtree(data / name, ignore_errors=True)


def test_the_installed_wheel_evaluates_the_shipped_knowledge_and_scenarios(
    tmp_path: Path, pytestconfig: pytest.Config
) -> None:
    bin_dir = install(build_wheel(tmp_path), tmp_path / "venv")
    data, work = tmp_path / "data", tmp_path / "work"
    data.mkdir()
    work.mkdir()
    seed(getattr(pytestconfig, "cache", None), data)  # None under -p no:cacheprovider
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORTBOT_") and k != "PYTHONPATH"}
    env |= {"HF_HUB_OFFLINE": "1", "SUPPORTBOT_DATA_DIR": str(data), "PYTHONNOUSERSITE": "1"}

    where = run([bin_dir / "python", "-c", "import bot, knowledge, ui.cli; print(knowledge.__file__)"], work, env)
    report = json.loads(run([bin_dir / "supportbot", "eval", "--json"], work, env).stdout)

    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv")  # the wheel's copy, not the checkout
    assert report["split"] == "test"
    assert report["scenarios"]["total"] == SHIPPED_SCENARIOS
    retrieval = report["retrieval"]
    assert retrieval["n"] > 100
    assert all(0.0 < retrieval[k] <= 1.0 for k in ("R@1", "R@5", "MRR@10"))
    assert 0.0 <= report["answered_out_of_scope"] <= 1.0 and 0.0 <= report["refused_in_scope"] <= 1.0
    chinese = report["languages"]["zh"]  # the Chinese articles, intents and evaluation set shipped too
    assert chinese["language"] == "zh" and chinese["retrieval"]["n"] > 100

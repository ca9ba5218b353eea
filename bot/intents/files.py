"""The intent model folder: ``classifier.joblib`` beside a ``manifest.json`` that vouches for it.

The manifest names the format, the embedder, the fingerprint of the examples, the intents
and their routes, and the classifier file's checksum, so a stale or damaged folder is
recognised before anything is unpickled. Folders are written atomically (a temporary
sibling renamed into place, ``index.persist.building``).
"""

from __future__ import annotations

import json
import pickle
import time
from pathlib import Path
from typing import Any

import joblib

from bot.intents.types import IntentModelError
from index.persist import building, sha256_file

# 2: features are every encoder layer's mean (index.embedders.pooling.intent_features); 3: the head's
# types are pickled from index.linear_head (was index.head); 4: the classifier is pickled from
# bot.intents.model (was bot.intents) and carries its intents' topics. An older folder cannot load.
FORMAT_VERSION = 4
MODEL_FILE = "classifier.joblib"
MANIFEST_FILE = "manifest.json"


def read_manifest(folder: str | Path) -> dict[str, Any] | None:
    """The manifest of the model in ``folder``, or None when there is none or it is unreadable."""
    try:
        data = json.loads((Path(folder) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_folder(folder: str | Path, model: object, manifest: dict[str, Any]) -> Path:
    """Pickle ``model`` into ``folder`` with ``manifest`` plus format, creation time and checksum.

    Raises:
        OSError: when the folder cannot be written; a previous model there stays intact.
    """
    with building(folder) as tmp:
        joblib.dump(model, tmp / MODEL_FILE)
        full = {
            "format": FORMAT_VERSION,
            **manifest,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "checksum": sha256_file(tmp / MODEL_FILE),
        }
        (tmp / MANIFEST_FILE).write_text(json.dumps(full, indent=2), encoding="utf-8")
    return Path(folder)


def read_folder(folder: str | Path, embedder: str | None = None) -> object:
    """The object pickled in ``folder``, after its manifest vouched for it.

    The file is a pickle: load only folders this installation wrote.

    Raises:
        IntentModelError: when the folder has no model, its format is another, the checksum
            differs, it was trained on another embedder than ``embedder``, or it cannot be unpickled.
    """
    manifest = read_manifest(folder)
    if manifest is None:
        raise IntentModelError(f"{folder}: no intent model here (manifest.json missing or unreadable)")
    if manifest.get("format") != FORMAT_VERSION:
        raise IntentModelError(f"{folder}: model format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
    path = Path(folder) / MODEL_FILE
    if not path.is_file() or sha256_file(path) != manifest.get("checksum"):
        raise IntentModelError(f"{path}: missing or its checksum differs from the manifest; retrain")
    if embedder is not None and manifest.get("embedder") != embedder:
        raise IntentModelError(
            f"{folder}: trained on embeddings of {manifest.get('embedder')!r}, but this assistant uses {embedder!r}"
        )
    try:
        return joblib.load(path)
    except (AttributeError, ImportError, EOFError, pickle.UnpicklingError) as e:
        # The checksum matched, so the file is whole: it was written by other code than this.
        raise IntentModelError(f"{path}: cannot be read by this version ({e}); retrain") from e

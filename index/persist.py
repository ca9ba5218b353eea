"""The index on disk: a folder with a manifest, published atomically, loaded read-only.

Layout of an index folder::

    manifest.json   format, model, dimensions, knowledge hash, fusion weight, file checksums
    docs.json       documents, chunks and retrieval units
    vectors.npy     unit embeddings (float32, normalised)
    dense.faiss     the FAISS index over vectors.npy
    bm25/           the BM25 sparse matrices (bm25s)
    head.joblib     the key head (``index.linear_head.KeyHead``), when the index has one; a pickle,
                    so load only folders this installation wrote (its checksum is verified).
                    A pickle names the modules of its classes: moving one is a new format.

A build writes a sibling temporary folder and renames it into place, so a crash or a
failed build never leaves a half-written index where a good one was.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from index.errors import IndexStoreError
from index.linear_head import KeyHead
from index.retriever import Retriever
from index.sparse import SparseIndex
from index.types import Chunk, DocMeta, Document, RetrieverWeights
from index.vectors import VectorIndex

# 2: the key head and its weight; 3: the key head reads words only; 4: the key head is pickled
# from index.linear_head (was index.head), so a folder of format 3 cannot load it.
# 5: documents record the language of their text (the Chinese index mixes both).
FORMAT_VERSION = 5


def knowledge_hash(documents: Sequence[Document], model: str, params: dict[str, Any]) -> str:
    """A digest of everything the index is built from: documents, model name and build parameters."""
    h = hashlib.sha256()
    h.update(json.dumps({"format": FORMAT_VERSION, "model": model, "params": params}, sort_keys=True).encode())
    for d in documents:
        h.update(json.dumps(asdict(d), sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def save(retriever: Retriever, folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``retriever`` to ``folder`` atomically and return the folder.

    The files go to a temporary sibling folder first; only a complete, checksummed folder
    is renamed into place. A previous index at ``folder`` is replaced only then.
    """
    with building(folder) as tmp:
        docs = {
            "docs": [asdict(d) for d in retriever.docs],
            "chunks": [asdict(c) for c in retriever.chunks],
            "unit_doc": retriever.unit_doc.tolist(),
            "unit_chunk": retriever.unit_chunk.tolist(),
        }
        (tmp / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        np.save(tmp / "vectors.npy", retriever.vectors)
        retriever.dense.save(tmp / "dense.faiss")
        retriever.sparse.save(tmp / "bm25")
        if retriever.head is not None:
            joblib.dump(retriever.head, tmp / "head.joblib")
        files = sorted(p for p in tmp.rglob("*") if p.is_file())
        manifest = {
            **manifest,
            "format": FORMAT_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "documents": len(retriever.docs),
            "chunks": len(retriever.chunks),
            "units": len(retriever.unit_doc),
            "dimensions": int(retriever.vectors.shape[1]),
            "dense_kind": retriever.dense.kind,
            "fusion_weight": retriever.weights.fusion,
            "centroid_weight": retriever.weights.centroid,
            "head_weight": retriever.weights.head,
            "checksums": {str(p.relative_to(tmp)): sha256_file(p) for p in files},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


@contextmanager
def building(folder: str | Path) -> Iterator[Path]:
    """A temporary sibling of ``folder`` to write into; renamed into place when the block
    completes, removed (leaving any previous ``folder`` untouched) when it raises."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent))
    try:
        yield tmp
        publish_folder(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def publish_folder(tmp: Path, folder: Path) -> None:
    """Rename ``tmp`` to ``folder``; an existing folder is moved aside first, then removed."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}-{time.time_ns()}")
        os.rename(folder, old)
    try:
        os.rename(tmp, folder)
    except OSError:
        if old is not None:
            os.rename(old, folder)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of the index at ``folder``, or None when there is none or it is unreadable."""
    try:
        data = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def load(folder: Path, verify: bool = True) -> tuple[Retriever, dict[str, Any]]:
    """Load the index at ``folder``.

    Raises:
        IndexStoreError: when the folder has no manifest, a file is missing, or a checksum differs.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        raise IndexStoreError(f"{folder}: no index here (manifest.json missing or unreadable)")
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexStoreError(f"{folder}: index format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
    if verify:
        for name, digest in manifest["checksums"].items():
            path = folder / name
            if not path.exists():
                raise IndexStoreError(f"{folder}: {name} is missing")
            if sha256_file(path) != digest:
                raise IndexStoreError(f"{folder}: {name} does not match its checksum; rebuild the index")
    data = json.loads((folder / "docs.json").read_text(encoding="utf-8"))
    vectors = np.load(folder / "vectors.npy")
    head = _load_head(folder) if "head.joblib" in manifest["checksums"] else None
    retriever = Retriever(
        docs=[DocMeta(**d) for d in data["docs"]],
        chunks=[Chunk(**c) for c in data["chunks"]],
        unit_doc=np.asarray(data["unit_doc"], dtype=np.int32),
        unit_chunk=np.asarray(data["unit_chunk"], dtype=np.int32),
        vectors=vectors,
        dense=VectorIndex.load(folder / "dense.faiss", manifest["dense_kind"]),
        sparse=SparseIndex.load(folder / "bm25"),
        weights=RetrieverWeights(
            fusion=float(manifest["fusion_weight"]),
            centroid=float(manifest.get("centroid_weight", 0.0)),
            head=float(manifest.get("head_weight", 0.0)),
        ),
        head=head,
    )
    return retriever, manifest


def _load_head(folder: Path) -> KeyHead:
    """The pickled key head; IndexStoreError (so the caller rebuilds) when this installation
    cannot unpickle it, e.g. after one of its classes moved without a new ``FORMAT_VERSION``."""
    try:
        head = joblib.load(folder / "head.joblib")
    except (ImportError, AttributeError, pickle.UnpicklingError) as e:
        raise IndexStoreError(f"{folder}: head.joblib cannot be loaded ({e}); rebuild the index") from e
    if not isinstance(head, KeyHead):
        raise IndexStoreError(f"{folder}: head.joblib holds a {type(head).__name__}, not a key head; rebuild the index")
    return head

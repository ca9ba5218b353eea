"""Glue between the knowledge files and the index: build when the knowledge changed, else load."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bot.config import Settings
from bot.errors import IndexStoreError
from index import persist
from index.embedders import Embedder
from index.retriever import Retriever
from index.text import add_words
from index.types import Document, RetrieverWeights
from knowledge import load_documents
from knowledge.catalog import load_catalog
from knowledge.evalset import load_labelled
from knowledge.translations import ZH, chinese_documents, chinese_terms, load_bilingual


def build_params(settings: Settings) -> dict[str, Any]:
    params: dict[str, Any] = {"chunk_words": settings.chunk_words, "ann_threshold": settings.ann_threshold}
    if settings.language == ZH:  # the Chinese words jieba keeps whole shape the BM25 index
        params["words"] = sorted(set(teach_terms(settings)))
    return params


def teach_terms(settings: Settings) -> list[str]:
    """Teach jieba the knowledge base's own Chinese terms (glossary, model names); returns them."""
    kb = settings.knowledge_dir
    if not kb.is_dir():
        return []
    catalog = load_catalog(kb / "catalog.yaml") if (kb / "catalog.yaml").is_file() else []
    words = chinese_terms(kb / "glossary.zh.yaml", catalog)
    add_words(words)
    return words


def build(
    documents: Sequence[Document],
    embedder: Embedder,
    out: Path,
    settings: Settings,
    source: str,
    weights: RetrieverWeights | None = None,
    progress: bool = True,
) -> Retriever:
    """Build an index over ``documents`` and publish it atomically at ``out``, with a progress bar.

    ``weights`` are tuned weights to record with the index; without them it searches with the
    settings' weights, and takes the settings' current ones again each time it is loaded."""
    bar = tqdm(total=0, desc="embedding", unit="text", disable=not progress, file=sys.stderr)

    def report(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        if done == total:  # what follows the last text: fitting the key head (seconds)
            bar.set_postfix_str("training the key head")
        bar.refresh()

    embedder.warm_up()
    retriever = Retriever.build(
        documents,
        embedder,
        weights=settings_weights(settings) if weights is None else weights,
        max_words=settings.chunk_words,
        ann_threshold=settings.ann_threshold,
        progress=report,
    )
    bar.close()
    manifest = {
        "model": embedder.name,
        "source": source,
        "knowledge_hash": persist.knowledge_hash(documents, embedder.name, build_params(settings)),
        "params": build_params(settings),
        "tuned": weights is not None,
    }
    persist.save(retriever, out, manifest)
    return retriever


def with_learned_keys(documents: Sequence[Document], questions: Sequence[Any]) -> list[Document]:
    """``documents`` with each labelled question added as a key of the first document it names."""
    extra: dict[str, list[str]] = {}
    for q in questions:
        extra.setdefault(q.ids[0], []).append(q.text)
    return [replace(d, keys=tuple(dict.fromkeys([*d.keys, *extra[d.id]]))) if d.id in extra else d for d in documents]


def knowledge_documents(settings: Settings) -> list[Document]:
    """The documents to index: the knowledge, plus the train split's questions as learned keys.

    Chinese messages search the articles in Chinese where they are translated and in English
    where not (an imported FAQ file stays English: the multilingual encoder crosses over)."""
    kb = settings.knowledge_dir
    chinese = settings.language == ZH and kb.is_dir() and (kb / "articles").is_dir()
    documents = chinese_documents(load_bilingual(kb / "articles")) if chinese else load_documents(kb)
    train = kb / "eval" / (f"{ZH}/train.jsonl" if settings.language == ZH else "train.jsonl")
    if settings.learn_from_train and settings.knowledge_dir.is_dir() and train.is_file():
        documents = with_learned_keys(documents, load_labelled(train, {d.id for d in documents}))
    return documents


def ensure_index(settings: Settings, embedder: Embedder, progress: bool = True) -> Retriever:
    """The index of ``settings.knowledge_dir``: loaded when current, rebuilt when the knowledge changed."""
    documents = knowledge_documents(settings)
    folder = settings.resolved_index_dir
    digest = persist.knowledge_hash(documents, embedder.name, build_params(settings))
    manifest = persist.read_manifest(folder)
    if manifest is not None and manifest.get("knowledge_hash") == digest:
        try:
            retriever, manifest = persist.load(folder)
        except IndexStoreError as e:
            print(f"supportbot: {e}; rebuilding", file=sys.stderr)
        else:
            return retriever if manifest.get("tuned") else retriever.with_weights(settings_weights(settings))
    if progress:
        print(f"supportbot: building the index of {settings.knowledge_dir} in {folder}", file=sys.stderr)
    return build(documents, embedder, folder, settings, source=str(settings.knowledge_dir), progress=progress)


def load_index(folder: Path, settings: Settings, expected_model: str | None = None) -> Retriever:
    """Load a prebuilt index folder (for ``search --index``).

    Raises:
        IndexStoreError: when the folder holds no valid index, or one built with another model
            than ``expected_model``.
    """
    retriever, manifest = persist.load(folder)
    if expected_model and manifest.get("model") != expected_model:
        raise IndexStoreError(f"{folder}: built with {manifest.get('model')!r}, but the embedder is {expected_model!r}")
    return retriever if manifest.get("tuned") else retriever.with_weights(settings_weights(settings))


def settings_weights(settings: Settings) -> RetrieverWeights:
    """The fusion weights the settings hold now (an untuned index searches with these)."""
    return RetrieverWeights(settings.fusion_weight, settings.centroid_weight, settings.head_weight)

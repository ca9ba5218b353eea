"""Loading what a turn needs, once: the index, the intent classifier, the flows, the catalog and
the assistant's sentences, checked together at start-up (``Assistant.warm_up``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from threadpoolctl import threadpool_limits

from bot.advisor import ADVISOR_KEYS
from bot.flows import FlowBook
from bot.handlers import COPY_KEYS
from bot.indexing import ensure_index
from bot.intents.training import ensure_model
from bot.types import Route
from knowledge.catalog import Model, load_catalog
from knowledge.copy import DEFAULT_COPY, Copy, load_copy
from knowledge.flows import load_flows
from knowledge.translations import ZH, translate_catalog, translate_flows

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.intents.model import IntentClassifier
    from index.embedders import Embedder
    from index.retriever import Retriever

# Every key of assistant.yaml the assistant asks for; a missing one stops the start-up.
# The front ends show the brand's title and tagline on the customer's pages.
REQUIRED_COPY = (*ADVISOR_KEYS, *COPY_KEYS, "brand.title", "brand.tagline")


@dataclass(frozen=True)
class Parts:
    """The loaded pieces a turn needs.

    ``routes`` and ``topics`` are the intent classifier's routes and customer-facing labels,
    read once; ``retriever``, ``intents`` and ``flows`` are None when the knowledge has none.
    A language has its own parts (``settings.language``): Chinese messages are encoded by
    ``embedder`` (the multilingual one), search the Chinese index and are answered in Chinese.
    """

    settings: Settings
    copy: Copy
    embedder: Embedder | None = None
    retriever: Retriever | None = None
    intents: IntentClassifier | None = None
    flows: FlowBook | None = None
    catalog: tuple[Model, ...] = ()
    routes: Mapping[str, Route] = field(default_factory=dict)
    topics: Mapping[str, str] = field(default_factory=dict)


def load_parts(
    settings: Settings, embedder: Embedder, progress: bool = True, retriever: Retriever | None = None
) -> Parts:
    """Warm up the encoder and load everything a turn needs: the index (built when the knowledge
    changed, unless ``retriever`` is given), the intent classifier (trained when its examples
    changed), the flows, the catalog and the sentences.

    Raises:
        KnowledgeError: naming the file, line and field of invalid knowledge or a missing sentence.
        IndexStoreError, IntentModelError: when a stored index or model cannot be used.
    """
    # The encoder's threads take every core and spin between calls. A BLAS thread pool woken by
    # a reply's small matrix products only fights them for the cores: in a reply that made the
    # dense search 1.8 ms instead of 0.4 and the next encoding twice as slow. One BLAS thread
    # per process, then.
    threadpool_limits(limits=1, user_api="blas")
    embedder.warm_up()
    retriever = retriever or ensure_index(settings, embedder, progress=progress)
    intents = ensure_model(settings.resolved_intents_file, settings.intent_model_dir, embedder, progress)
    knowledge = settings.knowledge_dir
    catalog = tuple(load_catalog(knowledge / "catalog.yaml")) if (knowledge / "catalog.yaml").is_file() else ()
    flows = load_flow_book(knowledge, {d.id for d in retriever.docs}, settings.language)
    if settings.language == ZH:
        catalog = tuple(translate_catalog(catalog, knowledge / "catalog.zh.yaml"))
    return Parts(
        settings=settings,
        copy=load_assistant_copy(knowledge, settings.language),
        embedder=embedder,
        retriever=retriever,
        intents=intents,
        flows=flows,
        catalog=catalog,
        routes={name: Route(kind) for name, kind in intents.routes.items()} if intents is not None else {},
        topics=dict(intents.topics) if intents is not None else {},
    )


def load_flow_book(knowledge: Path, articles: set[str], language: str) -> FlowBook | None:
    """The troubleshooting flows of ``knowledge`` (None without any), in ``language``."""
    folder = knowledge / "troubleshooting"
    if not folder.is_dir():
        return None
    flows = load_flows(folder, articles)
    if language == ZH:
        flows = translate_flows(flows, folder / ZH)
    return FlowBook(flows.values())


def load_assistant_copy(knowledge_dir: Path, language: str = "en") -> Copy:
    """The sentences of ``knowledge_dir/assistant.yaml``, checked for every key the code asks for;
    in Chinese, those of ``assistant.zh.yaml``, where a missing key is said in English.

    An imported knowledge folder or FAQ file without its own sentences speaks the packaged ones.
    """
    own = knowledge_dir / "assistant.yaml"
    english = load_copy(own if own.is_file() else DEFAULT_COPY, required=REQUIRED_COPY)
    if language != ZH:
        return english
    zh = knowledge_dir / "assistant.zh.yaml"
    zh = zh if zh.is_file() else DEFAULT_COPY.with_name("assistant.zh.yaml")
    return load_copy(zh).over(english) if zh.is_file() else english

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
    """

    settings: Settings
    copy: Copy
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
    folder = knowledge / "troubleshooting"
    flows = FlowBook.from_folder(folder, {d.id for d in retriever.docs}) if folder.is_dir() else None
    catalog = tuple(load_catalog(knowledge / "catalog.yaml")) if (knowledge / "catalog.yaml").is_file() else ()
    return Parts(
        settings=settings,
        copy=load_assistant_copy(knowledge),
        retriever=retriever,
        intents=intents,
        flows=flows,
        catalog=catalog,
        routes={name: Route(kind) for name, kind in intents.routes.items()} if intents is not None else {},
        topics=dict(intents.topics) if intents is not None else {},
    )


def load_assistant_copy(knowledge_dir: Path) -> Copy:
    """The sentences of ``knowledge_dir/assistant.yaml``, checked for every key the code asks for.

    An imported knowledge folder or FAQ file without its own sentences speaks the packaged ones.
    """
    own = knowledge_dir / "assistant.yaml"
    return load_copy(own if own.is_file() else DEFAULT_COPY, required=REQUIRED_COPY)

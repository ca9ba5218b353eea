"""The one entry point every front end calls: ``Assistant.reply(conversation_id, text)``."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from bot.advisor import ADVISOR_KEYS
from bot.config import Settings, load_settings
from bot.desk import SupportDesk
from bot.dialogue import ConversationState, Parts, Understanding, converse, respond, understand
from bot.errors import InputError
from bot.flows import FlowBook
from bot.indexing import ensure_index, load_index
from bot.intents.model import IntentClassifier
from bot.intents.training import ensure_model
from bot.store import StaleConversation, Store
from bot.types import Reply
from index.embedders import Embedder, Encoding, encode_messages, make_embedder
from index.retriever import Retriever
from index.types import Hit
from knowledge.catalog import Model, load_catalog
from knowledge.copy import DEFAULT_COPY, Copy, load_copy

# Conversations whose latest state this process keeps, and how often a turn is redone when
# another writer changed its conversation in between.
STATE_CACHE = 10_000
WRITE_ATTEMPTS = 3


class Assistant:
    """Guards input, encodes it once, classifies and retrieves, routes and hands over to the
    route's handler.

    The constructor is cheap; ``warm_up()`` loads the model, the index and the intent
    classifier (building the index or training the classifier when their files changed).
    ``reply`` warms up on first use.
    """

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or load_settings()
        self.embedder = embedder or make_embedder(
            self.settings.embedder, self.settings.model_cache_dir, self.settings.threads
        )
        self._retriever: Retriever | None = None
        self._intents: IntentClassifier | None = None
        self._store: Store | None = None
        self._flows: FlowBook | None = None
        self._catalog: tuple[Model, ...] = ()
        self._copy: Copy | None = None
        self._states: OrderedDict[str, tuple[int, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def warm_up(self, progress: bool = True) -> None:
        """Load the encoder and the index; safe to call more than once."""
        with self._lock:
            if self._retriever is None:
                # The encoder's threads take every core and spin between calls. A BLAS thread
                # pool woken by a reply's small matrix products only fights them for the cores:
                # in a reply that made the dense search 1.8 ms instead of 0.4 and the next
                # encoding twice as slow. One BLAS thread per process, then.
                threadpool_limits(limits=1, user_api="blas")
                self.embedder.warm_up()
                self._retriever = ensure_index(self.settings, self.embedder, progress=progress)
                self._intents = ensure_model(
                    self.settings.resolved_intents_file, self.settings.intent_model_dir, self.embedder, progress
                )
            folder = self.settings.knowledge_dir / "troubleshooting"
            if self._flows is None and folder.is_dir():
                self._flows = FlowBook.from_folder(folder, {d.id for d in self._retriever.docs})
            catalog = self.settings.knowledge_dir / "catalog.yaml"
            if not self._catalog and catalog.is_file():
                self._catalog = tuple(load_catalog(catalog))
            if self._copy is None:
                # An imported knowledge folder or FAQ file without its own sentences speaks the packaged ones.
                own = self.settings.knowledge_dir / "assistant.yaml"
                self._copy = load_copy(own if own.is_file() else DEFAULT_COPY, required=ADVISOR_KEYS)
            if self._store is None:
                store = Store(self.settings.resolved_database_url)
                store.migrate()
                self._store = store

    def use_index(self, folder: Path) -> None:
        """Search a prebuilt index folder instead of the knowledge base's own index."""
        with self._lock:
            self.embedder.warm_up()
            self._retriever = load_index(folder, self.settings, self.embedder.name)

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self.warm_up()
        assert self._retriever is not None
        return self._retriever

    @property
    def copy(self) -> Copy:
        """Every sentence the assistant says in its own words (``assistant.yaml``), checked at load."""
        if self._copy is None:
            self.warm_up()
        assert self._copy is not None
        return self._copy

    @property
    def store(self) -> Store:
        """The database of conversations, turns and tickets."""
        if self._store is None:
            self.warm_up()
        assert self._store is not None
        return self._store

    @property
    def desk(self) -> SupportDesk:
        """The staff side (tickets, staff accounts, widget keys, analytics) over this
        assistant's database: one connection pool for the customers' turns and the staff."""
        return SupportDesk(self.store)

    @property
    def flows(self) -> FlowBook | None:
        """The troubleshooting flows, or None when the knowledge has none."""
        self.retriever  # noqa: B018  (warms up)
        return self._flows

    @property
    def intents(self) -> IntentClassifier | None:
        """The intent classifier, or None when the knowledge has no intent examples."""
        self.retriever  # noqa: B018  (warms up)
        return self._intents

    def check(self, text: str) -> str:
        """The message stripped, or ``InputError`` when it is empty or too long."""
        if not isinstance(text, str):
            raise InputError(f"a message must be text, got {type(text).__name__}")
        clean = text.strip()
        if not clean:
            raise InputError("the message is empty")
        limit = self.settings.max_message_chars
        if len(clean) > limit:
            raise InputError(f"the message has {len(clean)} characters; the limit is {limit}")
        return clean

    def document(self, doc_id: str) -> tuple[str, str] | None:
        """The title and Markdown text of a knowledge-base document, or None if there is none."""
        r = self.retriever
        meta = next((d for d in r.docs if d.id == doc_id), None)
        if meta is None:
            return None
        parts: list[str] = []
        last_heading = None
        for chunk in r.chunks_of(doc_id):
            if chunk.heading and chunk.heading != last_heading:
                parts.append(f"## {chunk.heading}")
            last_heading = chunk.heading
            parts.append(chunk.text)
        return meta.title, "\n\n".join(parts)

    def record_feedback(self, conversation_id: str, message: str, helpful: bool) -> None:
        """Keep a thumbs up or down on a reply (the feedback table of the database)."""
        self.store.add_feedback(conversation_id, helpful, message)

    def search(self, text: str, k: int = 5) -> list[Hit]:
        """The ``k`` best knowledge-base documents for ``text``."""
        clean = self.check(text)
        encoding = self.encode(clean)
        return self.retriever.search(clean, encoding.vector, k=k, features=encoding.features)

    def suggest(self, messages: list[str]) -> Reply | None:
        """What the bot would answer, with sources, to the newest of a customer's ``messages``
        (oldest first) that the knowledge base covers: the suggestion staff see on a ticket.
        None when no message finds anything. Nothing is stored."""
        for text in reversed(messages):
            if not text.strip() or len(text) > self.settings.max_message_chars:
                continue
            clean = text.strip()
            reply = self.respond(None, clean, self.encode(clean))
            if reply.sources:
                return reply
        return None

    def reply(self, conversation_id: str | None, text: str, client_message_id: str | None = None) -> Reply:
        """The assistant's reply to one customer message, remembered with its conversation.

        Args:
            conversation_id: the conversation this message belongs to; a new one when None.
            text: the customer's message.
            client_message_id: the sender's id of this message; a repeated request with the
                same id gets the stored reply and is not stored twice.

        Raises:
            InputError: when the message is empty or longer than ``max_message_chars``.
        """
        clean = self.check(text)
        store = self.store
        cid = conversation_id or uuid.uuid4().hex
        if client_message_id is not None:
            prior = store.find_reply(cid, client_message_id)
            if prior is not None:
                return Reply.from_json(prior)
        encoding = self.encode(clean)
        parts = Parts(self.retriever, self.intents, self.settings, self._flows, self._catalog, copy=self.copy)
        for _ in range(WRITE_ATTEMPTS):
            version, state = self._state_of(cid, known=conversation_id is not None)
            result = converse(cid, clean, encoding, state, parts)
            answer, new_state = result.reply.to_json(), result.state
            try:
                adds_to = new_state.ticket if new_state.status == "handoff" and result.ticket is None else None
                kept = store.save_turn(
                    cid, clean, answer, new_state.to_json(), new_state.status,
                    client_message_id, result.ticket, version, adds_to,
                )  # fmt: skip
            except StaleConversation:
                self._states.pop(cid, None)  # another worker or staff changed it: read it again
                continue
            self._remember(cid, version + 1, new_state)
            return Reply.from_json(kept)  # as stored, so a repeated request gets exactly this
        raise InputError(f"conversation {cid} is changing too fast; send the message again")

    def _state_of(self, cid: str, known: bool) -> tuple[int, ConversationState]:
        """The conversation's version and state: from this process's cache when it holds the
        latest it wrote, else from the database. A stale cache only costs a retry, because the
        write checks the version."""
        with self._lock:
            cached = self._states.get(cid)
            if cached is not None:
                self._states.move_to_end(cid)
                return cached[0], ConversationState.from_json(cached[1])
        stored = self.store.conversation(cid) if known else None
        if stored is None:
            return 0, ConversationState()
        state = ConversationState.from_json(stored.state)
        state.status = stored.status  # staff may have released it since the last turn
        return stored.version, state

    def _remember(self, cid: str, version: int, state: ConversationState) -> None:
        with self._lock:
            self._states[cid] = (version, state.to_json())
            self._states.move_to_end(cid)
            while len(self._states) > STATE_CACHE:
                self._states.popitem(last=False)

    def encode(self, text: str) -> Encoding:
        """One message's sentence vector and intent features, from one pass of the encoder."""
        return encode_messages(self.embedder, [text])[0]

    def respond(self, conversation_id: str | None, text: str, encoding: Encoding) -> Reply:
        """The reply to a checked message whose encoding the caller already computed.

        ``reply`` encodes one message and calls this; batch callers (evaluation) encode many
        messages at once and call it per message, so nothing is encoded twice.
        """
        return respond(conversation_id, text, self.understand(text, encoding), self.settings)

    def understand(self, text: str, encoding: Encoding) -> Understanding:
        """The intent, retrieved documents and route of a checked message, without replying."""
        return understand(text, encoding, self.retriever, self.intents, self.settings)

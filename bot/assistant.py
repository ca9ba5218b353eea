"""The one entry point every front end calls: ``Assistant.reply(conversation_id, text)``."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.config import Settings, load_settings
from bot.conversations import Conversations
from bot.desk import SupportDesk
from bot.flows import FlowBook
from bot.guard import check
from bot.handlers import Outcome, Turn, get_handler
from bot.indexing import load_index
from bot.intents.model import IntentClassifier
from bot.quality.gaps import Gap, group_gaps
from bot.routing import reading, route
from bot.startup import Parts, load_parts
from bot.state import ConversationState
from bot.store import Store
from bot.types import Reply
from bot.understanding import Understanding, understand
from index import language as languages
from index.embedders import Embedder, Encoding, encode_messages, make_embedder
from index.language import Language
from index.retriever import Retriever
from index.types import Hit
from knowledge.copy import Copy


class Assistant:
    """One customer message in, one ``Reply`` out, in six steps (``reply``): guard, encode once,
    understand, route, handle, store. Before encoding, the message's language chooses the parts
    it is served by: English ones, or Chinese ones with their own encoder, index, intent model,
    flows and sentences.

    The constructor is cheap; ``warm_up()`` loads the models, the indexes, the intent classifiers,
    the flows, the catalog and the sentences of each language (building an index or training a
    classifier when their files changed) and opens the database. ``reply`` warms up on first use.
    ``embedder`` is the English encoder; ``zh_embedder`` the Chinese one, made from the settings
    when not given (unless both languages use the same backend: then ``embedder`` serves both).
    """

    def __init__(
        self, settings: Settings | None = None, embedder: Embedder | None = None, zh_embedder: Embedder | None = None
    ) -> None:
        self.settings = settings or load_settings()
        self.embedder = embedder or make_embedder(
            self.settings.embedder, self.settings.model_cache_dir, self.settings.threads
        )
        same_backend = self.settings.for_language(Language.ZH).embedder == self.settings.embedder
        self._zh_embedder = zh_embedder or (embedder if same_backend else None)
        self._parts: Parts | None = None
        self._by_language: dict[str, Parts] = {}
        self._index: Retriever | None = None  # a prebuilt index chosen with use_index
        self._store: Store | None = None
        self._conversations: Conversations | None = None
        self._lock = threading.Lock()

    def warm_up(self, progress: bool = True, only: tuple[str, ...] | None = None) -> None:
        """Load everything a turn needs and open the database; safe to call more than once.

        ``only`` limits the languages loaded now (English is always): a first use without an
        explicit warm-up (``supportbot ask``) loads English only, and another language loads
        with its first message (``parts_for``). A server warms up every language at start."""
        wanted = self._served if only is None else only
        with self._lock:
            if self._parts is None:
                self._parts = load_parts(self.settings, self.embedder, progress, retriever=self._index)
                self._by_language = {Language.EN: self._parts}
                if only is None:  # a server: the language detector's models load in the background
                    languages.warm_up()
            if Language.ZH in wanted and Language.ZH in self._served and Language.ZH not in self._by_language:
                self._by_language[Language.ZH] = self._load_chinese(progress)
            if self._store is None:
                store = Store(self.settings.resolved_database_url)
                store.migrate()
                self._store = store
                self._conversations = Conversations(store, self.settings)

    def _load_chinese(self, progress: bool) -> Parts:
        zh = self.settings.for_language(Language.ZH)
        embedder = self._zh_embedder or make_embedder(zh.embedder, zh.model_cache_dir, zh.threads)
        return load_parts(zh, embedder, progress)

    def use_index(self, folder: Path) -> None:
        """Search a prebuilt index folder instead of the knowledge base's own index."""
        with self._lock:
            self.embedder.warm_up()
            self._index = load_index(folder, self.settings, self.embedder.name)
            if self._parts is not None:
                self._parts = replace(self._parts, retriever=self._index)
                self._by_language = {Language.EN: self._parts}

    # -- the loaded pieces ---------------------------------------------------------------------

    @property
    def parts(self) -> Parts:
        """The loaded pieces a turn needs (warms up on first use)."""
        if self._parts is None:
            self.warm_up(only=(Language.EN,))
        assert self._parts is not None
        return self._parts

    def parts_for(self, language: str) -> Parts:
        """The parts serving messages in ``language`` (English ones for any language not served),
        loaded on first use when the warm-up left them out."""
        parts = self.parts
        if language not in self._by_language and language in self._served:
            self.warm_up(progress=False, only=(language,))
        return self._by_language.get(language, parts)

    def language_of(self, text: str, previous: str | None = None) -> Language:
        """The language to answer ``text`` in (``index.language.reply_language``): its own, the
        conversation's (``previous``) when it has too few words to tell, English for a language
        not served."""
        found = languages.reply_language(text, previous)
        return found if found in self._served else Language.EN

    @property
    def _served(self) -> tuple[str, ...]:
        """The languages answered in: the settings', or English alone over a prebuilt index."""
        return (Language.EN,) if self._index is not None else (Language.EN, *self.settings.languages)

    @property
    def retriever(self) -> Retriever:
        if self._parts is None and self._index is not None:
            return self._index  # search --index needs no intent model or flows
        retriever = self.parts.retriever
        assert retriever is not None
        return retriever

    @property
    def copy(self) -> Copy:
        """Every sentence the assistant says in its own words (``assistant.yaml``), checked at load."""
        return self.parts.copy

    @property
    def flows(self) -> FlowBook | None:
        """The troubleshooting flows, or None when the knowledge has none."""
        return self.parts.flows

    @property
    def intents(self) -> IntentClassifier | None:
        """The intent classifier, or None when the knowledge has no intent examples."""
        return self.parts.intents

    @property
    def store(self) -> Store:
        """The database of conversations, turns and tickets."""
        if self._store is None:
            self.warm_up(only=(Language.EN,))
        assert self._store is not None
        return self._store

    @property
    def conversations(self) -> Conversations:
        if self._conversations is None:
            self.warm_up(only=(Language.EN,))
        assert self._conversations is not None
        return self._conversations

    @property
    def desk(self) -> SupportDesk:
        """The staff side (tickets, staff accounts, widget keys, analytics) over this
        assistant's database: one connection pool for the customers' turns and the staff."""
        return SupportDesk(self.store)

    # -- a customer's turn ---------------------------------------------------------------------

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
        clean = check(text, self.settings)  # 1 guard
        conversations, _ = self.conversations, self.parts
        cid = conversation_id or uuid.uuid4().hex
        replayed = conversations.replayed(cid, client_message_id)
        if replayed is not None:
            return replayed
        known = conversation_id is not None
        found = languages.detect(clean)
        previous = conversations.language_of(cid, known) if found is Language.UNKNOWN and known else None
        language = self.language_of(clean, previous)
        parts = self.parts_for(language)
        understood = understand(clean, self.encode(clean, parts), parts)  # 2 encode once, 3 understand

        def step(state: ConversationState) -> Outcome:  # pure: redone only when the write was stale
            if state.language != language:
                state = replace(state, language=language)
            decision = route(understood, state, parts)  # 4 the one ordered policy
            outcome = get_handler(decision.route)(Turn(cid, clean, understood, decision, state, parts))  # 5 handle
            return in_language(outcome, language, found is Language.OTHER, parts.copy)

        return conversations.apply(cid, known, client_message_id, clean, step)  # 6 store

    def check(self, text: str) -> str:
        """The message stripped, or ``InputError`` when it is empty or too long (``bot.guard``)."""
        return check(text, self.settings)

    def encode(self, text: str, parts: Parts | None = None) -> Encoding:
        """One message's sentence vector and intent features, from one pass of the encoder of
        ``parts`` (the English one when None)."""
        embedder = parts.embedder if parts is not None and parts.embedder is not None else self.embedder
        return encode_messages(embedder, [text])[0]

    def understand(self, text: str, encoding: Encoding) -> Understanding:
        """The intent, retrieved documents and small talk of a checked message, without replying."""
        return understand(text, encoding, self.parts)

    def respond(
        self, conversation_id: str | None, text: str, encoding: Encoding | None = None, language: str | None = None
    ) -> Reply:
        """The reply to a checked message on its own, outside any conversation: what its intent and
        retrieval call for (``routing.reading``). Nothing is stored (a hand-over opens no ticket).

        Batch callers (evaluation) encode many messages at once with the encoder of the message's
        language (``parts_for(language).embedder``) and call this per message, so nothing is
        encoded twice. ``language`` is detected when None.
        """
        return self._alone(conversation_id, text, encoding, language, whole_policy=False)

    def first_reply(self, text: str, encoding: Encoding | None = None, language: str | None = None) -> Reply:
        """The reply a checked message gets as the first of a new conversation: the whole routing
        policy (``routing.route``: a pasted error starts its flow, a need goes to the advisor),
        as a customer sees it. Nothing is stored. Encoding and language as for ``respond``."""
        return self._alone(None, text, encoding, language, whole_policy=True)

    def _alone(
        self,
        conversation_id: str | None,
        text: str,
        encoding: Encoding | None,
        language: str | None,
        whole_policy: bool,
    ) -> Reply:
        language = language or self.language_of(text)
        parts = self.parts_for(language)
        understood = understand(text, encoding or self.encode(text, parts), parts)
        state = ConversationState(language=language)
        if whole_policy:
            decision = route(understood, state, parts)
        else:
            decision = reading(understood, parts.settings, parts.routes)
        turn = Turn(conversation_id or uuid.uuid4().hex, text, understood, decision, state, parts)
        outcome = get_handler(decision.route)(turn)
        return in_language(outcome, language, False, parts.copy).reply

    # -- the knowledge base --------------------------------------------------------------------

    def search(self, text: str, k: int = 5) -> list[Hit]:
        """The ``k`` best knowledge-base documents for ``text``."""
        clean = self.check(text)
        retriever: Retriever | None = self._index
        if retriever is not None:  # a prebuilt index (search --index): English parts only
            encoding = self.encode(clean)
        else:
            parts = self.parts_for(self.language_of(clean))
            encoding, retriever = self.encode(clean, parts), parts.retriever
        assert retriever is not None
        return retriever.search(clean, encoding.vector, k=k, features=encoding.features)

    def document(self, doc_id: str, language: str = "en") -> tuple[str, str] | None:
        """The title and Markdown text of a knowledge-base document in ``language`` (as the index
        of that language holds it: Chinese where translated), or None if there is none."""
        r = self.parts_for(language).retriever if self._index is None else self.retriever
        assert r is not None
        meta = r.doc(doc_id)
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

    def suggest(self, messages: list[str], language: str | None = None) -> Reply | None:
        """What the bot would answer, with sources, to the newest of a customer's ``messages``
        (oldest first) that the knowledge base covers: the suggestion staff see on a ticket, in
        each message's language (a fragment in the conversation's ``language``). None when no
        message finds anything. Nothing is stored."""
        for text in reversed(messages):
            if not text.strip() or len(text) > self.settings.max_message_chars:
                continue
            clean = text.strip()
            reply = self.respond(None, clean, language=self.language_of(clean, language))
            if reply.sources:
                return reply
        return None

    def knowledge_gaps(self, days: int = 30) -> dict[str, list[Gap]]:
        """The questions of the last ``days`` days refused or answered unsure (under retrieval's own
        answer threshold), in each language grouped by similarity with the nearest article, so a
        writer sees which article is missing (``bot.quality.gaps``)."""
        gaps: dict[str, list[Gap]] = {}
        for language in self._served:
            parts = self.parts_for(language)
            texts = [
                t for t, lang in self.desk.unsure_questions(days, parts.settings.answer_threshold) if lang == language
            ]
            if not texts or parts.retriever is None:
                continue
            encoded = encode_messages(parts.embedder or self.embedder, texts)
            vectors = np.vstack([e.vector for e in encoded])
            nearest = [
                next(iter(parts.retriever.search(t, e.vector, k=1)), None) for t, e in zip(texts, encoded, strict=True)
            ]
            docs = [h.doc_id if h is not None else None for h in nearest]
            gaps[language] = group_gaps(texts, vectors, docs, similarity=parts.settings.gap_similarity)
        return gaps

    def record_feedback(self, conversation_id: str, message: str, helpful: bool) -> None:
        """Keep a thumbs up or down on a reply (the feedback table of the database)."""
        self.store.add_feedback(conversation_id, helpful, message)


def in_language(outcome: Outcome, language: str, other_language: bool, copy: Copy) -> Outcome:
    """``outcome`` with its reply marked as written in ``language``; a message in a language the
    assistant does not speak gets a first sentence saying the answer is in English."""
    reply = replace(outcome.reply, language=language)
    if other_language:
        reply = replace(reply, reply=f"{copy.say('language.other')}\n\n{reply.reply}")
    return replace(outcome, reply=reply)

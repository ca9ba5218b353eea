"""Step 6 of a turn: each conversation's state read, the turn written, with optimistic concurrency.

Several workers may answer the same conversation, and staff may take it over or release it in
between. A turn is written only if the conversation is still at the version it was read at;
otherwise the turn's pure part (route and handle) is redone on the state read again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from bot.config import Settings
from bot.errors import InputError
from bot.handlers import Outcome
from bot.state import ConversationState, Status
from bot.store import StaleConversation, Store
from bot.types import Reply


class Conversations:
    """The conversations of one database, with the latest state this process wrote of each kept in
    memory (a frozen state can be shared), up to ``settings.state_cache`` of them."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._states: OrderedDict[str, tuple[int, ConversationState]] = OrderedDict()
        self._lock = threading.Lock()

    def replayed(self, conversation_id: str, client_message_id: str | None) -> Reply | None:
        """The reply stored for a message sent before with the same ``client_message_id``, or None."""
        if client_message_id is None:
            return None
        prior = self._store.find_reply(conversation_id, client_message_id)
        return Reply.from_json(prior) if prior is not None else None

    def apply(
        self,
        conversation_id: str,
        known: bool,
        client_message_id: str | None,
        text: str,
        step: Callable[[ConversationState], Outcome],
    ) -> Reply:
        """Run ``step`` on the conversation's state and store the message, the reply, the new state
        and any ticket in one transaction; redo ``step`` when another writer came first.

        Args:
            known: whether the caller named the conversation (a new one is not looked up).
            step: the turn's pure part, from a state to its outcome.

        Returns:
            The reply as stored, so that a repeated request gets exactly this.

        Raises:
            InputError: when the conversation changed under every one of ``write_attempts`` tries.
        """
        for _ in range(self._settings.write_attempts):
            version, state = self._state_of(conversation_id, known)
            outcome = step(state)
            new = outcome.state
            adds_to = new.ticket if new.status is Status.HANDOFF and outcome.ticket is None else None
            try:
                kept = self._store.save_turn(
                    conversation_id, text, outcome.reply.to_json(), new.to_json(), new.status.value,
                    client_message_id, outcome.ticket, version, adds_to,
                )  # fmt: skip
            except StaleConversation:
                with self._lock:
                    self._states.pop(conversation_id, None)  # another worker or staff changed it: read it again
                continue
            self._remember(conversation_id, version + 1, new)
            return Reply.from_json(kept)
        raise InputError(f"conversation {conversation_id} is changing too fast; send the message again")

    def language_of(self, conversation_id: str, known: bool) -> str | None:
        """The language the conversation was last answered in, or None for a new one."""
        version, state = self._state_of(conversation_id, known)
        return state.language if version else None

    def _state_of(self, conversation_id: str, known: bool) -> tuple[int, ConversationState]:
        """The conversation's version and state: from memory when this process wrote the latest,
        else from the database. A stale memory only costs a retry: the write checks the version."""
        with self._lock:
            cached = self._states.get(conversation_id)
            if cached is not None:
                self._states.move_to_end(conversation_id)
                return cached
        stored = self._store.conversation(conversation_id) if known else None
        if stored is None:
            return 0, ConversationState()
        # Staff may have released the conversation since its last turn: the status is theirs.
        return stored.version, replace(ConversationState.from_json(stored.state), status=Status(stored.status))

    def _remember(self, conversation_id: str, version: int, state: ConversationState) -> None:
        with self._lock:
            self._states[conversation_id] = (version, state)
            self._states.move_to_end(conversation_id)
            while len(self._states) > self._settings.state_cache:
                self._states.popitem(last=False)

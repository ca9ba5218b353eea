"""Storage of conversations, turns, tickets, feedback, staff accounts and widget keys: SQLAlchemy 2
over SQLite (default, a file under the data folder) or PostgreSQL (``SUPPORTBOT_DATABASE_URL``),
schema by Alembic.

SQL only, one module per domain: ``engine`` (the database, migrations, the prepared-statement
helper), ``conversations`` (turns with the per-turn fast path, transcripts, feedback),
``tickets``, ``staff`` (accounts and sessions), ``widget_keys``, ``analytics``; ``tables`` describes
the schema. ``Store`` puts them together behind one object. The staff side reaches them through
``bot.desk.SupportDesk``, which returns typed values instead of rows.
"""

from __future__ import annotations

from bot.errors import StaleConversation
from bot.store.conversations import ConversationStore, StoredConversation
from bot.store.engine import Database, drop_schema
from bot.store.staff import StaffStore
from bot.store.tickets import TicketDraft, TicketStore, new_ticket_number
from bot.store.widget_keys import WidgetKeyStore

__all__ = [
    "Database",
    "StaleConversation",
    "Store",
    "StoredConversation",
    "TicketDraft",
    "drop_schema",
    "new_ticket_number",
]


class Store:
    """The database behind the assistant; one instance per process, safe across threads.

    Its methods are the domain stores' own, bound here once: a call through the facade costs
    no extra hop, which matters on the per-turn path (``conversation``, ``find_reply``,
    ``save_turn``). See each domain module for what a method does and raises.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.db = Database(url)
        self.engine = self.db.engine
        self.migrate = self.db.migrate
        self.ping = self.db.ping

        conversations = ConversationStore(self.db)
        self.conversation = conversations.conversation
        self.find_reply = conversations.find_reply
        self.save_turn = conversations.save_turn
        self.transcript = conversations.transcript
        self.add_feedback = conversations.add_feedback
        self.feedback = conversations.feedback
        self.count = conversations.count

        tickets = TicketStore(self.db, conversations)
        self.tickets = tickets.tickets
        self.ticket = tickets.ticket
        self.claim = tickets.claim
        self.staff_reply = tickets.staff_reply
        self.release = tickets.release
        self.close = tickets.close

        staff = StaffStore(self.db)
        self.add_staff = staff.add_staff
        self.check_staff = staff.check_staff
        self.start_session = staff.start_session
        self.session_user = staff.session_user
        self.end_session = staff.end_session

        keys = WidgetKeyStore(self.db)
        self.create_widget_key = keys.create_widget_key
        self.widget_keys = keys.widget_keys
        self.active_widget_keys = keys.active_widget_keys
        self.revoke_widget_key = keys.revoke_widget_key

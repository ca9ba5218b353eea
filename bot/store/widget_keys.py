"""Publishable keys (``pk_...``) of the embeddable widget, each usable from the origins it lists."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from bot.errors import InputError, NotFound
from bot.origins import normalize_origin
from bot.store.engine import Database
from bot.store.tables import WidgetKey, iso_time, now


class WidgetKeyStore:
    """The widget keys of one database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create_widget_key(self, origins: list[str]) -> str:
        """A new publishable key (``pk_...``) the widget may use from ``origins`` only.

        Raises:
            InputError: no origin is given, or one is not an origin (``normalize_origin``).
        """
        allowed = sorted({normalize_origin(o) for o in origins})
        if not allowed:
            raise InputError("a widget key needs at least one origin")
        key = f"pk_{secrets.token_urlsafe(18)}"
        with self._db.session.begin() as s:
            s.add(WidgetKey(key=key, origins=allowed, created_at=now()))
        return key

    def widget_keys(self) -> list[dict[str, Any]]:
        """Every key, oldest first: ``{key, origins, created_at, revoked}``."""
        with self._db.session() as s:
            return [
                {
                    "key": k.key,
                    "origins": list(k.origins),
                    "created_at": iso_time(k.created_at),
                    "revoked": k.revoked_at is not None,
                }
                for k in s.scalars(select(WidgetKey).order_by(WidgetKey.id))
            ]

    def active_widget_keys(self) -> dict[str, frozenset[str]]:
        """Every key that is not revoked, with the origins it allows."""
        with self._db.session() as s:
            rows = s.scalars(select(WidgetKey).where(WidgetKey.revoked_at.is_(None)))
            return {k.key: frozenset(k.origins) for k in rows}

    def revoke_widget_key(self, key: str) -> None:
        """Stop accepting ``key`` (revoking twice is harmless).

        Raises:
            NotFound: there is no such key.
        """
        with self._db.session.begin() as s:
            found = s.scalar(select(WidgetKey).where(WidgetKey.key == key))
            if found is None:
                raise NotFound(f"no widget key {key}")
            found.revoked_at = found.revoked_at or now()

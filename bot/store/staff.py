"""Staff accounts (scrypt-hashed passwords) and the staff console's sessions.

A session token is the cookie's value; the database keeps only its SHA-256, so a copy of the
database signs nobody in, while every worker process knows every session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from bot.errors import InputError
from bot.store.engine import Database
from bot.store.passwords import check_password, hash_password
from bot.store.tables import StaffAccount, StaffSession, now

# Checked against for unknown usernames, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


class StaffStore:
    """Staff accounts and console sessions of one database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_staff(self, username: str, password: str) -> None:
        """Create a staff account (or set a new password for an existing one).

        Raises:
            InputError: the username is empty or over 64 characters, or the password is
                shorter than 8.
        """
        if not username or len(username) > 64 or len(password) < 8:
            raise InputError("a staff account needs a username (1-64 characters) and a password of 8 or more")
        with self._db.session.begin() as s:
            account = s.scalar(select(StaffAccount).where(StaffAccount.username == username))
            if account is None:
                s.add(StaffAccount(username=username, password_hash=hash_password(password), created_at=now()))
            else:
                account.password_hash = hash_password(password)

    def check_staff(self, username: str, password: str) -> bool:
        """Whether ``password`` is the password of the account ``username`` (False for no account)."""
        with self._db.session() as s:
            account = s.scalar(select(StaffAccount).where(StaffAccount.username == username))
        if account is None:
            check_password(password, _DUMMY_HASH)  # same time for unknown users
            return False
        return check_password(password, account.password_hash)

    def start_session(self, username: str, hours: float = 12) -> str:
        """A new session token for ``username`` (the cookie's value); expired sessions are dropped."""
        token = secrets.token_urlsafe(32)
        stamp = now()
        with self._db.session.begin() as s:
            s.execute(delete(StaffSession).where(StaffSession.expires_at < stamp))
            s.add(
                StaffSession(
                    token_hash=_token_hash(token), username=username, created_at=stamp,
                    expires_at=stamp + timedelta(hours=hours),
                )
            )  # fmt: skip
        return token

    def session_user(self, token: str) -> str | None:
        """The staff member signed in with ``token``, or None when it is unknown or expired."""
        with self._db.session() as s:
            found = s.get(StaffSession, _token_hash(token))
            if found is None:
                return None
            expires = found.expires_at if found.expires_at.tzinfo else found.expires_at.replace(tzinfo=now().tzinfo)
            return found.username if expires > now() else None

    def end_session(self, token: str) -> None:
        """Sign the session out (an unknown token is no error)."""
        with self._db.session.begin() as s:
            s.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

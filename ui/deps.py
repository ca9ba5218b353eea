"""Dependencies shared by the routers: the assistant, the staff desk and the metrics of the
app serving the request, and the one staff sign-in check used by the console and the staff API.

A staff member is signed in with the console's session cookie (``/staff/login``) or with HTTP
Basic credentials of a staff account (``supportbot staff add``). The session is a random token
in an HttpOnly, SameSite=Strict cookie, of which the database keeps only a hash, so every worker
knows it and signing out ends it everywhere.
"""

from __future__ import annotations

import threading
import time
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from bot import Assistant, SupportbotError, SupportDesk
from ui.metrics import Metrics

COOKIE = "supportbot_staff"
SESSION_HOURS = 12
CONSOLE = "/staff"  # the console's pages: without a session they send the visitor to SIGN_IN
SIGN_IN = "/staff/login"

_basic = HTTPBasic(auto_error=False)


class SignInRequired(SupportbotError, PermissionError):
    """No valid staff session or credentials: the app answers a console page with a redirect
    to the sign-in form and the staff API with 401 (ui/app.py)."""


async def get_assistant(request: Request) -> Assistant:
    """The assistant of the app serving ``request``."""
    found: Assistant = request.app.state.assistant
    return found


async def get_desk(request: Request) -> SupportDesk:
    """The staff desk over the assistant's own store."""
    found: SupportDesk = request.app.state.assistant.desk
    return found


async def get_metrics(request: Request) -> Metrics:
    """The metrics of this process."""
    found: Metrics = request.app.state.metrics
    return found


def signed_in(request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)]) -> str | None:
    """The staff member's username from the console's session cookie or from HTTP Basic
    credentials; None when neither is valid."""
    staff = request.app.state.assistant.desk
    user: str | None = staff.session_user(request.cookies.get(COOKIE))
    if user is not None:
        return user
    if credentials is not None and staff.check_staff(credentials.username, credentials.password):
        return credentials.username
    return None


async def staff_user(user: Annotated[str | None, Depends(signed_in)]) -> str:
    """The signed-in staff member's username; raises SignInRequired without one."""
    if user is None:
        raise SignInRequired("staff sign-in required")
    return user


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
DeskDep = Annotated[SupportDesk, Depends(get_desk)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
MaybeStaff = Annotated[str | None, Depends(signed_in)]
StaffUser = Annotated[str, Depends(staff_user)]


class SignInLimit:
    """Failed sign-ins are counted per account and per client address; past the limit within
    the window, sign-in is refused until the oldest failure leaves it. Counted per process:
    with N workers an attacker gets at most N times the limit, each guess costing a scrypt."""

    def __init__(self, per_account: int = 5, per_client: int = 20, window: float = 900.0) -> None:
        self.limits = {"account": per_account, "client": per_client}
        self.window = window
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> list[float]:
        cutoff = time.monotonic() - self.window
        kept = [t for t in self._failures.get(key, []) if t > cutoff]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def wait(self, account: str, client: str) -> float:
        """Seconds until a sign-in may be tried again (0: now)."""
        with self._lock:
            waits = []
            for kind, value in (("account", account.lower()), ("client", client)):
                recent = self._recent((kind, value))
                if len(recent) >= self.limits[kind]:
                    waits.append(recent[-self.limits[kind]] + self.window - time.monotonic())
            return max(waits, default=0.0)

    def failed(self, account: str, client: str) -> None:
        """Count a failed sign-in of ``account`` from ``client``."""
        with self._lock:
            for key in (("account", account.lower()), ("client", client)):
                self._failures.setdefault(key, []).append(time.monotonic())

    def succeeded(self, account: str) -> None:
        """Forget ``account``'s failures (its client's stay counted)."""
        with self._lock:
            self._failures.pop(("account", account.lower()), None)


async def get_sign_in_limit(request: Request) -> SignInLimit:
    """The app's sign-in limit."""
    found: SignInLimit = request.app.state.sign_in_limit
    return found


SignInLimitDep = Annotated[SignInLimit, Depends(get_sign_in_limit)]

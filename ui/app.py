"""The web server: the customer page at ``/`` (ui/chat_page.py), article pages at ``/kb/{id}``,
the REST API at ``/api/v1``, the staff console at ``/staff``, the embeddable widget at
``/widget.js``, ``/healthz``, ``/readyz`` and ``/metrics`` (one router each, ui/routers/).

This module only makes the application: what the routers share (``app.state``, read through
ui/deps.py), the middleware, the one mapping of errors to status codes, and the routers.
Requests from other sites pass ui/access.py's checks first.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from bot import Assistant, Conflict, InputError, NotFound, load_settings
from ui import chat_page
from ui.access import CrossOriginGuard, WidgetKeys
from ui.deps import CONSOLE, SIGN_IN, SignInLimit, SignInRequired
from ui.metrics import Metrics
from ui.pages.plots import Plots
from ui.routers import articles, chat, console, conversations, health, staff_api, widget

ROUTERS = (chat, conversations, staff_api, health, console, widget, articles)
# The one mapping of supportbot's errors to status codes: by type, never by message text.
STATUS_OF = {NotFound: 404, Conflict: 409, InputError: 422}


def create_app(assistant: Assistant) -> FastAPI:
    """The FastAPI application serving every page of supportbot over ``assistant``."""
    app = FastAPI(title="supportbot", version="0.1.0")
    desk = assistant.desk
    app.state.assistant = assistant
    app.state.metrics = Metrics()
    app.state.sign_in_limit = SignInLimit()
    app.state.plots = Plots(desk)
    app.state.widget = widget.widget_script()
    _measure(app, app.state.metrics)
    _map_errors(app)
    for module in ROUTERS:
        app.include_router(module.router)
    app.add_middleware(CrossOriginGuard, keys=WidgetKeys(desk))  # outermost: refused requests cost nothing
    return chat_page.mount(app, assistant)


def _measure(app: FastAPI, metrics: Metrics) -> None:
    @app.middleware("http")
    async def measure(request: Request, call_next: Any) -> Any:
        start = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", None) or "other"  # the route's template: no unbounded labels
        metrics.observe_request(request.method, path, response.status_code, time.perf_counter() - start)
        return response


def _map_errors(app: FastAPI) -> None:
    """Every error is answered as JSON ``{"error": ...}`` (a console page without a session
    with the sign-in form); nothing answers with a stack trace."""
    for error, status in STATUS_OF.items():
        app.add_exception_handler(error, _answer_with(status))

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content={"error": str(exc.detail)}, headers=exc.headers)

    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        path = request.url.path
        if path == CONSOLE or path.startswith(CONSOLE + "/"):
            return RedirectResponse(SIGN_IN, status_code=303)
        return JSONResponse(status_code=401, content={"error": str(exc)}, headers={"WWW-Authenticate": "Basic"})

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in exc.errors()]
        return JSONResponse(status_code=422, content={"error": "; ".join(problems) or "invalid request"})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=500, content={"error": f"internal error ({type(exc).__name__})"})


def _answer_with(status: int) -> Any:
    """An exception handler answering ``status`` with the error's message as ``{"error": ...}``."""

    async def answer(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=status, content={"error": str(exc)})

    return answer


def app_from_settings() -> FastAPI:
    """The application over an assistant made from the environment's settings: what each
    worker process of ``supportbot serve --workers N`` runs (uvicorn calls it as a factory)."""
    assistant = Assistant(load_settings())
    assistant.warm_up(progress=False)
    return create_app(assistant)


def serve(assistant: Assistant, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Warm the assistant up, then serve until interrupted.

    With several workers, each is its own process with its own assistant; the warm-up here
    builds the index and trains the intents once, so the workers only load them. Workers
    share the database (PostgreSQL for real deployments), and a conversation's turns stay
    correct whichever worker takes them (the turn's write checks the conversation's version).
    """
    import uvicorn

    assistant.warm_up()
    base = f"http://{host}:{port}"
    print(
        f"supportbot: chat page {base}/ · staff console {base}/staff · widget {base}/widget.js · API docs {base}/docs",
        file=sys.stderr,
    )
    if workers > 1:
        uvicorn.run("ui.app:app_from_settings", factory=True, host=host, port=port, workers=workers)
    else:
        uvicorn.run(create_app(assistant), host=host, port=port, log_level="info")

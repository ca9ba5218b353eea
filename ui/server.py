"""The web server: the customer page at ``/``, article pages at ``/kb/{id}``, the REST API at
``/api/v1`` (see ui/api.py), the staff console at ``/staff`` (ui/staff_console.py), the
embeddable widget at ``/widget.js`` (ui/widget/), health at ``/healthz`` and readiness at
``/readyz``. Requests from other sites pass ui/access.py's checks first."""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline product: never phone home

import gradio as gr
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from bot.assistant import Assistant
from index.chunking import slugify
from ui.access import CrossOriginGuard, WidgetKeys
from ui.api import install
from ui.chat import TITLE, build_page
from ui.markdown import to_html
from ui.staff_console import staff_console

WIDGET = Path(__file__).resolve().parent / "widget" / "widget.js"

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px/1.55 system-ui,sans-serif;max-width:46rem;margin:2rem auto;
padding:0 1rem;color:#1f2328}}
pre{{background:#f6f8fa;padding:.8rem;overflow:auto}}code{{font-size:.9em}}h2{{margin-top:2rem}}</style></head>
<body><p><a href="/">&larr; {site}</a></p><h1>{title}</h1>{body}</body></html>"""


_HEADING = re.compile(r"<h([2-6])>(.*?)</h\1>", re.S)


def _with_heading_ids(body: str) -> str:
    """Give each section heading the anchor that source links point at."""

    def add_id(m: re.Match[str]) -> str:
        text = html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        return f'<h{m.group(1)} id="{html.escape(slugify(text))}">{m.group(2)}</h{m.group(1)}>'

    return _HEADING.sub(add_id, body)


def create_app(assistant: Assistant) -> FastAPI:
    """The FastAPI application serving every page of supportbot."""
    app = FastAPI(title="supportbot", version="0.1.0")

    install(app, assistant)
    app.include_router(staff_console(assistant))
    app.add_middleware(CrossOriginGuard, keys=WidgetKeys(assistant.desk))
    widget = _widget_script()

    @app.get("/widget.js", include_in_schema=False)
    def widget_js(request: Request) -> Response:
        """The embeddable chat widget (minified once at start); ETag lets browsers revalidate."""
        if widget is None:
            raise HTTPException(status_code=404, detail="the widget is not installed")
        body, etag = widget
        headers = {"ETag": etag, "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/javascript; charset=utf-8", headers=headers)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/kb/{doc_id}", response_class=HTMLResponse)
    def article(doc_id: str) -> HTMLResponse:
        document = assistant.document(doc_id)
        if document is None:
            raise HTTPException(status_code=404, detail=f"no article {doc_id!r}")
        title, markdown = document
        body = _with_heading_ids(to_html(markdown))
        return HTMLResponse(_PAGE.format(title=html.escape(title), site=TITLE, body=body))

    return gr.mount_gradio_app(app, build_page(assistant), path="/")


def _widget_script() -> tuple[bytes, str] | None:
    """The widget's code, minified, and its entity tag."""
    if not WIDGET.is_file():
        return None
    import hashlib

    import rjsmin

    body = rjsmin.jsmin(WIDGET.read_text(encoding="utf-8"), keep_bang_comments=True).encode()
    return body, f'"{hashlib.sha256(body).hexdigest()[:20]}"'


def app_from_settings() -> FastAPI:
    """The application over an assistant made from the environment's settings: what each
    worker process of ``supportbot serve --workers N`` runs (uvicorn calls it as a factory)."""
    from bot.config import load_settings

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
        uvicorn.run("ui.server:app_from_settings", factory=True, host=host, port=port, workers=workers)
    else:
        uvicorn.run(create_app(assistant), host=host, port=port, log_level="info")

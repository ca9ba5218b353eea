"""The embeddable chat widget at ``/widget.js`` (ui/widget/widget.js, minified once at start)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

WIDGET = Path(__file__).resolve().parent.parent / "widget" / "widget.js"

router = APIRouter()


def widget_script(path: Path = WIDGET) -> tuple[bytes, str] | None:
    """The widget's code, minified, and its entity tag; None when the file is not installed."""
    if not path.is_file():
        return None
    import rjsmin

    body = rjsmin.jsmin(path.read_text(encoding="utf-8"), keep_bang_comments=True).encode()
    return body, f'"{hashlib.sha256(body).hexdigest()[:20]}"'


@router.get("/widget.js", include_in_schema=False)
def widget_js(request: Request) -> Response:
    """The widget's code; the ETag lets browsers revalidate."""
    widget: tuple[bytes, str] | None = request.app.state.widget
    if widget is None:
        raise HTTPException(status_code=404, detail="the widget is not installed")
    body, etag = widget
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/javascript; charset=utf-8", headers=headers)

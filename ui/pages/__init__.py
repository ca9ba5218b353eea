"""Server-rendered pages: Jinja2 templates (``ui/templates/``, autoescaped) and what they show.

Every value a template receives is escaped unless it is ``Markup``: only HTML this package made
(Markdown rendered with raw HTML escaped, the plots' SVG) is passed as ``Markup``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("ui", "templates"),
        autoescape=True,  # every template, whatever its name: people's words must stay inert
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    template: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    """``template`` rendered with ``context`` as an HTML response."""
    body = _environment().get_template(template).render(**context)
    return HTMLResponse(body, status_code=status_code, headers=headers)

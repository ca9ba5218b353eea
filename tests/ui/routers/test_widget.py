"""The embeddable widget's script at ``/widget.js`` (ui/routers/widget.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from ui.app import create_app
from ui.routers.widget import widget_script

pytestmark = pytest.mark.unit


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    return TestClient(create_app(fake_assistant), raise_server_exceptions=False)


def test_the_widget_script_is_small_javascript_that_browsers_revalidate(client: TestClient) -> None:
    first = client.get("/widget.js")
    again = client.get("/widget.js", headers={"If-None-Match": first.headers["etag"]})
    stale = client.get("/widget.js", headers={"If-None-Match": '"something-older"'})

    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/javascript")
    assert len(first.content) < 30_000
    assert again.status_code == 304 and again.content == b""
    assert stale.status_code == 200 and stale.content == first.content


def test_the_widget_script_loads_nothing_from_other_servers(client: TestClient) -> None:
    code = re.sub(r"/\*.*?\*/", "", client.get("/widget.js").text, flags=re.S)

    assert re.findall(r"https?://[^\s\"'`]*", code) == []


def test_without_the_widget_file_there_is_no_script_to_serve(tmp_path: Path) -> None:
    assert widget_script(tmp_path / "widget.js") is None

"""Two worker processes of ``supportbot serve --workers 2`` share one database and one
conversation (PostgreSQL when ``SUPPORTBOT_TEST_DATABASE_URL`` is set, as in CI; else SQLite)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bot.store import Store
from tests.helpers import UNRELATED, reset_database

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(kb_dir: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    url = os.environ.get("SUPPORTBOT_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'shared.db'}"
    if url.startswith("postgresql"):
        reset_database(url)
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUPPORTBOT_")},
        "SUPPORTBOT_KNOWLEDGE_DIR": str(kb_dir),
        "SUPPORTBOT_DATA_DIR": str(tmp_path / "data"),
        "SUPPORTBOT_EMBEDDER": "fake",
        "SUPPORTBOT_ANSWER_THRESHOLD": "0.45",
        "SUPPORTBOT_DATABASE_URL": url,
    }
    command = [sys.executable, "-m", "ui.cli", "serve", "--workers", "2", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {process.stderr.read() if process.stderr else ''}")
            time.sleep(0.3)
        yield base, url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_one_conversation_across_two_workers(server: tuple[str, str]) -> None:
    base, url = server

    # Fresh connections each time, so both workers take turns of the same conversation.
    def send(body: dict[str, str]) -> dict[str, str]:
        return httpx.post(f"{base}/api/v1/chat", json=body, timeout=30, headers={"connection": "close"}).json()

    first = send({"message": UNRELATED})
    conversation = first["conversation_id"]
    second = send({"conversation_id": conversation, "message": UNRELATED + " again"})
    assert second["route"] == "handoff" and second["ticket"]  # two fallbacks, whichever worker

    with ThreadPoolExecutor(max_workers=4) as pool:
        bodies = [{"conversation_id": conversation, "message": f"still there? {n}"} for n in range(12)]
        replies = list(pool.map(send, bodies))

    assert all(r["route"] == "handoff" and r["ticket"] == second["ticket"] for r in replies)
    store = Store(url)
    stored = store.conversation(conversation)
    assert stored is not None and stored.turns == 14
    assert [t["seq"] for t in store.transcript(conversation)] == list(range(1, 15))
    assert len(store.tickets()) == 1

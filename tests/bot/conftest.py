"""Fixtures of the storage tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import Store
from tests.helpers import reset_database

POSTGRES = os.environ.get("SUPPORTBOT_TEST_DATABASE_URL")

# PostgreSQL joins when a database is given; in CI it must be (``.ci/run`` starts one), so there
# a missing URL fails the PostgreSQL cases instead of dropping them.
DATABASES = ["sqlite", *(["postgresql"] if POSTGRES or os.environ.get("CI") else [])]


@pytest.fixture(params=DATABASES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty database: SQLite, and PostgreSQL when one is given."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        if not POSTGRES:
            pytest.fail("CI must run the storage tests on PostgreSQL: set SUPPORTBOT_TEST_DATABASE_URL")
        url = POSTGRES
        reset_database(url)
    s = Store(url)
    s.migrate()
    yield s
    s.engine.dispose()

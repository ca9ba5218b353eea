"""The shipped catalog and the shipped assistant.yaml, loaded once for the advisor's tests."""

from __future__ import annotations

import pytest

from bot.advisor import ADVISOR_KEYS
from knowledge import PACKAGE_DIR
from knowledge.catalog import Model, load_catalog
from knowledge.copy import DEFAULT_COPY, Copy, load_copy


@pytest.fixture(scope="session")
def catalog() -> list[Model]:
    return load_catalog(PACKAGE_DIR / "catalog.yaml")


@pytest.fixture(scope="session")
def copy() -> Copy:
    return load_copy(DEFAULT_COPY, required=ADVISOR_KEYS)

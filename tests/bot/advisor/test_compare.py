"""Two models side by side: the table, the verdict, and the ids it refuses."""

from __future__ import annotations

import pytest

from bot.advisor import compare
from bot.errors import InputError
from knowledge.catalog import Model
from knowledge.copy import Copy

pytestmark = pytest.mark.unit


def test_compare_names_both_models_and_their_differences(catalog: list[Model], copy: Copy) -> None:
    result = compare(catalog, "mer-chat-m", "mer-chat-s", copy)

    assert "Meridian Chat Medium" in result.table and "Meridian Chat Small" in result.table
    rows = {aspect: (a, b) for aspect, a, b in result.rows}
    assert rows["latency p50"] == ("350 ms", "120 ms")
    assert rows["languages"][0].startswith("9") and rows["languages"][1].startswith("4")
    assert rows["price"] == ("$2.00 per 1M output tokens", "$0.40 per 1M output tokens")
    assert rows["hosting"][1].endswith("edge") and "edge" not in rows["hosting"][0]
    assert {"tasks", "context", "fine-tunable"} <= set(rows)
    assert "Meridian Chat Medium" in result.verdict and "Meridian Chat Small" in result.verdict
    assert "speed (120 vs 350 ms)" in result.verdict and "languages (9 vs 4)" in result.verdict
    assert result.text.count("\n") == len(result.rows) + 1


def test_compare_says_when_prices_are_in_different_units(catalog: list[Model], copy: Copy) -> None:
    verdict = compare(catalog, "mer-translate", "mer-translate-edge", copy).verdict

    assert "per 1M characters vs per device licence per year" in verdict


def test_compare_rejects_unknown_or_identical_ids(catalog: list[Model], copy: Copy) -> None:
    with pytest.raises(InputError, match=r"unknown model 'mer-chat-xl'; known: mer-chat-l, mer-chat-m"):
        compare(catalog, "mer-chat-xl", "mer-chat-m", copy)
    with pytest.raises(InputError, match="two different models"):
        compare(catalog, "mer-chat-m", "mer-chat-m", copy)

"""The quality report on the shipped evaluation set, with the real model (slow: every question is encoded)."""

from __future__ import annotations

import pytest

from bot.assistant import Assistant
from bot.quality.eval import evaluate

pytestmark = pytest.mark.integration


@pytest.mark.slow
def test_quality_report_on_the_held_out_split(assistant: Assistant) -> None:
    report = evaluate(assistant, "test").as_dict()

    assert report["retrieval"]["n"] >= 100 and report["n_out_of_scope"] >= 30
    assert report["retrieval"]["R@1"] >= 0.80
    assert report["retrieval"]["R@5"] >= 0.95
    assert report["retrieval"]["MRR@10"] >= max(report["dense_only"]["MRR@10"], report["bm25_only"]["MRR@10"])
    assert report["answered_out_of_scope"] <= 0.15
    assert report["refused_in_scope"] <= 0.10

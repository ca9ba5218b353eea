"""Cross-validation of an intent set: its scores and the intents it confuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.intents.crossval import cross_validate
from bot.intents.training import encode_set
from index.embedders.fake import HashEmbedder
from knowledge.intents import IntentSet, load_intents
from tests.bot.intents.helpers import write_yaml
from tests.helpers import INTENT_EXAMPLES as EXAMPLES
from tests.helpers import INTENT_NEGATIVES as NEGATIVES
from tests.helpers import INTENT_ROUTES as ROUTES
from tests.helpers import REFUND_INTENTS

pytestmark = pytest.mark.unit


def test_cross_validation_of_distinct_intents_is_accurate(embedder: HashEmbedder, data: IntentSet) -> None:
    vectors, negatives = encode_set(embedder, data)

    report = cross_validate(data, vectors, negatives, folds=2, progress=False)

    assert report.accuracy >= 0.85
    assert report.macro_f1 >= 0.85
    assert report.folds == 2 and report.examples == 40
    assert report.out_of_scope_recall is not None and 0.0 <= report.out_of_scope_recall <= 1.0
    assert 0.0 <= report.in_scope_refused <= 0.2
    as_json = json.loads(json.dumps(report.as_dict()))
    assert set(as_json) == {
        "accuracy",
        "macro_f1",
        "out_of_scope_recall",
        "in_scope_refused",
        "confused",
        "folds",
        "examples",
    }


def test_cross_validation_names_the_intents_it_confuses(embedder: HashEmbedder, tmp_path: Path) -> None:
    examples = {
        **EXAMPLES,
        **REFUND_INTENTS,
    }
    data = load_intents(write_yaml(tmp_path / "intents.yaml", examples, ROUTES, NEGATIVES))
    vectors, negatives = encode_set(embedder, data)

    report = cross_validate(data, vectors, negatives, folds=3, progress=False)

    assert report.accuracy < 1.0
    pairs = [{a, b} for a, b, _ in report.confused]
    assert {"refund_status", "refund_request"} in pairs
    counts = [n for _, _, n in report.confused]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == round((1 - report.accuracy) * report.examples)

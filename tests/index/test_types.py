"""The value types of the index: fusion weights that check themselves and change by copy."""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError

import pytest

from index.types import RetrieverWeights

pytestmark = pytest.mark.unit


def test_weights_refuse_a_negative_or_missing_value_and_name_it() -> None:
    with pytest.raises(ValueError, match=r"the centroid weight is -0\.1"):
        RetrieverWeights(centroid=-0.1)
    with pytest.raises(ValueError, match="the head weight is nan"):
        RetrieverWeights(head=math.nan)


def test_bm25_alone_is_an_infinite_fusion_weight() -> None:
    assert RetrieverWeights(fusion=math.inf).fusion == math.inf


def test_weights_are_frozen_and_change_by_copy() -> None:
    weights = RetrieverWeights(0.3, 0.25, 0.2)

    with pytest.raises(FrozenInstanceError):
        weights.head = 0.0  # type: ignore[misc]
    assert weights.without_head() == RetrieverWeights(0.3, 0.25, 0.0)
    assert weights.head == 0.2

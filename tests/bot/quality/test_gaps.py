"""Knowledge gaps: questions refused or answered unsure, grouped by the cosine of their vectors."""

from __future__ import annotations

import numpy as np
import pytest

from bot.quality.gaps import group_gaps

pytestmark = pytest.mark.unit


def unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_similar_questions_form_one_group_naming_their_most_frequent_nearest_article() -> None:
    texts = ["pay with alipay?", "alipay accepted?", "wechat pay ok?", "do you sell gpus"]
    vectors = np.vstack([unit(1, 0.1, 0), unit(1, 0.15, 0), unit(0.95, 0.2, 0), unit(0, 0, 1)])
    nearest = ["payment-methods", "payment-methods", "invoices", None]

    gaps = group_gaps(texts, vectors, nearest, similarity=0.8)

    assert [g.size for g in gaps] == [3, 1]
    assert gaps[0].nearest == "payment-methods" and set(gaps[0].examples) == set(texts[:3])
    assert gaps[1].examples == ("do you sell gpus",) and gaps[1].nearest is None


def test_a_stricter_similarity_splits_groups_and_nothing_gives_no_groups() -> None:
    vectors = np.vstack([unit(1, 0, 0), unit(0.8, 0.6, 0)])  # cosine 0.8

    assert len(group_gaps(["a", "b"], vectors, similarity=0.7)) == 1
    assert len(group_gaps(["a", "b"], vectors, similarity=0.9)) == 2
    assert group_gaps([], np.zeros((0, 3))) == []
    with pytest.raises(ValueError, match="2 texts but 1 vectors"):
        group_gaps(["a", "b"], vectors[:1])

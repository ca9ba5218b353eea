"""Words for BM25: Snowball stems for English, jieba words for Chinese, both for mixed text."""

from __future__ import annotations

import numpy as np
import pytest

from index.sparse import SparseIndex
from index.text import add_words, chinese_words, stems


@pytest.mark.unit
def test_english_stems_are_unchanged_by_chinese_support() -> None:
    assert stems("Why am I being rate limited?") == ["am", "be", "rate", "limit"]


@pytest.mark.unit
def test_mixed_text_yields_chinese_words_and_english_stems() -> None:
    tokens = stems("一直报 429 怎么办 rate_limit_exceeded")
    assert {"429", "rate", "limit", "exceed"} <= set(tokens)
    assert "报" in tokens
    assert "怎么办" not in tokens  # a filler word, dropped like an English stopword


@pytest.mark.unit
def test_product_terms_are_kept_whole_once_taught() -> None:
    before = chinese_words("我们想要私有化部署方案")
    add_words(["私有化部署"])
    after = chinese_words("我们想要私有化部署方案")
    assert "私有化部署" in after
    assert "私有化部署" not in before or before == after


@pytest.mark.unit
def test_chinese_bm25_scores_the_matching_document() -> None:
    index = SparseIndex.build(
        ["速率限制：Starter 套餐每分钟 300 次请求", "数据保留：请求日志保存 30 天", "发票每月开具"]
    )
    scores = index.scores("Starter 套餐的速率限制是多少")
    assert int(np.argmax(scores)) == 0
    assert scores[0] > 0 and scores[1] == 0

"""Fusing dense and BM25 scores, and tuning the BM25 weight on labelled queries."""

from __future__ import annotations

import numpy as np
import pytest

from index.fusion import WEIGHT_GRID, fuse, reciprocal_rank, tune_weights

pytestmark = pytest.mark.unit

N_QUERIES, N_DOCS = 60, 25


def objective(scores: np.ndarray, relevant: list[set[int]]) -> float:
    rr = reciprocal_rank(scores, relevant)
    return float(((rr == 1.0).mean() + rr.mean()) / 2)


def signal(rng: np.random.Generator, relevant: list[set[int]], strength: float) -> np.ndarray:
    """Random scores in which the relevant document gets ``strength`` extra."""
    scores = rng.random((N_QUERIES, N_DOCS)).astype(np.float32)
    for q, rel in enumerate(relevant):
        for d in rel:
            scores[q, d] += strength
    return scores


@pytest.fixture
def relevant() -> list[set[int]]:
    return [{q % N_DOCS} for q in range(N_QUERIES)]


def test_weight_zero_is_dense_alone() -> None:
    dense = np.array([[0.2, 0.9, 0.5]], dtype=np.float32)
    sparse = np.array([[12.0, 0.0, 3.0]], dtype=np.float32)

    assert np.array_equal(fuse(dense, sparse, 0.0), dense)


def test_bm25_adds_at_most_the_weight_to_the_best_lexical_match() -> None:
    dense = np.array([[0.2, 0.9, 0.5]], dtype=np.float32)
    sparse = np.array([[12.0, 0.0, 3.0]], dtype=np.float32)

    fused = fuse(dense, sparse, 0.4)

    np.testing.assert_allclose(fused, [[0.6, 0.9, 0.6]], rtol=1e-6)


def test_query_without_known_words_leaves_dense_order() -> None:
    dense = np.array([[0.2, 0.9, 0.5]], dtype=np.float32)
    assert np.argmax(fuse(dense, np.zeros_like(dense), 1.0)) == 1


def test_negative_weight_is_refused_with_the_value() -> None:
    with pytest.raises(ValueError, match=r"-0\.1"):
        fuse(np.zeros((1, 2)), np.zeros((1, 2)), -0.1)


def test_tuning_picks_dense_alone_when_bm25_is_useless(relevant: list[set[int]]) -> None:
    rng = np.random.default_rng(0)
    dense = signal(rng, relevant, strength=1.0)  # dense alone ranks every relevant document first
    # BM25 favours the wrong document of every query.
    sparse = signal(rng, [{(d + 1) % N_DOCS for d in rel} for rel in relevant], strength=3.0) * 10

    (weight, centroid, _), results = tune_weights(dense, np.zeros_like(dense), sparse, relevant)

    assert (weight, centroid) == (0.0, 0.0)
    assert results[(0.0, 0.0, 0.0)] == pytest.approx(1.0)
    assert results[(1.0, 0.0, 0.0)] < 1.0


def test_tuning_gives_bm25_weight_when_it_carries_the_signal(relevant: list[set[int]]) -> None:
    rng = np.random.default_rng(1)
    dense = signal(rng, relevant, strength=0.15)
    sparse = signal(rng, relevant, strength=1.0) * 10

    (weight, _, _), results = tune_weights(dense, np.zeros_like(dense), sparse, relevant)

    assert weight > 0
    assert results[(weight, 0.0, 0.0)] > objective(dense, relevant)


@pytest.mark.parametrize("seed", range(8))
def test_tuned_fusion_is_never_worse_than_dense_alone_or_bm25_decisive(seed: int, relevant: list[set[int]]) -> None:
    rng = np.random.default_rng(seed)
    dense = signal(rng, relevant, strength=rng.uniform(0.1, 0.6))
    sparse = signal(rng, relevant, strength=rng.uniform(0.1, 0.6)) * rng.uniform(1, 20)

    chosen, results = tune_weights(dense, np.zeros_like(dense), sparse, relevant, tolerance=0.0)

    assert results[chosen] == max(results.values())
    assert results[chosen] >= objective(dense, relevant)
    assert results[chosen] >= objective(fuse(dense, sparse, max(WEIGHT_GRID)), relevant)


def test_a_gain_below_the_tolerance_keeps_dense_alone() -> None:
    # 200 queries; dense ranks 199 right and one second, BM25 ranks all right: a gain of 0.00375.
    n = 200
    relevant = [{q % N_DOCS} for q in range(n)]
    dense = np.zeros((n, N_DOCS), dtype=np.float32)
    sparse = np.zeros((n, N_DOCS), dtype=np.float32)
    for q, rel in enumerate(relevant):
        (d,) = rel
        dense[q, d] = 0.9
        sparse[q, d] = 5.0
    dense[0, 1] = 0.95

    default, results = tune_weights(dense, np.zeros_like(dense), sparse, relevant)
    strict, _ = tune_weights(dense, np.zeros_like(dense), sparse, relevant, tolerance=0.0)

    assert max(results.values()) - results[(0.0, 0.0, 0.0)] == pytest.approx(0.75 / n)
    assert default == (0.0, 0.0, 0.0)
    assert strict[0] > 0


def test_tuned_fusion_is_never_worse_than_bm25_alone() -> None:
    # BM25 ranks the relevant document 0 first by a hair; dense prefers document 1 strongly.
    dense = np.array([[0.1, 0.9]], dtype=np.float32)
    sparse = np.array([[10.0, 9.99]], dtype=np.float32)
    relevant = [{0}]

    chosen, results = tune_weights(dense, np.zeros_like(dense), sparse, relevant)

    assert objective(sparse, relevant) == 1.0
    assert results[chosen] >= objective(sparse, relevant)


def test_tuning_breaks_ties_towards_plain_dense(relevant: list[set[int]]) -> None:
    rng = np.random.default_rng(2)
    dense = signal(rng, relevant, strength=2.0)
    sparse = signal(rng, relevant, strength=2.0)

    chosen, results = tune_weights(dense, np.zeros_like(dense), sparse, relevant)

    assert set(results.values()) == {1.0}
    assert chosen == (0.0, 0.0, 0.0)
    assert len(results) == len(WEIGHT_GRID) * 4


def test_tuning_without_labelled_queries_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        tune_weights(np.zeros((0, 3)), np.zeros((0, 3)), np.zeros((0, 3)), [])


def test_the_key_head_gets_a_weight_only_when_it_fixes_rankings() -> None:
    # Dense and BM25 put the relevant document 0 second for every query; the head puts it first.
    n = 20
    dense = np.tile(np.array([0.6, 0.7, 0.1], dtype=np.float32), (n, 1))
    sparse = np.tile(np.array([1.0, 2.0, 0.0], dtype=np.float32), (n, 1))
    head = np.tile(np.array([1.0, -1.0, -1.0], dtype=np.float32), (n, 1))
    relevant = [{0}] * n

    with_head, results = tune_weights(dense, np.zeros_like(dense), sparse, relevant, head=head)
    without_head, plain = tune_weights(dense, np.zeros_like(dense), sparse, relevant)

    assert with_head[2] > 0 and results[with_head] == pytest.approx(1.0)
    assert without_head[2] == 0.0 and max(plain.values()) < 1.0
    assert {k[2] for k in plain} == {0.0}  # no head scores: the head weight is not searched

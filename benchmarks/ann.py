"""When should the dense index switch from exact (flat) to approximate (HNSW) search?

Times one query against FAISS flat and HNSW indexes of clustered unit vectors (384 dims,
standing in for sentence embeddings) of growing size, and HNSW's recall@10 against the exact
answer. The ``ann_threshold`` default
is the smallest size at which exact search costs more than 1 ms a query, the budget left
after the ~5 ms embedding call.

Run: python -m benchmarks.ann
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np

from benchmarks.common import arguments, write_result
from index.vectors import VectorIndex


def _time(index: VectorIndex, queries: np.ndarray) -> tuple[float, np.ndarray]:
    samples, rows = [], []
    for q in queries:
        start = time.perf_counter()
        _, r = index.search(q, 10)
        samples.append(time.perf_counter() - start)
        rows.append(r[0])
    return statistics.median(samples) * 1000, np.array(rows)


def main() -> None:
    args = arguments(__doc__ or "")
    rng = np.random.default_rng(0)
    sizes = [1_000, 10_000, 50_000] if args.quick else [1_000, 5_000, 10_000, 20_000, 50_000, 100_000]
    rows: list[dict[str, Any]] = []
    for n in sizes:
        # Sentence embeddings cluster by topic: points around n/20 centres, not uniform noise.
        centres = rng.standard_normal((max(n // 20, 1), 384)).astype(np.float32)
        data = centres[rng.integers(0, len(centres), n)] + 0.6 * rng.standard_normal((n, 384)).astype(np.float32)
        data /= np.linalg.norm(data, axis=1, keepdims=True)
        # A query is a paraphrase of a stored text: a small step (norm about 0.3) from it.
        noise = 0.3 / np.sqrt(384) * rng.standard_normal((200, 384)).astype(np.float32)
        queries = data[rng.choice(n, 200, replace=False)] + noise
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        flat = VectorIndex.build(data, ann_threshold=n + 1)
        start = time.perf_counter()
        hnsw = VectorIndex.build(data, ann_threshold=1)
        hnsw_build = time.perf_counter() - start
        flat_ms, exact = _time(flat, queries)
        hnsw_ms, approx = _time(hnsw, queries)
        recall = float(np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)]))
        rows.append(
            {
                "vectors": n,
                "flat_ms": round(flat_ms, 3),
                "hnsw_ms": round(hnsw_ms, 3),
                "hnsw_recall_at_10": round(recall, 3),
                "hnsw_build_s": round(hnsw_build, 2),
            }
        )
        print(rows[-1], flush=True)
    over = [r["vectors"] for r in rows if r["flat_ms"] > 1.0]
    write_result(args.out, "ann", {"sizes": rows, "suggested_ann_threshold": over[0] if over else None})


if __name__ == "__main__":
    main()

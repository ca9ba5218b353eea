"""Knowledge gaps: the questions the assistant refused or answered unsure, grouped by similarity,
so a writer sees which article is missing (``supportbot eval`` and the console's analytics).

Grouping is scikit-learn's agglomerative clustering on the message vectors (cosine distance,
average linkage, cut at ``similarity``): no number of groups is fixed in advance, and a group
holds questions closer to each other on average than ``similarity``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering

SIMILARITY = 0.6  # MiniLM and e5 cosines of two wordings of one question mostly lie above this
EXAMPLES = 3  # questions shown per group


@dataclass(frozen=True)
class Gap:
    """Similar questions the knowledge base did not answer well: how many, a few of them, and
    the document retrieval found closest (where an answer might be added), if any."""

    size: int
    examples: tuple[str, ...]
    nearest: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"size": self.size, "examples": list(self.examples), "nearest": self.nearest}


def group_gaps(
    texts: Sequence[str],
    vectors: np.ndarray,
    nearest: Sequence[str | None] | None = None,
    similarity: float = SIMILARITY,
) -> list[Gap]:
    """``texts`` grouped by the cosine of their ``vectors`` (one row each), largest group first.

    Args:
        texts: the questions.
        vectors: their sentence vectors, one row per text.
        nearest: for each text, the document retrieval found closest (None: none); a group
            names its most frequent one.
        similarity: the average cosine within a group at least.
    """
    if len(texts) != len(vectors):
        raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
    if not texts:
        return []
    if len(texts) == 1:
        labels = np.zeros(1, dtype=int)
    else:
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=1.0 - similarity
        ).fit_predict(np.asarray(vectors, dtype=np.float32))
    gaps = []
    for label in np.unique(labels):
        members = [i for i in range(len(texts)) if labels[i] == label]
        docs = [nearest[i] for i in members if nearest is not None and nearest[i]]
        common = max(set(docs), key=lambda d: (docs.count(d), d)) if docs else None
        unique = list(dict.fromkeys(texts[i] for i in members))
        gaps.append(Gap(len(members), tuple(unique[:EXAMPLES]), common))
    return sorted(gaps, key=lambda g: (-g.size, g.examples))

"""A linear head over a text's encoder features and its word and character TF-IDF.

Two classifiers use it: the intent classifier (``bot.intents``) and the key head of the
retriever (``KeyHead``), which learns from each document's keys (its title and alternative
questions) which document a query asks for. The views: the encoder features of one pass
(``index.embedders.pooling.intent_features``, every layer's mean, scaled by ``embedding_weight``), TF-IDF
of word uni- and bigrams and TF-IDF of character 2-5-grams. The lexical views catch what a
frozen embedding blurs: typos, error codes, product names.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from index.text import feature_words

SEED = 0


@dataclass
class HeadParams:
    """Hyperparameters of the head. The defaults serve the shipped intents (5-fold CV 0.951);
    ``benchmarks/intents.py`` chooses them per data set by cross-validation on its train split."""

    embedding_weight: float = 3.0
    c: float = 0.3
    char_min_df: int = 2
    calibration_folds: int = 3
    refuse_in_scope: float = 0.02  # share of in-scope examples refused when no negatives guide the threshold
    char_ngrams: bool = True  # the character view; the key head goes without it (see KEY_HEAD)


def featurizers(params: HeadParams, n_texts: int) -> tuple[TfidfVectorizer, TfidfVectorizer | None]:
    # Words as scikit-learn finds them, Chinese ones cut by jieba (index.text.feature_words).
    words = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, lowercase=True, tokenizer=feature_words, token_pattern=None
    )
    if not params.char_ngrams:
        return words, None
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        lowercase=True,
        min_df=params.char_min_df if n_texts >= 2000 else 1,
    )
    return words, chars


def decision_scores(svm: LinearSVC, features: sparse.csr_matrix) -> np.ndarray:
    """One column of decision values per class, also for two classes (where sklearn gives one)."""
    scores = np.asarray(svm.decision_function(features), dtype=np.float64)
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    return scores


def stack_features(
    words: TfidfVectorizer,
    chars: TfidfVectorizer | None,
    params: HeadParams,
    texts: Sequence[str],
    vectors: np.ndarray,
) -> sparse.csr_matrix:
    dense = sparse.csr_matrix(np.asarray(vectors, dtype=np.float32) * params.embedding_weight)
    views = [dense, words.transform(texts)] + ([chars.transform(texts)] if chars is not None else [])
    return sparse.hstack(views, format="csr")


def fit_head(
    texts: Sequence[str], labels: Sequence[str] | Sequence[int], vectors: np.ndarray, params: HeadParams
) -> tuple[TfidfVectorizer, TfidfVectorizer | None, LinearSVC]:
    words, chars = featurizers(params, len(texts))
    words.fit(texts)
    if chars is not None:
        chars.fit(texts)
    svm = LinearSVC(C=params.c, random_state=SEED)
    svm.fit(stack_features(words, chars, params, texts, vectors), list(labels))
    return words, chars, svm


def _analyzer_config(vectorizer: TfidfVectorizer) -> dict[str, Any]:
    """What decides a vectoriser's terms (its document-frequency cut-offs decide only its vocabulary)."""
    return {k: v for k, v in vectorizer.get_params().items() if k not in ("min_df", "max_df", "max_features")}


_DEFAULTS = [v for v in featurizers(HeadParams(), 0) if v is not None]
_DEFAULT_CONFIGS = tuple(_analyzer_config(v) for v in _DEFAULTS)
_DEFAULT_ANALYZERS = tuple(v.build_analyzer() for v in _DEFAULTS)


@lru_cache(maxsize=64)
def _terms(view: int, text: str) -> list[str]:
    """The terms of ``text`` in view 0 (words) or 1 (characters) of ``featurizers``: a message
    is analysed once for the intent head and the key head both."""
    return list(_DEFAULT_ANALYZERS[view](text))


def _analyzer(view: int, vectorizer: TfidfVectorizer) -> Callable[[str], list[str]]:
    if _analyzer_config(vectorizer) == _DEFAULT_CONFIGS[view]:
        return lambda text: _terms(view, text)
    return vectorizer.build_analyzer()


class SingleScorer:
    """Decision values of one text, computed directly from the vectorisers' vocabularies and
    the SVM's weights split by view: no sparse matrices, a fraction of the time."""

    def __init__(
        self, words: TfidfVectorizer, chars: TfidfVectorizer | None, svm: LinearSVC, embedding_weight: float
    ) -> None:
        # Single precision: half the weights to bring from memory, which a reply pays for
        # because the encoder has just flushed the caches.
        coef = np.asarray(svm.coef_, dtype=np.float32)
        n_words = len(words.vocabulary_)
        dims = coef.shape[1] - n_words - (len(chars.vocabulary_) if chars is not None else 0)
        self.binary = coef.shape[0] == 1
        self.intercept = np.asarray(svm.intercept_, dtype=np.float64)
        self.embedding = coef[:, :dims] * embedding_weight
        self.views = [(_analyzer(0, words), words.vocabulary_, words.idf_, coef[:, dims : dims + n_words].T.copy())]
        if chars is not None:
            self.views.append((_analyzer(1, chars), chars.vocabulary_, chars.idf_, coef[:, dims + n_words :].T.copy()))

    def scores(self, text: str, vector: np.ndarray) -> np.ndarray:
        total = (self.embedding @ np.asarray(vector, dtype=np.float32)).astype(np.float64) + self.intercept
        for analyze, vocabulary, idf, weights in self.views:
            counts: dict[int, int] = {}
            for term in analyze(text):
                column = vocabulary.get(term)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            w = (1.0 + np.log(tf)) * idf[idx]
            total = total + ((w / math.sqrt(w @ w)).astype(np.float32) @ weights[idx])
        return np.array([-total[0], total[0]]) if self.binary else total


# The key head reads words, not character n-grams: on the train split the character view cost
# more than it gave (mean of R@1 and MRR@10 0.9771 without it, 0.9727 with it), and it is the
# dearer half of scoring a message.
KEY_HEAD = HeadParams(char_ngrams=False)


@dataclass
class KeyHead:
    """Which document a query asks for, learned from the documents' keys.

    One class per document that has keys; a query's score for a document is the head's
    decision value (documents without keys get the lowest value of the query). Retrieval adds
    it, weighted, to the fused cosine and BM25 score: a discriminative signal that weighs the
    words that tell neighbouring documents apart, where cosine and BM25 weigh every word alike.
    """

    words: TfidfVectorizer
    chars: TfidfVectorizer | None
    svm: LinearSVC
    params: HeadParams
    rows: np.ndarray  # the document row of each class, in ``svm.classes_`` order
    n_docs: int
    _fast: SingleScorer | None = field(default=None, repr=False, compare=False)

    @classmethod
    def fit(
        cls, texts: Sequence[str], doc_rows: Sequence[int], features: np.ndarray, n_docs: int, params: HeadParams
    ) -> KeyHead | None:
        """The head trained on key ``texts`` of documents ``doc_rows``; None with fewer than two documents."""
        if len(set(doc_rows)) < 2:
            return None
        with warnings.catch_warnings():  # one class per document is the point, however few keys each has
            warnings.filterwarnings("ignore", message="The number of unique classes", category=UserWarning)
            words, chars, svm = fit_head(texts, [int(r) for r in doc_rows], features, params)
        rows = np.asarray(svm.classes_, dtype=np.int64)
        return cls(words, chars, svm, params, rows, n_docs)

    def _spread(self, scores: np.ndarray) -> np.ndarray:
        out = np.empty((scores.shape[0], self.n_docs), dtype=np.float32)
        out[:] = scores.min(axis=1, keepdims=True)
        out[:, self.rows] = scores
        return out

    def scores(self, texts: Sequence[str], features: np.ndarray) -> np.ndarray:
        """Per-document scores, one row per text."""
        return self._spread(
            decision_scores(self.svm, stack_features(self.words, self.chars, self.params, texts, features))
        )

    def score_one(self, text: str, features: np.ndarray) -> np.ndarray:
        """``scores`` of one text, on the fast path (the same values to float precision)."""
        if self._fast is None:
            self._fast = SingleScorer(self.words, self.chars, self.svm, self.params.embedding_weight)
        return self._spread(self._fast.scores(text, features)[np.newaxis])[0]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_fast"] = None
        return state

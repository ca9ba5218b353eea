"""Retrieval quality: the shipped evaluation set (English and Chinese, with the Chinese held-out
set), Chinese questions against the English-only COVID Québec FAQ (cross-lingual), COVID Québec
FAQ and StackFAQ.

The public FAQ sets go through the same path as a customer's FAQ import: rows
``{id, question, answer, questions}`` -> ``knowledge.load_faq`` -> ``Retriever.build``.

- COVID: ``queries_train`` paraphrases become extra question keys of their FAQ. The fusion
  weights are tuned with half of them as keys and the other half as tuning queries, then the
  index is rebuilt with all of them. Scores are reported on ``queries_validation`` (in-scope).
- StackFAQ: no training split exists. Each thread's rephrasings come in two groups (A, B);
  the weights are tuned on one group and scored on the other, both ways (2-fold), so every one
  of the 1,250 queries is scored by weights tuned without it. The untuned shipped defaults are
  reported too.

Run: python -m benchmarks.retrieval [--datasets ../shared/datasets]
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import arguments, read_jsonl, write_result
from bot.config import load_settings
from index.embedders import make_embedder
from index.retriever import Retriever
from index.tuning import retrieval_scores, score_texts, tune
from index.types import RetrieverWeights
from knowledge import load_faq


def _import(rows: list[dict[str, Any]]) -> list:
    """Write ``rows`` as a customer's FAQ JSONL and load it through the import path."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "faq.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        return load_faq(path)


def _report(retriever: Retriever, embedder: Any, queries: list[str], relevant: list[list[str]]) -> dict[str, Any]:
    m = score_texts(retriever, embedder, queries, relevant)
    r = retriever
    return {
        "fused": retrieval_scores(m.fused(r.weights), m.relevant).as_dict(),
        "fused_without_head": retrieval_scores(m.fused(r.weights.without_head()), m.relevant).as_dict(),
        "dense_only": retrieval_scores(m.dense, m.relevant).as_dict(),
        "bm25_only": retrieval_scores(m.sparse, m.relevant).as_dict(),
        "head_only": retrieval_scores(m.head, m.relevant).as_dict() if m.head is not None else None,
        "weights": {"fusion": r.weights.fusion, "centroid": r.weights.centroid, "head": r.weights.head},
    }


def _tuning(weights: RetrieverWeights, objective: float) -> dict[str, float]:
    """Tuned weights as the result files write them."""
    return {
        "fusion_weight": weights.fusion,
        "centroid_weight": weights.centroid,
        "head_weight": weights.head,
        "objective": objective,
    }


def covid(folder: Path, embedder: Any, settings: Any) -> dict[str, Any]:
    faqs = read_jsonl(folder / "faqs.jsonl")
    train = [q for q in read_jsonl(folder / "queries_train.jsonl") if not q["is_ood"]]
    valid = [q for q in read_jsonl(folder / "queries_validation.jsonl") if not q["is_ood"]]

    def rows(keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        by_faq: dict[int, list[str]] = {}
        for q in keys:
            by_faq.setdefault(q["faq_id"], []).append(q["text"])
        return [
            {
                "id": str(f["faq_id"]),
                "question": f["question"],
                "answer": f["answer"],
                "questions": by_faq.get(f["faq_id"], []),
            }
            for f in faqs
        ]

    shuffled = train[:]
    random.Random(0).shuffle(shuffled)
    half = len(shuffled) // 2
    start = time.perf_counter()
    probe = Retriever.build(_import(rows(shuffled[:half])), embedder, max_words=settings.chunk_words)
    tune_q = shuffled[half:]
    texts = [q["text"] for q in tune_q]
    m = score_texts(probe, embedder, texts, [[str(q["faq_id"])] for q in tune_q])
    weights, objective = tune(m)
    tuned = _tuning(weights, objective)
    final = Retriever.build(_import(rows(train)), embedder, weights, max_words=settings.chunk_words)
    build_s = time.perf_counter() - start
    report = _report(final, embedder, [q["text"] for q in valid], [[str(q["faq_id"])] for q in valid])
    naive = Retriever.build(_import(rows([])), embedder, RetrieverWeights(0.0, 0.0), max_words=settings.chunk_words)
    report["no_training_keys"] = _report(
        naive, embedder, [q["text"] for q in valid], [[str(q["faq_id"])] for q in valid]
    )["dense_only"]
    return {**report, "tuning": tuned, "build_and_tune_seconds": round(build_s, 1), "faqs": len(faqs)}


def stackfaq(folder: Path, embedder: Any, settings: Any) -> dict[str, Any]:
    faqs = read_jsonl(folder / "faqs.jsonl")
    queries = read_jsonl(folder / "queries.jsonl")
    docs = _import([{"id": f["faq_id"], "question": f["question"], "answer": f["answer"]} for f in faqs])
    shipped = RetrieverWeights(settings.fusion_weight, settings.centroid_weight, settings.head_weight)
    retriever = Retriever.build(docs, embedder, shipped.without_head(), max_words=settings.chunk_words)
    by_thread: dict[int, list[str]] = {}
    for f in faqs:
        by_thread.setdefault(f["thread_id"], []).append(f["faq_id"])
    texts = [q["text"] for q in queries]
    m = score_texts(retriever, embedder, texts, [by_thread[q["thread_id"]] for q in queries])
    fused = np.zeros_like(m.dense)
    folds = {}
    for tune_group, test_group in (("A", "B"), ("B", "A")):
        tune_rows = [i for i, q in enumerate(queries) if q["rephr_group"] == tune_group]
        test_rows = [i for i, q in enumerate(queries) if q["rephr_group"] == test_group]
        weights, objective = tune(m.rows(tune_rows))
        folds[f"tuned_on_{tune_group}"] = _tuning(weights, objective)
        fused[test_rows] = m.fused(weights)[test_rows]
    return {
        "fused_2fold": retrieval_scores(fused, m.relevant).as_dict(),
        "fused_untuned_defaults": retrieval_scores(m.fused(shipped), m.relevant).as_dict(),
        "head_only": retrieval_scores(m.head, m.relevant).as_dict() if m.head is not None else None,
        "dense_only": retrieval_scores(m.dense, m.relevant).as_dict(),
        "bm25_only": retrieval_scores(m.sparse, m.relevant).as_dict(),
        "folds": folds,
    }


def crosslingual(folder: Path, settings: Any) -> dict[str, Any]:
    """Chinese questions (written by the team, ``knowledge/eval/zh/crosslingual_covid.jsonl``)
    against the English-only COVID FAQ imported as a customer would (its questions as keys, no
    paraphrases): the Chinese path's encoder and BM25, weights as shipped (not tuned on them)."""
    from bot.assistant import Assistant
    from bot.quality.eval import evaluate_questions
    from knowledge.evalset import load_labelled

    faqs = read_jsonl(folder / "faqs.jsonl")
    rows = [{"id": str(f["faq_id"]), "question": f["question"], "answer": f["answer"]} for f in faqs]
    questions = load_labelled(settings.knowledge_dir / "eval" / "zh" / "crosslingual_covid.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "faq.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        local = settings.model_copy(
            update={"knowledge_dir": path, "data_dir": Path(tmp) / "data", "database_url": f"sqlite:///{tmp}/x.db"}
        )
        assistant = Assistant(local)
        assistant.warm_up(progress=False)
        report = evaluate_questions(assistant, questions, [], "zh", "crosslingual").as_dict()
        assistant.store.engine.dispose()
    return {**report, "faqs": len(faqs)}


def build_times(settings: Any) -> dict[str, float]:
    """Seconds to build the shipped knowledge base's index in each language, from nothing."""
    from bot.indexing import build, knowledge_documents

    out = {}
    for language in ("en", "zh"):
        local = settings.for_language(language)
        embedder = make_embedder(local.embedder, local.model_cache_dir, local.threads)
        embedder.warm_up()
        documents = knowledge_documents(local)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            build(documents, embedder, Path(tmp) / "index", local, source="bench", progress=False)
            out[language] = round(time.perf_counter() - start, 1)
    return out


PARTS = ("shipped", "crosslingual", "covid", "stackfaq")


def main() -> None:
    args = arguments(__doc__ or "", parts=PARTS)
    settings = load_settings()
    embedder = make_embedder(settings.embedder, settings.model_cache_dir, settings.threads)
    embedder.warm_up()
    # Parts not rerun keep their previous figures, so one part can be refreshed alone.
    previous = args.out / "retrieval.json"
    results: dict[str, Any] = json.loads(previous.read_text()) if previous.exists() else {}
    for key in ("benchmark", "date", "machine"):
        results.pop(key, None)
    if "shipped" in args.parts:
        from bot.assistant import Assistant
        from bot.quality.eval import evaluate, evaluate_questions
        from knowledge.evalset import load_labelled

        assistant = Assistant(settings, embedder)
        assistant.warm_up(progress=False)
        results["shipped_test"] = evaluate(assistant, "test").as_dict()
        results["shipped_test_zh"] = evaluate(assistant, "test", "zh").as_dict()
        heldout = load_labelled(settings.knowledge_dir / "eval" / "zh" / "heldout.jsonl")
        results["heldout_zh"] = evaluate_questions(assistant, heldout, [], "zh", "heldout").as_dict()
        results["index_build_seconds"] = build_times(settings)
    if "crosslingual" in args.parts:
        results["crosslingual_covid_zh"] = crosslingual(args.datasets / "covid_quebec_faq", settings)
    if "covid" in args.parts:
        results["covid_quebec_faq_validation"] = covid(args.datasets / "covid_quebec_faq", embedder, settings)
    if "stackfaq" in args.parts:
        results["stackfaq"] = stackfaq(args.datasets / "stackfaq", embedder, settings)
    write_result(args.out, "retrieval", results)


if __name__ == "__main__":
    main()

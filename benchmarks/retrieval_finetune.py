"""Does contrastive fine-tuning of the packaged MiniLM encoder raise hybrid retrieval on the shipped eval set?

Variants, all with the same seed, recipe and build path:

- A. baseline: the packaged all-MiniLM-L6-v2 (what ships).
- B. knowledge-only: fine-tuned on pairs made from the knowledge base alone: each article
  question key -> the article section closest to it under the packaged encoder, and each article
  title -> each of its sections. No evaluation question is used, so B is scored on train and test.
- C. B's pairs plus the train split's questions (question -> best section of its first article).
  C is scored on test only (its train figures would be inflated); its train figures come from
  3-fold cross-validation within train (fine-tune on B's pairs + 2/3 of train, score the third).

Recipe: in-batch-negatives loss (``MultipleNegativesRankingLoss`` written in torch: cosine x 20,
cross-entropy over the batch's positives), batch 32 with no two pairs of one article in a batch,
AdamW, 10% linear warm-up then constant learning rate, max_seq_length 128, seed 0. Only the top
``--layers`` transformer layers train: the embeddings and lower layers are frozen and their
outputs are computed once per text and shared by every variant, which is what makes five
fine-tunes and six index builds fit in 11-25 minutes on 2 shared cores. The fine-tuned model is
a ``SentenceTransformer``; the embedder handed to the build path computes the same vectors (the
largest difference from ``SentenceTransformer.encode`` is recorded as ``encode_check``).

Protocol. Every variant's index is built by the project's path (``bot.indexing.build`` over
``bot.indexing.knowledge_documents``, without learned keys). The fusion weights are retuned per
variant with ``index.fusion.tune_weights`` on the train split's out-of-fold score matrices (for A
and B the whole train split; for C each train question scored by the fold encoder that did not
see it), and the answer threshold with ``bot.quality.tuning.best_threshold`` on the same rows against
the out-of-scope train questions. ``fused_cv`` additionally tunes the weights on two folds and
scores the third. The learning rate and the number of epochs were chosen with ``--parts select``
(recipe B scored on the train split, which B never sees; grid 2e-5/5e-5 x 1/2 epochs, 2 epochs
being what the time budget allows for five fine-tunes): 5e-5 for 2 epochs. Nothing was chosen by
test figures: the test split is read only for the final report of each variant. ``fused_shipped_weights``
(the weights in ``bot.config``, not retuned) is reported for reference only; ``*_vs_baseline`` count
the test questions each variant gains and loses at rank 1 against A, with a sign-test p-value. The
out-of-scope figures use the retrieval threshold alone (no intent classifier), so they are not the
assistant's routed rates.

Run: python -m benchmarks.retrieval_finetune [--parts select compare] [--layers 2] [--lr 5e-5] [--epochs 2]
(``compare`` alone, the default, takes 11-25 minutes on 2 shared cores, by their load; ``select`` 11-15.)
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import RESULTS, write_result
from bot.config import Settings, load_settings
from bot.indexing import build, knowledge_documents
from bot.quality.tuning import best_threshold, top_confidence
from index.chunking import chunk_document
from index.embedders import MAX_TOKENS, packaged_model_dir
from index.embedders.cached import CachedEmbedder
from index.fusion import tune_weights
from index.retriever import Retriever
from index.tuning import ScoreMatrices, concat, retrieval_scores, score_matrices
from index.types import Document, RetrieverWeights
from knowledge.evalset import LabelledQuestion, load_evalset

TRAIN_TOKENS = 128
BATCH = 32
SCALE = 20.0
SEED = 0
FOLDS = 3
LR_GRID = (2e-5, 5e-5)
MAX_EPOCHS = 2
# Chosen by ``--parts select`` on the train split (see the module docstring).
LR = 5e-5
EPOCHS = 2
LAYERS = 2
START = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - START:6.0f}s] {message}", flush=True)


@dataclass(frozen=True)
class Pair:
    anchor: str
    positive: str
    ids: frozenset[str]  # the articles of the pair: no two pairs sharing one go in a batch


def _layer(layer: Any, h: Any, mask: Any) -> Any:
    out = layer(h, attention_mask=mask)
    return out[0] if isinstance(out, tuple) else out


class FrozenBottom:
    """The frozen embeddings and lower layers of the packaged encoder, with their output cached
    per token sequence: every variant shares them, so each text runs through them once."""

    def __init__(self, model: Any, trainable: int) -> None:
        bert = model[0].auto_model
        if not 0 < trainable <= len(bert.encoder.layer):
            raise ValueError(f"layers must be in 1..{len(bert.encoder.layer)}. Currently, the layers is {trainable}")
        self.tokenizer = model.tokenizer
        self.frozen = len(bert.encoder.layer) - trainable
        self._embeddings = bert.embeddings
        self._layers = bert.encoder.layer[: self.frozen]
        self._cache: dict[tuple[int, ...], Any] = {}

    def ids(self, texts: Sequence[str], max_tokens: int) -> list[tuple[int, ...]]:
        return [tuple(x) for x in self.tokenizer(list(texts), truncation=True, max_length=max_tokens)["input_ids"]]

    def batch(self, seqs: Sequence[tuple[int, ...]]) -> tuple[Any, Any]:
        """Lower-layer states of ``seqs``, padded, with their attention mask."""
        import torch

        missing = sorted({s for s in seqs if s not in self._cache}, key=len)
        for start in range(0, len(missing), 64):
            part = missing[start : start + 64]
            ids, attention = _pad([torch.tensor(s) for s in part])
            with torch.no_grad():
                h = self._embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
                for layer in self._layers:
                    h = _layer(layer, h, _additive(attention))
            self._cache.update((s, h[i, : len(s)].clone()) for i, s in enumerate(part))
        return _pad([self._cache[s] for s in seqs])


def _pad(rows: list[Any]) -> tuple[Any, Any]:
    import torch

    padded = torch.nn.utils.rnn.pad_sequence(rows, batch_first=True)
    attention = torch.zeros(padded.shape[:2], dtype=torch.long)
    for i, r in enumerate(rows):
        attention[i, : len(r)] = 1
    return padded, attention


def _additive(attention: Any) -> Any:
    import torch

    return (1.0 - attention[:, None, None, :].float()) * torch.finfo(torch.float32).min


def top(layers: Any, h: Any, attention: Any) -> Any:
    """The upper layers, mean pooling and L2 normalisation (the SentenceTransformer's head)."""
    import torch

    mask = _additive(attention)
    for layer in layers:
        h = _layer(layer, h, mask)
    m = attention.unsqueeze(-1).float()
    return torch.nn.functional.normalize((h * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)


class FineTunedEncoder:
    """An ``index.embedders.Embedder`` over a (fine-tuned) SentenceTransformer whose lower layers
    are the packaged ones: the lower states come from the shared ``FrozenBottom``."""

    dim = 384

    def __init__(self, name: str, model: Any, bottom: FrozenBottom) -> None:
        self.name = name
        self.model = model
        self._bottom = bottom
        self._top = model[0].auto_model.encoder.layer[bottom.frozen :]

    def warm_up(self) -> None:
        return None

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        import torch

        seqs = self._bottom.ids(texts, MAX_TOKENS)
        order = sorted(range(len(texts)), key=lambda i: len(seqs[i]))  # little padding per batch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        self._top.eval()
        with torch.no_grad():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                out[idx] = top(self._top, *self._bottom.batch([seqs[i] for i in idx])).numpy()
        return out

    def encode_layers(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """One "layer": the pooled output itself (what the index's key head then reads)."""
        return self.encode(texts, batch_size)[:, None, :]

    def check(self, texts: list[str]) -> float:
        """The largest difference between these vectors and ``SentenceTransformer.encode``'s."""
        self.model.max_seq_length = MAX_TOKENS
        reference = self.model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return float(np.abs(self.encode(texts) - reference).max())


def batches(pairs: Sequence[Pair], seed: int) -> list[list[Pair]]:
    """Shuffled batches of at most ``BATCH`` pairs in which no article appears twice (an article's
    other section would be a false in-batch negative)."""
    pool = list(pairs)
    random.Random(seed).shuffle(pool)
    out = []
    while pool:
        batch: list[Pair] = []
        used: set[str] = set()
        rest = []
        for p in pool:
            if len(batch) < BATCH and not p.ids & used:
                batch.append(p)
                used |= p.ids
            else:
                rest.append(p)
        out.append(batch)
        pool = rest
    return [b for b in out if len(b) > 1]


def finetune(
    base: Any,
    bottom: FrozenBottom,
    pairs: Sequence[Pair],
    lr: float,
    epochs: int,
    after_epoch: Callable[[int, Any], None] | None = None,
    max_steps: int | None = None,
) -> tuple[Any, dict[str, Any]]:
    """A copy of ``base`` with its top layers trained on ``pairs``; returns it with the training facts."""
    import torch

    torch.manual_seed(SEED)
    model = copy.deepcopy(base)
    layers = model[0].auto_model.encoder.layer[bottom.frozen :]
    for p in model.parameters():
        p.requires_grad_(False)
    for p in layers.parameters():
        p.requires_grad_(True)
    plan = [batches(pairs, SEED + e)[:max_steps] for e in range(epochs)]
    steps = sum(len(b) for b in plan)
    warm = max(1, steps // 10)
    optimiser = torch.optim.AdamW(layers.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warm))
    seconds = 0.0
    losses = []
    for epoch, plan_batches in enumerate(plan, start=1):
        start = time.perf_counter()
        layers.train()
        total = 0.0
        for n, batch in enumerate(plan_batches, start=1):
            a = top(layers, *bottom.batch(bottom.ids([p.anchor for p in batch], TRAIN_TOKENS)))
            b = top(layers, *bottom.batch(bottom.ids([p.positive for p in batch], TRAIN_TOKENS)))
            loss = torch.nn.functional.cross_entropy(SCALE * a @ b.T, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss)
            if n % 10 == 0:
                log(f"  epoch {epoch} step {n}/{len(plan_batches)} loss {total / n:.3f}")
        seconds += time.perf_counter() - start
        losses.append(round(total / len(plan_batches), 4))
        if after_epoch is not None:
            after_epoch(epoch, model)
    layers.eval()
    return model, {"pairs": len(pairs), "steps": steps, "train_seconds": round(seconds, 1), "epoch_loss": losses}


def sections(d: Document, settings: Settings) -> list[str]:
    return [c.embed_text(d.title) for c in chunk_document(d, settings.chunk_words)]


def unit_texts(documents: Sequence[Document], settings: Settings) -> list[str]:
    """The texts ``Retriever.build`` embeds (keys, then chunks), to embed them in one sorted pass."""
    return [t for d in documents for t in [*dict.fromkeys([d.title, *d.keys]), *sections(d, settings)]]


def best_sections(encoder: Any, questions: list[str], candidates: list[str]) -> list[str]:
    scores = encoder.encode(questions) @ encoder.encode(candidates).T
    return [candidates[int(j)] for j in scores.argmax(axis=1)]


def knowledge_pairs(documents: Sequence[Document], settings: Settings, encoder: Any) -> list[Pair]:
    """Variant B's pairs: question key -> its article's closest section; title -> each section."""
    pairs = []
    for d in documents:
        parts = sections(d, settings)
        if not parts:
            continue
        group = frozenset({d.id})
        pairs += [Pair(d.title, s, group) for s in parts]
        keys = [k for k in dict.fromkeys(d.keys) if k != d.title]
        if keys:
            pairs += [Pair(k, s, group) for k, s in zip(keys, best_sections(encoder, keys, parts), strict=True)]
    return pairs


def question_pairs(
    questions: Sequence[LabelledQuestion], documents: Sequence[Document], settings: Settings, encoder: Any
) -> list[Pair]:
    """Variant C's extra pairs: labelled question -> closest section of its first article."""
    by_id = {d.id: d for d in documents}
    out = []
    for q in questions:
        best = best_sections(encoder, [q.text], sections(by_id[q.ids[0]], settings))[0]
        out.append(Pair(q.text, best, frozenset(q.ids)))
    return out


@dataclass
class Scored:
    """One encoder's index and the score matrices of the question sets it is asked about."""

    retriever: Retriever
    embedder: CachedEmbedder
    matrices: dict[str, ScoreMatrices]
    encode_seconds: float


def index_and_score(
    encoder: FineTunedEncoder, documents: list[Document], settings: Settings, folder: Path, sets: dict[str, Any]
) -> Scored:
    """Build the index with ``encoder`` through ``bot.indexing.build`` and score each question set
    (``{name: (texts, relevant ids)}``)."""
    start = time.perf_counter()
    cached = CachedEmbedder(encoder)
    cached.encode(unit_texts(documents, settings))
    retriever = build(documents, cached, folder / encoder.name, settings, source="knowledge", progress=False)
    seconds = time.perf_counter() - start
    matrices = {
        name: score_matrices(retriever, cached.encode(list(texts)), texts, ids) for name, (texts, ids) in sets.items()
    }
    log(f"  built and scored {encoder.name} ({seconds:.0f}s to embed {len(retriever.vectors)} units)")
    return Scored(retriever, cached, matrices, round(seconds, 1))


def question_sets(questions: Sequence[LabelledQuestion], oos: Sequence[str]) -> dict[str, Any]:
    return {"in": ([q.text for q in questions], [q.ids for q in questions]), "oos": (list(oos), [()] * len(oos))}


def rows(m: ScoreMatrices, idx: np.ndarray) -> ScoreMatrices:
    return ScoreMatrices(m.dense[idx], m.centroid[idx], m.sparse[idx], [m.relevant[i] for i in idx])


def figures(m: ScoreMatrices, w: float, a: float) -> dict[str, Any]:
    return {
        "fused": retrieval_scores(m.fused(RetrieverWeights(w, a)), m.relevant).as_dict(),
        "dense_only": retrieval_scores(m.dense, m.relevant).as_dict(),
        "bm25_only": retrieval_scores(m.sparse, m.relevant).as_dict(),
    }


def summarise(
    train_in: ScoreMatrices,
    train_oos: ScoreMatrices,
    fold: np.ndarray,
    test: dict[str, ScoreMatrices] | None,
    settings: Settings,
) -> dict[str, Any]:
    """Weights and threshold chosen on train (out-of-fold rows), train figures, then test figures."""
    (w, a, _), _ = tune_weights(train_in.dense, train_in.centroid, train_in.sparse, train_in.relevant)
    fused_cv = np.zeros_like(train_in.dense)
    for k in range(FOLDS):
        tune_rows = rows(train_in, np.flatnonzero(fold != k))
        (wk, ak, _), _ = tune_weights(tune_rows.dense, tune_rows.centroid, tune_rows.sparse, tune_rows.relevant)
        held = np.flatnonzero(fold == k)
        fused_cv[held] = rows(train_in, held).fused(RetrieverWeights(wk, ak))
    conf_in, conf_oos = top_confidence(train_in, w, a), top_confidence(train_oos, w, a)
    threshold, rates = best_threshold(conf_in, conf_oos)
    out: dict[str, Any] = {
        "weights": {"fusion": w, "centroid": a},
        "answer_threshold": round(threshold, 4),
        "train_out_of_fold": {
            **figures(train_in, w, a),
            "fused_cv": retrieval_scores(fused_cv, train_in.relevant).as_dict(),
            **{k: round(v, 4) for k, v in rates.items()},
        },
    }
    if test is not None:
        t_in, t_oos = test["in"], test["oos"]
        out["test"] = {
            **figures(t_in, w, a),
            "fused_shipped_weights": retrieval_scores(
                t_in.fused(RetrieverWeights(settings.fusion_weight, settings.centroid_weight)), t_in.relevant
            ).as_dict(),
            "answered_out_of_scope": round(float((top_confidence(t_oos, w, a) >= threshold).mean()), 4),
            "refused_in_scope": round(float((top_confidence(t_in, w, a) < threshold).mean()), 4),
        }
    return out


def hits_at_1(m: ScoreMatrices, w: float, a: float) -> np.ndarray:
    top = m.fused(RetrieverWeights(w, a)).argmax(axis=1)
    return np.array([int(t) in rel for t, rel in zip(top, m.relevant, strict=True)])


def paired(base: np.ndarray, other: np.ndarray) -> dict[str, float]:
    """Questions right at rank 1 only with ``other`` (gained) or only with ``base`` (lost), with the
    exact two-sided sign-test p-value of that difference."""
    gained, lost = int((other & ~base).sum()), int((base & ~other).sum())
    n = gained + lost
    p = min(1.0, 2 * sum(math.comb(n, i) for i in range(min(gained, lost) + 1)) / 2**n) if n else 1.0
    return {"gained": gained, "lost": lost, "sign_test_p": round(p, 4)}


class Run:
    """The shared state of one benchmark run: data, the packaged model, the frozen bottom, pairs."""

    def __init__(self, layers: int, folder: Path, max_steps: int | None = None) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(min(2, os.cpu_count() or 1))
        self.folder = folder
        self.max_steps = max_steps
        self.settings = load_settings(learn_from_train=False)
        self.documents = knowledge_documents(self.settings)
        self.evalset = load_evalset(self.settings.knowledge_dir / "eval", {d.id for d in self.documents})
        self.train = list(self.evalset.train)
        self.fold = np.arange(len(self.train)) % FOLDS  # the train file is grouped by article
        self.base = SentenceTransformer(str(packaged_model_dir()), device="cpu")
        self.bottom = FrozenBottom(self.base, layers)
        self.baseline = FineTunedEncoder("all-MiniLM-L6-v2", self.base, self.bottom)
        start = time.perf_counter()
        log("embedding the packaged model's frozen lower layers for every text (shared by all variants)")
        self.baseline_scored = self.score(self.baseline, "train", "test")
        vectors = self.baseline_scored.embedder  # sections are chosen by the packaged encoder
        self.pairs = knowledge_pairs(self.documents, self.settings, vectors)
        self.train_pairs = question_pairs(self.train, self.documents, self.settings, vectors)
        texts = {p.anchor for p in self.pairs + self.train_pairs} | {p.positive for p in self.pairs}
        self.bottom.batch(self.bottom.ids(sorted(texts), TRAIN_TOKENS))
        self.shared_seconds = round(time.perf_counter() - start, 1)

    def score(self, encoder: FineTunedEncoder, *splits: str, held: np.ndarray | None = None) -> Scored:
        sets: dict[str, Any] = {}
        for split in splits:
            questions, oos = self.evalset.split(split)
            if split == "train" and held is not None:
                questions = tuple(questions[i] for i in held)
            sets.update({f"{split}_{k}": v for k, v in question_sets(questions, oos).items()})
        return index_and_score(encoder, self.documents, self.settings, self.folder, sets)

    def encoder(self, name: str, model: Any) -> FineTunedEncoder:
        return FineTunedEncoder(name, model, self.bottom)


def select(run: Run) -> dict[str, Any]:
    """Recipe B at each learning rate, scored on the train split after each epoch."""
    trials = []
    for lr in LR_GRID:

        def after(epoch: int, model: Any, lr: float = lr) -> None:
            s = run.score(run.encoder(f"select-lr{lr:g}-e{epoch}", model), "train")
            in_m = s.matrices["train_in"]
            (w, a, h), results = tune_weights(in_m.dense, in_m.centroid, in_m.sparse, in_m.relevant)
            trials.append({"lr": lr, "epochs": epoch, "objective": round(results[(w, a, h)], 4), **figures(in_m, w, a)})
            log(f"  lr {lr:g} epoch {epoch}: train objective {trials[-1]['objective']}")

        log(f"select: recipe B, lr {lr:g}, {MAX_EPOCHS} epochs")
        finetune(run.base, run.bottom, run.pairs, lr, MAX_EPOCHS, after, run.max_steps)
    baseline = run.baseline_scored.matrices["train_in"]
    (w, a, h), results = tune_weights(baseline.dense, baseline.centroid, baseline.sparse, baseline.relevant)
    best = max(trials, key=lambda t: (t["objective"], -t["epochs"], -t["lr"]))
    return {
        "criterion": "train split, mean of R@1 and MRR@10 at train-tuned fusion weights (recipe B never sees train)",
        "baseline_objective": round(results[(w, a, h)], 4),
        "trials": trials,
        "chosen": {"lr": best["lr"], "epochs": best["epochs"]},
    }


def compare(run: Run, lr: float, epochs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    a = run.baseline_scored
    out["A_baseline"] = {
        "encode_seconds": a.encode_seconds,
        **summarise(a.matrices["train_in"], a.matrices["train_oos"], run.fold, _test(a), run.settings),
    }
    log("B: fine-tuning on knowledge pairs")
    model, facts = finetune(run.base, run.bottom, run.pairs, lr, epochs, max_steps=run.max_steps)
    enc = run.encoder("minilm-ft-B", model)
    b = run.score(enc, "train", "test")
    out["B_knowledge"] = {
        **facts,
        "encode_seconds": b.encode_seconds,
        "encode_check": enc.check(_probe(run)),
        **summarise(b.matrices["train_in"], b.matrices["train_oos"], run.fold, _test(b), run.settings),
    }
    held_parts, oos_parts, folds, fold_facts = [], [], [], []
    for k in range(FOLDS):
        held = np.flatnonzero(run.fold == k)
        fit = [p for p, f in zip(run.train_pairs, run.fold, strict=True) if f != k]
        log(f"C fold {k + 1}/{FOLDS}: fine-tuning on knowledge pairs + {len(fit)} train questions")
        model, facts = finetune(run.base, run.bottom, run.pairs + fit, lr, epochs, max_steps=run.max_steps)
        s = run.score(run.encoder(f"minilm-ft-C-fold{k}", model), "train", held=held)
        held_parts.append(s.matrices["train_in"])
        oos_parts.append(s.matrices["train_oos"])
        folds.append(np.full(len(held), k))
        fold_facts.append(facts)
    log("C: fine-tuning on knowledge pairs + all train questions")
    model, facts = finetune(run.base, run.bottom, run.pairs + run.train_pairs, lr, epochs, max_steps=run.max_steps)
    enc = run.encoder("minilm-ft-C", model)
    c = run.score(enc, "test")
    out["C_knowledge_and_train"] = {
        **facts,
        "encode_seconds": c.encode_seconds,
        "encode_check": enc.check(_probe(run)),
        "cv_folds": fold_facts,
        **summarise(concat(held_parts), concat(oos_parts), np.concatenate(folds), _test(c), run.settings),
    }
    # Paired against the baseline on the same test questions: how many R@1 wins and losses.
    tests = {"A_baseline": a.matrices["test_in"], "B_knowledge": b.matrices["test_in"]}
    tests["C_knowledge_and_train"] = c.matrices["test_in"]
    base_w = out["A_baseline"]["weights"]
    base_fused = hits_at_1(tests["A_baseline"], base_w["fusion"], base_w["centroid"])
    base_dense = hits_at_1(tests["A_baseline"], 0.0, 0.0)
    for name in ("B_knowledge", "C_knowledge_and_train"):
        w = out[name]["weights"]
        out[name]["test"]["fused_vs_baseline"] = paired(base_fused, hits_at_1(tests[name], w["fusion"], w["centroid"]))
        out[name]["test"]["dense_vs_baseline"] = paired(base_dense, hits_at_1(tests[name], 0.0, 0.0))
    return out


def _test(s: Scored) -> dict[str, ScoreMatrices]:
    return {"in": s.matrices["test_in"], "oos": s.matrices["test_oos"]}


def _probe(run: Run) -> list[str]:
    return [run.pairs[0].anchor, run.pairs[0].positive, run.train[0].text, run.evalset.oos_train[0]]


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parts", nargs="+", choices=["select", "compare"], default=["compare"])
    p.add_argument("--out", type=Path, default=RESULTS, help="folder for the result JSON file")
    p.add_argument("--layers", type=int, default=LAYERS, help="top transformer layers to train (6 = all)")
    p.add_argument("--lr", type=float, default=LR)
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--max-steps", type=int, default=None, help="cap on training steps (smoke runs only)")
    args = p.parse_args()
    # Parts not rerun keep their previous figures.
    previous = args.out / "retrieval_finetune.json"
    results: dict[str, Any] = json.loads(previous.read_text()) if previous.exists() else {}
    for key in ("benchmark", "date", "machine"):
        results.pop(key, None)
    with tempfile.TemporaryDirectory(prefix="retrieval_finetune_") as tmp:
        run = Run(args.layers, Path(tmp), args.max_steps)
        recipe = {
            "loss": "in-batch negatives (MultipleNegativesRankingLoss), cosine x 20",
            "trainable_layers": args.layers,
            "batch": BATCH,
            "max_seq_length": TRAIN_TOKENS,
            "seed": SEED,
            "knowledge_pairs": len(run.pairs),
            "train_question_pairs": len(run.train_pairs),
            "shared_lower_layer_and_baseline_index_seconds": run.shared_seconds,
        }
        if "select" in args.parts:
            results["selection"] = {"recipe": recipe, **select(run)}
        if "compare" in args.parts:
            results["recipe"] = {**recipe, "lr": args.lr, "epochs": args.epochs}
            results["variants"] = compare(run, args.lr, args.epochs)
            results["compare_seconds"] = round(time.perf_counter() - START, 1)
    write_result(args.out, "retrieval_finetune", results)


if __name__ == "__main__":
    main()

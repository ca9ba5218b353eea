"""Does fine-tuning the encoder help intent classification enough to pay for itself?

Fine-tunes the top ``--layers`` transformer layers of the packaged all-MiniLM-L6-v2 (mean
pooling, cosine head, cross-entropy) on a data set's train split and reports test accuracy
after each epoch, with the training time. The frozen lower layers run once per example and
are cached, so training the top two or three layers costs a fraction of full fine-tuning.

CLINC150 trains twice: on the 150 in-scope intents of ``train`` (score: the largest in-scope
probability), and with ``oos_train`` as a 151st class (score: 1 - p(out of scope)). After each
epoch one out-of-scope threshold is chosen on ``val`` + ``oos_val`` by the rule of
benchmarks/intents.py (``choose_threshold`` with ``min_recall``: the best in-scope accuracy
among thresholds refusing at least 75% of ``oos_val``) and applied to ``test`` + ``oos_test``.

The product does not use a fine-tuned encoder: the assistant encodes each message once and
both retrieval and intents read that vector, so a fine-tuned encoder would be a second
encoding per message (about 5 ms, against a 2 ms budget). This script is the measurement
behind that choice (see benchmarks/README.md); it is not part of ``make bench`` because it
takes 3-12 minutes per run (CLINC150 more). Results of the parts run replace those parts in
results/intents_finetune.json; the other parts stay.

Run: python -m benchmarks.intents_finetune --parts hwu64 clinc150 --layers 3 --epochs 3
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import DEFAULT_DATASETS, RESULTS, write_result
from bot.intents.training import choose_threshold

MAX_TOKENS = 64
BATCH = 32
EVAL_BATCH = 128
SCALE = 20.0  # logit scale of the cosine head, in training and when reading probabilities
TARGET_RECALL = 0.75  # as benchmarks.intents: the CLINC150 out-of-scope recall target
OOS = "oos"
IGNORE = -100  # cross-entropy target of a row the head does not train on
Rows = list[tuple[str, str]]


def _rows(path: Path) -> Rows:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["text"], r["category"]) for r in csv.DictReader(f)]


Cached = tuple[list[tuple[Any, Any, Any]], list[Rows]]


class _TopLayers:
    """The packaged encoder split at ``layers`` from the top: the lower layers run once per
    text (``cache``); the top layers and a linear head train, from the packaged weights again
    after each ``reset``."""

    def __init__(self, layers: int) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from index.embedders import packaged_model_dir

        torch.set_num_threads(2)
        self.torch = torch
        path = str(packaged_model_dir())
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.encoder = AutoModel.from_pretrained(path)
        self.frozen = len(self.encoder.encoder.layer) - layers
        self.top = self.encoder.encoder.layer[self.frozen :]
        self.packaged = copy.deepcopy(self.top.state_dict())
        self.classes: list[str] = []
        self.head = torch.nn.Linear(384, 1)

    def reset(self, classes: list[str]) -> None:
        """Packaged weights in the top layers, a fresh head over ``classes``, seeds at 0."""
        self.torch.manual_seed(0)
        random.seed(0)
        self.top.load_state_dict(self.packaged)
        self.classes = classes
        self.head = self.torch.nn.Linear(384, len(classes))

    def lower(self, texts: list[str]) -> tuple[Any, Any, Any]:
        torch = self.torch
        t = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        mask = (1.0 - t["attention_mask"][:, None, None, :].float()) * torch.finfo(torch.float32).min
        with torch.no_grad():
            h = self.encoder.embeddings(input_ids=t["input_ids"], token_type_ids=t["token_type_ids"])
            for layer in self.encoder.encoder.layer[: self.frozen]:
                out = layer(h, attention_mask=mask)
                h = out[0] if isinstance(out, tuple) else out
        return h, t["attention_mask"], mask

    def cache(self, rows: Rows, size: int) -> Cached:
        """Lower-layer outputs of ``rows`` in batches of similar length, and the rows of each batch."""
        ordered = sorted(rows, key=lambda r: len(r[0]))
        batches = [ordered[i : i + size] for i in range(0, len(ordered), size)]
        return [self.lower([t for t, _ in b]) for b in batches], batches

    def logits(self, h: Any, attention: Any, mask: Any) -> Any:
        for layer in self.top:
            out = layer(h, attention_mask=mask)
            h = out[0] if isinstance(out, tuple) else out
        m = attention.unsqueeze(-1).float()
        pooled = self.torch.nn.functional.normalize((h * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)
        return self.head(pooled) * SCALE

    def probabilities(self, cached: Cached) -> np.ndarray:
        with self.torch.no_grad():
            return np.concatenate([self.logits(*c).softmax(-1).numpy() for c in cached[0]])

    def train(
        self, cached: Cached, epochs: int, lr: float, after_epoch: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """Train on the cached batches (rows whose label is not among the classes are ignored)
        and call ``after_epoch`` after each epoch; the history of its results with the cumulative
        training seconds (evaluation and the caching of the lower layers not included)."""
        torch = self.torch
        index = {y: i for i, y in enumerate(self.classes)}
        params = [p for layer in self.top for p in layer.parameters()]
        optimiser = torch.optim.AdamW([{"params": params, "lr": lr}, {"params": self.head.parameters(), "lr": 2e-3}])
        cache, batches = cached
        targets = [torch.tensor([index.get(y, IGNORE) for _, y in b]) for b in batches]
        steps = epochs * len(batches)
        schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: max(0.0, 1.0 - s / steps))
        history, train_s = [], 0.0
        for epoch in range(epochs):
            t0 = time.perf_counter()
            order = list(range(len(batches)))
            random.shuffle(order)
            for i in order:
                if bool((targets[i] == IGNORE).all()):
                    continue
                loss = torch.nn.functional.cross_entropy(self.logits(*cache[i]), targets[i], ignore_index=IGNORE)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
            train_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            report = after_epoch()
            history.append(
                {
                    "epoch": epoch + 1,
                    **report,
                    "train_seconds": round(train_s),
                    "eval_seconds": round(time.perf_counter() - t0),
                }
            )
            print(history[-1], flush=True)
        trained = sum(int((t != IGNORE).sum()) for t in targets)
        return {"train_examples": trained, "train_seconds": round(train_s), "history": history}


def finetune(train: Rows, test: Rows, layers: int, epochs: int, lr: float) -> dict[str, Any]:
    """Test accuracy after each epoch of training on ``train`` (a data set without out-of-scope examples)."""
    model = _TopLayers(layers)
    model.reset(sorted({y for _, y in train}))
    t0 = time.perf_counter()
    train_cache, test_cache = model.cache(train, BATCH), model.cache(test, EVAL_BATCH)
    cache_s = time.perf_counter() - t0
    truth = np.array([model.classes.index(y) for b in test_cache[1] for _, y in b])

    def evaluate() -> dict[str, Any]:
        return {"accuracy": round(float((model.probabilities(test_cache).argmax(1) == truth).mean()), 4)}

    trained = model.train(train_cache, epochs, lr, evaluate)
    return {"layers": layers, "epochs": epochs, "lr": lr, "cache_seconds": round(cache_s), **trained}


def _read(probs: np.ndarray, with_oos: bool) -> tuple[np.ndarray, np.ndarray]:
    """The most probable in-scope class of each row and its score: 1 - p(oos) with an out-of-scope
    class (the last column), else the largest in-scope probability."""
    inside = probs[:, :-1] if with_oos else probs
    return inside.argmax(1), (1.0 - probs[:, -1]) if with_oos else inside.max(1)


def _operating_point(
    probs: np.ndarray, truth: np.ndarray, oos_probs: np.ndarray, with_oos: bool, t: float
) -> dict[str, float]:
    """In-scope accuracy (right intent and not refused), raw in-scope accuracy (no threshold) and
    out-of-scope recall at threshold ``t``."""
    predicted, score = _read(probs, with_oos)
    correct = predicted == truth
    return {
        "in_scope_accuracy": round(float((correct & (score >= t)).mean()), 4),
        "raw_accuracy": round(float(correct.mean()), 4),
        "out_of_scope_recall": round(float((_read(oos_probs, with_oos)[1] < t).mean()), 4),
    }


def finetune_clinc(
    model: _TopLayers, parts: dict[str, Cached], with_oos: bool, epochs: int, lr: float
) -> dict[str, Any]:
    """CLINC150 after each epoch: the threshold chosen on val + oos_val (TARGET_RECALL rule) and the
    figures it gives on val and on test + oos_test. ``with_oos`` trains oos_train as a class."""
    classes = sorted({y for b in parts["train"][1] for _, y in b} - {OOS}) + ([OOS] if with_oos else [])
    model.reset(classes)
    truth = {k: np.array([classes.index(y) for b in parts[k][1] for _, y in b]) for k in ("val", "test")}

    def evaluate() -> dict[str, Any]:
        p = {k: model.probabilities(parts[k]) for k in ("val", "oos_val", "test", "oos_test")}
        predicted, score = _read(p["val"], with_oos)
        oos_score = _read(p["oos_val"], with_oos)[1]
        t = choose_threshold(score, predicted == truth["val"], oos_score, 0.0, min_recall=TARGET_RECALL)
        report: dict[str, Any] = {
            "threshold": round(t, 4),
            "val": _operating_point(p["val"], truth["val"], p["oos_val"], with_oos, t),
            "test": _operating_point(p["test"], truth["test"], p["oos_test"], with_oos, t),
        }
        if with_oos:  # no threshold: a message is refused when "oos" is the most probable class
            top, oos_top = p["test"].argmax(1), p["oos_test"].argmax(1)
            report["test_argmax"] = {
                "in_scope_accuracy": round(float((top == truth["test"]).mean()), 4),
                "out_of_scope_recall": round(float((oos_top == len(classes) - 1).mean()), 4),
            }
        return report

    return {
        "classes": len(classes),
        "score": "1 - p(oos)" if with_oos else "max in-scope probability",
        **model.train(parts["train"], epochs, lr, evaluate),
    }


def clinc(folder: Path, layers: int, epochs: int, lr: float) -> dict[str, Any]:
    """Both CLINC150 variants on one cache of the lower layers: train + oos_train (the in-scope
    variant ignores the oos_train rows), val, oos_val, test, oos_test."""
    data = json.loads((folder / "data_full.json").read_text(encoding="utf-8"))
    rows = {k: [(t, y) for t, y in v] for k, v in data.items()}
    rows["train"] += rows.pop("oos_train")
    model = _TopLayers(layers)
    t0 = time.perf_counter()
    parts = {k: model.cache(v, BATCH if k == "train" else EVAL_BATCH) for k, v in rows.items()}
    cache_s = time.perf_counter() - t0
    print(f"clinc150: lower {model.frozen} layers cached in {cache_s:.0f} s", flush=True)
    return {
        "layers": layers,
        "epochs": epochs,
        "lr": lr,
        "threshold_rule": (
            f"bot.intents.training.choose_threshold(min_recall={TARGET_RECALL}) on val + oos_val: the best "
            f"in-scope accuracy among thresholds refusing >= {TARGET_RECALL:.0%} of oos_val"
        ),
        "target": {"in_scope_accuracy": 0.965, "out_of_scope_recall": TARGET_RECALL},
        "cache_seconds": round(cache_s),
        "in_scope_only": finetune_clinc(model, parts, False, epochs, lr),
        "with_oos_class": finetune_clinc(model, parts, True, epochs, lr),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parts", nargs="+", choices=["banking77", "hwu64", "clinc150"], default=["hwu64"])
    p.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--layers", type=int, default=3, help="top transformer layers to train (6 = all)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=1e-4)
    args = p.parse_args()
    previous = args.out / "intents_finetune.json"
    kept = {"benchmark", "date", "machine"}
    results: dict[str, Any] = {}
    if previous.exists():
        results = {k: v for k, v in json.loads(previous.read_text(encoding="utf-8")).items() if k not in kept}
    for name in args.parts:
        folder = args.datasets / name
        if name == "clinc150":
            results[name] = clinc(folder, args.layers, args.epochs, args.lr)
        else:
            train, test = _rows(folder / "train.csv"), _rows(folder / "test.csv")
            results[name] = finetune(train, test, args.layers, args.epochs, args.lr)
    write_result(args.out, "intents_finetune", results)


if __name__ == "__main__":
    main()

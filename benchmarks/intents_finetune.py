"""Does fine-tuning the encoder help intent classification enough to pay for itself?

Fine-tunes the top ``--layers`` transformer layers of the packaged all-MiniLM-L6-v2 (mean
pooling, cosine head, cross-entropy) on a data set's train split and reports test accuracy
after each epoch, with the training time. The frozen lower layers run once per example and
are cached, so training the top two or three layers costs a fraction of full fine-tuning.

The product does not use a fine-tuned encoder: the assistant encodes each message once and
both retrieval and intents read that vector, so a fine-tuned encoder would be a second
encoding per message (about 5 ms, against a 2 ms budget). This script is the measurement
behind that choice (see benchmarks/README.md); it is not part of ``make bench`` because it
takes 3-12 minutes per run.

Run: python -m benchmarks.intents_finetune --parts hwu64 --layers 3 --epochs 3
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path
from typing import Any

from benchmarks.common import DEFAULT_DATASETS, RESULTS, write_result

MAX_TOKENS = 64
BATCH = 32


def _rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["text"], r["category"]) for r in csv.DictReader(f)]


def finetune(
    train: list[tuple[str, str]], test: list[tuple[str, str]], layers: int, epochs: int, lr: float
) -> dict[str, Any]:
    import torch
    from transformers import AutoModel, AutoTokenizer

    from index.embedder import packaged_model_dir

    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(2)
    labels = sorted({y for _, y in train})
    index = {y: i for i, y in enumerate(labels)}
    path = str(packaged_model_dir())
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)
    frozen = len(encoder.encoder.layer) - layers
    top = encoder.encoder.layer[frozen:]

    def lower(texts: list[str]) -> tuple[Any, Any, Any]:
        t = tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        mask = (1.0 - t["attention_mask"][:, None, None, :].float()) * torch.finfo(torch.float32).min
        with torch.no_grad():
            h = encoder.embeddings(input_ids=t["input_ids"], token_type_ids=t["token_type_ids"])
            for layer in encoder.encoder.layer[:frozen]:
                out = layer(h, attention_mask=mask)
                h = out[0] if isinstance(out, tuple) else out
        return h, t["attention_mask"], mask

    def upper(h: Any, attention: Any, mask: Any) -> Any:
        for layer in top:
            out = layer(h, attention_mask=mask)
            h = out[0] if isinstance(out, tuple) else out
        m = attention.unsqueeze(-1).float()
        return torch.nn.functional.normalize((h * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)

    head = torch.nn.Linear(384, len(labels))
    params = [p for layer in top for p in layer.parameters()]
    optimiser = torch.optim.AdamW([{"params": params, "lr": lr}, {"params": head.parameters(), "lr": 2e-3}])
    start = time.perf_counter()
    ordered = sorted(train, key=lambda r: len(r[0]))
    batches = [ordered[i : i + BATCH] for i in range(0, len(ordered), BATCH)]
    cache = [lower([t for t, _ in b]) for b in batches]
    targets = [torch.tensor([index[y] for _, y in b]) for b in batches]
    steps = epochs * len(batches)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: max(0.0, 1.0 - s / steps))
    history = []
    for epoch in range(epochs):
        order = list(range(len(batches)))
        random.shuffle(order)
        for i in order:
            loss = torch.nn.functional.cross_entropy(head(upper(*cache[i])) * 20.0, targets[i])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(test), 128):
                part = test[i : i + 128]
                predicted = head(upper(*lower([t for t, _ in part]))).argmax(-1).tolist()
                correct += sum(labels[p] == y for p, (_, y) in zip(predicted, part, strict=True))
        history.append(
            {
                "epoch": epoch + 1,
                "accuracy": round(correct / len(test), 4),
                "seconds": round(time.perf_counter() - start),
            }
        )
        print(history[-1], flush=True)
    return {"layers": layers, "epochs": epochs, "lr": lr, "history": history}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parts", nargs="+", choices=["banking77", "hwu64"], default=["hwu64"])
    p.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--layers", type=int, default=3, help="top transformer layers to train (6 = all)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=1e-4)
    args = p.parse_args()
    results: dict[str, Any] = {}
    for name in args.parts:
        folder = args.datasets / name
        results[name] = finetune(
            _rows(folder / "train.csv"), _rows(folder / "test.csv"), args.layers, args.epochs, args.lr
        )
    write_result(args.out, f"intents_finetune_top{args.layers}", results)


if __name__ == "__main__":
    main()

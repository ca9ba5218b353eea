"""Summarise benchmarks/results/*.json as the tables in benchmarks/README.md.

Run: python -m benchmarks.report
"""

from __future__ import annotations

import json
from typing import Any

from benchmarks.common import RESULTS, ROOT

BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _row(name: str, s: dict[str, Any], target: str = "") -> str:
    return f"| {name} | {s['R@1']:.3f} | {s['R@5']:.3f} | {s['MRR@10']:.3f} | {s['n']} | {target} |"


def _head(title: str, columns: list[str]) -> list[str]:
    return [f"### {title}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def retrieval_table(r: dict[str, Any]) -> list[str]:
    out = _head(f"Retrieval quality ({r['date']})", ["data set · method", "R@1", "R@5", "MRR@10", "queries", "target"])
    shipped = r["shipped_test"]
    out.append(_row("shipped test split · hybrid (tuned on train)", shipped["retrieval"], "R@1 ≥ 0.90, R@5 ≥ 0.98"))
    out.append(_row("shipped test split · dense only", shipped["dense_only"]))
    out.append(_row("shipped test split · BM25 only", shipped["bm25_only"]))
    if shipped.get("without_head"):
        out.append(_row("shipped test split · hybrid without the key head", shipped["without_head"]))
        out.append(_row("shipped test split · key head only", shipped["head_only"]))
    covid = r["covid_quebec_faq_validation"]
    out.append(_row("COVID FAQ validation · hybrid + train paraphrases as keys", covid["fused"], "R@1 ≥ 0.87"))
    out.append(_row("COVID FAQ validation · dense, train keys", covid["dense_only"]))
    out.append(_row("COVID FAQ validation · BM25, train keys", covid["bm25_only"]))
    out.append(_row("COVID FAQ validation · dense, FAQ only (naive)", covid["no_training_keys"]))
    stack = r["stackfaq"]
    out.append(_row("StackFAQ · hybrid, 2-fold tuned (A↔B)", stack["fused_2fold"], "R@1 ≥ 0.955"))
    out.append(_row("StackFAQ · hybrid, untuned defaults", stack["fused_untuned_defaults"]))
    out.append(_row("StackFAQ · dense only", stack["dense_only"]))
    out.append(_row("StackFAQ · BM25 only", stack["bm25_only"]))
    out += [
        "",
        f"Abstention on the shipped test split: out-of-scope questions answered "
        f"**{shipped['answered_out_of_scope']:.1%}** of {shipped['n_out_of_scope']} (target ≤ 5%), "
        f"in-scope questions refused **{shipped['refused_in_scope']:.1%}** (target ≤ 5%).",
        "",
    ]
    return out


def speed_table(s: dict[str, Any]) -> list[str]:
    lat = s["latency"]
    return [
        f"### Speed ({s['date']}, {s['machine']['cpus']} cores, embedder {s['embedder']}, {s['threads']} threads)",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| `ask` in-process p50 / p95 | {lat['ask']['p50_ms']:.2f} / {lat['ask']['p95_ms']:.2f} ms | |",
        f"| embedding call alone p50 / p95 | {lat['embedding_alone']['p50_ms']:.2f} / "
        f"{lat['embedding_alone']['p95_ms']:.2f} ms | |",
        f"| `ask` p50 ÷ embedding p50 | {lat['ask_over_embedding_p50']:.2f}× | ≤ 1.5× |",
        f"| index build, shipped knowledge | {s['index_build']['units']} units in {s['index_build']['seconds']} s "
        f"({s['index_build']['units_per_second']} units/s) | |",
        f"| cold start to first answer (`supportbot ask`, index built) | median {s['cold_start']['seconds_median']} s, "
        f"max {s['cold_start']['seconds_max']} s | ≤ 8 s |",
        f"| peak memory of that process | {s['cold_start']['peak_rss_mb']} MB | |",
        "",
    ]


def ann_table(a: dict[str, Any]) -> list[str]:
    out = _head(
        f"Exact vs approximate dense search ({a['date']})",
        ["vectors", "flat ms/query", "HNSW ms/query", "HNSW recall@10"],
    )
    out += [f"| {r['vectors']:,} | {r['flat_ms']} | {r['hnsw_ms']} | {r['hnsw_recall_at_10']} |" for r in a["sizes"]]
    out += ["", f"Suggested `ann_threshold`: {a['suggested_ann_threshold']} vectors.", ""]
    return out


def intents_table(r: dict[str, Any]) -> list[str]:
    out = _head(
        f"Intent classification ({r['date']}, frozen {r['embedder']}: every layer's mean + head)",
        ["data set", "accuracy", "macro-F1", "out-of-scope recall", "naive (embedding + LR)", "train s", "target"],
    )
    targets = {"banking77": "≥ 0.940", "hwu64": "≥ 0.930"}
    for name in ("banking77", "hwu64"):
        if name in r:
            d = r[name]
            h, n = d["head"], d["naive_logistic_regression"]
            out.append(
                f"| {name} test ({d['test_examples']}) | {h['accuracy']:.3f} | {h['macro_f1']:.3f} | – | "
                f"{n['accuracy']:.3f} | {d['train_seconds']} | {targets[name]} |"
            )
    if "clinc150" in r:
        d = r["clinc150"]
        h, n = d["head"], d["naive_logistic_regression"]
        out.append(
            f"| clinc150 test + oos_test, in-scope accuracy (threshold on val) | {h['in_scope_accuracy']:.3f} | "
            f"{h['macro_f1']:.3f} | {h['out_of_scope_recall']:.3f} | {n['in_scope_accuracy']:.3f} / "
            f"{n['out_of_scope_recall']:.3f} | {d['train_seconds']} | ≥ 0.965 / ≥ 0.75 |"
        )
        t = d["head_at_target_recall"]
        out.append(
            f"| clinc150, threshold chosen on val for ≥ 75% out-of-scope recall | {t['in_scope_accuracy']:.3f} | – | "
            f"{t['out_of_scope_recall']:.3f} | – | – | ≥ 0.965 / ≥ 0.75 |"
        )
    if "shipped" in r:
        d = r["shipped"]
        out.append(
            f"| shipped intents, {d['folds']}-fold CV ({d['examples']} examples, {d['intents']} intents) | "
            f"{d['accuracy']:.3f} | {d['macro_f1']:.3f} | {d['out_of_scope_recall']:.3f} | – | – | ≥ 0.95 |"
        )
    costs = [(name, r[name]["cost"]) for name in ("banking77", "hwu64", "clinc150") if name in r]
    if costs:
        name, c = costs[0]
        out += [
            "",
            f"Classification on top of the embedding ({name}, one message at a time): p50 "
            f"{c['classify_ms_p50']} ms, p95 {c['classify_ms_p95']} ms (target ≤ 2 ms); "
            f"the embedding itself p50 {c['embed_ms_p50']} ms.",
        ]
    if "note" in r:
        out += ["", r["note"][0].upper() + r["note"][1:] + "."]
    out.append("")
    return out


def conversation_table(c: dict[str, Any]) -> list[str]:
    return [
        f"### Stored conversation turns ({c['date']}, {c['database']}, {c['turns']} turns, "
        f"{c['turns_per_conversation']} a conversation)",
        "",
        "| measure | p50 | p95 | target |",
        "|---|---|---|---|",
        f"| `Assistant.reply` (state read, dialogue, turn written) | {c['stored']['p50_ms']} ms | "
        f"{c['stored']['p95_ms']} ms | |",
        f"| `Assistant.respond` on the same messages (nothing stored) | {c['in_memory']['p50_ms']} ms | "
        f"{c['in_memory']['p95_ms']} ms | |",
        f"| ratio of the medians | {c['ratio_p50']}× | | ≤ {c['target_ratio']}× |",
        "",
    ]


def _met(target: dict[str, Any]) -> str:
    return "met" if target["met"] else "**not met**"


def serving_table(s: dict[str, Any]) -> list[str]:
    o, ld, w = s["overhead"], s["load"], s["widget"]
    out = [
        f"### Serving ({s['date']}, {s['machine']['cpus']} cores, embedder {s['embedder']}, {s['threads']} threads)",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| `ask` in-process p50 / p95 | {o['in_process']['p50_ms']:.2f} / {o['in_process']['p95_ms']:.2f} ms "
        f"({o['in_process']['n']} messages) | |",
        f"| `POST /api/v1/chat` over loopback, one worker, p50 / p95 | {o['api']['p50_ms']:.2f} / "
        f"{o['api']['p95_ms']:.2f} ms | |",
        f"| API p50 − in-process p50 | {o['api_minus_in_process_p50_ms']:+.2f} ms | "
        f"≤ {o['target']['api_p50_max_over_in_process_ms']:g} ms ({_met(o['target'])}) |",
    ]
    for run in (ld, s.get("load_postgresql")):
        if run is None:
            continue
        lat = run["latency"]
        out += [
            f"| load: {run['clients']} clients, {run['workers']} workers, {run['seconds']} s ({run['database']}) | "
            f"{run['requests']} requests, {run['errors']} errors, {run['requests_per_second']} requests/s | "
            f"no errors ({_met(run['target'])}) |",
            f"| load latency p50 / p95 / p99 ({run['database']}) | {lat['p50_ms']:.1f} / {lat['p95_ms']:.1f} / "
            f"{lat['p99_ms']:.1f} ms | |",
        ]
    if w["present"]:
        minified = "not minified (rjsmin not installed)"
        if w["minified_bytes"] is not None:
            minified = f"{w['minified_bytes']:,} bytes minified ({w['minifier']})"
        out += [
            f"| widget `{w['path']}` | {w['raw_bytes']:,} bytes raw, {minified} | "
            f"< {w['size_target']['max_bytes']:,} bytes ({_met(w['size_target'])}) |",
            f"| widget URLs outside comments that load something | {len(w['loading_urls'])} "
            f"(of {len(w['urls_outside_comments'])} URLs) | none ({_met(w['no_outside_loads_target'])}) |",
        ]
    else:
        out.append(f"| widget `{w['path']}` | not present | < 30 KB |")
    out += [
        "",
        "The load clients run on the same machine as the server and take part of its cores.",
        "",
    ]
    return out


def customers_table(c: dict[str, Any]) -> list[str]:
    out = _head(
        f"Customer messages ({c['date']}; each message the first of a new conversation)",
        ["set · language", "in scope", "out of scope", "answer: right article", "in scope: right content",
         "out of scope refused", "route accuracy"],
    )  # fmt: skip
    for s in c["routed"]:
        out.append(
            f"| {s['set']} · {s['language']} | {s['n_in_scope']} | {s['n_out_of_scope']} | {s['answered_right']:.3f} | "
            f"{s['in_scope_right']:.3f} | {s['out_of_scope_refused']:.3f} | {s['route_accuracy']:.3f} |"
        )
    t = c["targets"]
    out += [
        f"| target (fresh) | | | ≥ {t['answered_right']} | | ≥ {t['out_of_scope_refused']} | ≥ {t['route_accuracy']} |",
        "",
        "![fresh and dev sets against the targets](results/customers.svg)",
        "",
        "| shipped test split | R@1 | R@5 | in-scope refused | out-of-scope answered | target |",
        "|---|---|---|---|---|---|",
    ]
    for language, s in c["shipped_test"].items():
        out.append(
            f"| {language} | {s['R@1']:.3f} | {s['R@5']:.3f} | {s['refused_in_scope']:.1%} | "
            f"{s['answered_out_of_scope']:.1%} | R@1 ≥ 0.92, refused ≤ 4% |"
        )
    sc = c["scenarios"]
    out += ["", f"Scripted conversations passed: **{sc['passed']} of {sc['total']}**.", ""]
    return out


def main() -> None:
    lines: list[str] = []
    tables = (
        ("retrieval", retrieval_table),
        ("speed", speed_table),
        ("ann", ann_table),
        ("intents", intents_table),
        ("conversation", conversation_table),
        ("serving", serving_table),
        ("customers", customers_table),
    )
    for name, table in tables:
        data = _load(name)
        if data is not None:
            lines += table(data)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{BEGIN}\n" + "\n".join(lines) + f"\n{END}{tail}", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

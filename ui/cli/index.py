"""``supportbot index build``: build and publish the index of a knowledge folder or an FAQ file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ui.cli.common import Subcommands


def register(sub: Subcommands) -> None:
    """Declare ``index build``."""
    idx = sub.add_parser("index", help="index commands")
    idx_sub = idx.add_subparsers(dest="index_command", required=True)
    build = idx_sub.add_parser("build", help="build the index of a knowledge folder or an FAQ file")
    build.add_argument("--kb", help="knowledge folder, or FAQ .jsonl/.csv (id, question, answer[, title, url])")
    build.add_argument("--out", help="the index folder to publish")
    build.set_defaults(fn=cmd_index_build)


def cmd_index_build(args: argparse.Namespace) -> int:
    """Index ``--kb`` (the configured knowledge by default) into ``--out`` (the configured index folder).

    Building the configured knowledge also makes its intent model ready, as ``serve`` would."""
    from bot import build_index, ensure_intent_model, load_documents, load_settings, make_embedder

    settings = load_settings()
    kb = Path(args.kb) if args.kb else settings.knowledge_dir
    out = Path(args.out) if args.out else settings.resolved_index_dir
    documents = load_documents(kb)
    embedder = make_embedder(settings.embedder, settings.model_cache_dir, settings.threads)
    retriever = build_index(documents, embedder, out, settings, source=str(kb))
    print(f"indexed {len(retriever.docs)} documents, {len(retriever.chunks)} chunks into {out}", file=sys.stderr)
    if kb == settings.knowledge_dir and settings.resolved_intents_file.is_file():
        ensure_intent_model(settings.resolved_intents_file, settings.intent_model_dir, embedder)
        print(f"intent model ready in {settings.intent_model_dir}", file=sys.stderr)
    return 0

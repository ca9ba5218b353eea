"""Heading-aware chunking of Markdown documents.

A document splits at its ``##``/``###`` headings; a section longer than ``max_words`` splits
further at sentence boundaries (nltk Punkt), so every chunk stays readable on its own.
Code blocks are never split and headings inside them are ignored.
"""

from __future__ import annotations

import re

from index.language import word_count
from index.text import sentences
from index.types import Chunk, Document

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")


def slugify(heading: str) -> str:
    """The anchor a Markdown renderer gives ``heading`` (lowercase words joined by hyphens)."""
    slug = re.sub(r"[^\w\s-]", "", heading.lower()).strip()
    return re.sub(r"[\s_-]+", "-", slug)


def _sections(markdown: str) -> list[tuple[str, str]]:
    """(heading, body) pairs; text before the first heading has the heading ''."""
    out: list[tuple[str, list[str]]] = [("", [])]
    in_code = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match and len(match.group(1)) >= 2:
            out.append((match.group(2).strip(), []))
        elif match:  # a level-1 heading titles the document; it is not a section
            continue
        else:
            out[-1][1].append(line)
    return [(h, "\n".join(body).strip()) for h, body in out if "\n".join(body).strip() or h]


def _units(text: str) -> list[tuple[str, str]]:
    """(piece, separator) pairs: list items and short lines whole, prose paragraphs by sentence."""
    out: list[tuple[str, str]] = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        if any(_LIST_ITEM.match(line) for line in lines):
            out += [(line, "\n") for line in lines]
        else:
            out += [(s, " ") for s in sentences(" ".join(lines))]
        if out:
            out[-1] = (out[-1][0], "\n\n")
    return out


def _split_long(text: str, max_words: int) -> list[str]:
    if word_count(text) <= max_words or "```" in text:
        return [text]
    pieces: list[str] = []
    current = ""
    count = 0
    for unit, separator in _units(text):
        n = word_count(unit)
        if current and count + n > max_words:
            pieces.append(current.strip())
            current, count = "", 0
        current += unit + separator
        count += n
    if current.strip():
        pieces.append(current.strip())
    return pieces


def chunk_document(doc: Document, max_words: int = 180) -> list[Chunk]:
    """Split ``doc`` into chunks at its headings, then at sentences when a section is long.

    Args:
        doc: the document; its ``text`` is Markdown.
        max_words: the longest chunk, in words, before a section is split at sentences.

    Returns:
        The chunks in document order; a document without text gives none.
    """
    if max_words < 20:
        raise ValueError(f"max_words must be at least 20. Currently, the max_words is {max_words}")
    chunks: list[Chunk] = []
    for heading, body in _sections(doc.text):
        if not body:
            continue
        anchor = slugify(heading) if heading else ""
        for piece in _split_long(body, max_words):
            chunks.append(Chunk(doc_id=doc.id, heading=heading, anchor=anchor, text=piece))
    return chunks

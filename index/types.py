"""Values the index takes in and gives back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One retrievable item: a help article or an imported FAQ entry.

    ``text`` is Markdown; ``keys`` are other phrasings of what the document answers
    (an article's ``questions:`` or an FAQ's question), indexed as extra keys of the document.
    """

    id: str
    title: str
    text: str
    url: str = ""
    keys: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("a document needs a non-empty id")
        if not self.text.strip() and not self.keys:
            raise ValueError(f"document {self.id!r} has neither text nor keys")


@dataclass(frozen=True)
class Chunk:
    """A heading-delimited piece of a document, small enough to show on its own."""

    doc_id: str
    heading: str
    anchor: str
    text: str

    def embed_text(self, title: str) -> str:
        """The text given to the encoder: title and heading give the section its context."""
        head = title if not self.heading or self.heading == title else f"{title}: {self.heading}"
        return f"{head}. {self.text}"


@dataclass(frozen=True)
class Hit:
    """A document the retriever found, with its best section and the scores that placed it.

    ``score`` is the fused score, ``dense`` the best cosine among the document's keys and
    chunks, ``sparse`` its BM25 score over the query's best.
    """

    doc_id: str
    title: str
    url: str
    score: float
    dense: float
    sparse: float
    chunk: Chunk | None = None

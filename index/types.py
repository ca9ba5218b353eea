"""Values the index takes in and gives back (frozen; this module imports nothing heavy)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Document:
    """One retrievable item: a help article or an imported FAQ entry.

    ``text`` is Markdown; ``keys`` are other phrasings of what the document answers
    (an article's ``questions:`` or an FAQ's question), indexed as extra keys of the document.
    ``lang`` is the language of ``text`` (``en`` or ``zh``): a Chinese reply quoting an English
    text says so.
    """

    id: str
    title: str
    text: str
    url: str = ""
    keys: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lang: str = "en"

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("a document needs a non-empty id")
        if not self.text.strip() and not self.keys:
            raise ValueError(f"document {self.id!r} has neither text nor keys")


@dataclass(frozen=True)
class DocMeta:
    """What the index keeps of a document besides its chunks: enough to name and link it, and
    the language its text is in."""

    id: str
    title: str
    url: str
    lang: str = "en"


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
    lang: str = "en"  # the language of the document's text


@dataclass(frozen=True)
class RetrieverWeights:
    """How ``Retriever.search`` adds up a document's signals.

    Its score is ``fuse(cosine + centroid * key-centroid cosine, BM25, fusion) + head * key head``
    (``index.fusion.fuse``): ``fusion`` is the BM25 weight (0 is dense alone, infinity BM25
    alone), ``centroid`` the weight of the cosine to the centroid of the document's keys, and
    ``head`` the weight of the key head's score (``index.linear_head.KeyHead``). Tuning
    (``index.tuning.tune``) chooses them; an index folder records them in its manifest.
    """

    fusion: float = 0.3
    centroid: float = 0.0
    head: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if math.isnan(value) or value < 0:
                raise ValueError(f"{f.name} weight must be non-negative. Currently, the {f.name} weight is {value}")

    def without_head(self) -> RetrieverWeights:
        """The same weights with the key head left out (to measure what the head adds)."""
        return replace(self, head=0.0)

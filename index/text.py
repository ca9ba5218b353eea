"""Tokenising and stemming for BM25 and chunking, with nltk and no downloaded data."""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import PunktSentenceTokenizer, RegexpTokenizer

# Words, numbers and codes such as "429", "mk_live_", "gpt-4"-like ids, kept whole.
_TOKENIZER = RegexpTokenizer(r"[A-Za-z0-9]+(?:[_\-.][A-Za-z0-9]+)*")
_STEMMER = SnowballStemmer("english")
_SENTENCES = PunktSentenceTokenizer()

_STOPWORD_TEXT = """
a an and are as at be but by can do does for from how i if in into is it its me my
of on or our so that the their them then there these they this to was we what when
where which who why will with you your yours
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


def stems(text: str, drop_stopwords: bool = True) -> list[str]:
    """Lower-cased Snowball stems of ``text``; compound codes also yield their parts."""
    return list(_stems(text, drop_stopwords))


@lru_cache(maxsize=4096)
def _stems(text: str, drop_stopwords: bool) -> tuple[str, ...]:
    # Cached per text: one message is stemmed by BM25, by the chunk choice and by the handlers.
    out: list[str] = []
    for token in _TOKENIZER.tokenize(text.lower()):
        parts = [token]
        if any(c in token for c in "_-."):
            parts += [p for p in re.split(r"[_\-.]", token) if p]
        for p in parts:
            if drop_stopwords and p in STOPWORDS:
                continue
            out.append(_stem(p))
    return tuple(out)


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` by nltk's untrained Punkt tokenizer."""
    return [s.strip() for s in _SENTENCES.tokenize(text) if s.strip()]

"""Tokenising and stemming for BM25 and chunking, with nltk and jieba and no downloaded data.

English words are Snowball stems; runs of Chinese characters are cut into words by jieba (its
dictionary ships in the package), with the product's own terms added (``add_words``), so that
BM25 scores Chinese text instead of silently scoring nothing. A message mixing both ("一直报 429
怎么办") yields both kinds of token."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import PunktSentenceTokenizer, RegexpTokenizer

from index.language import HAN_CHARS, HAN_RUN

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
# Chinese function words and chat fillers that say nothing about the topic.
_ZH_STOPWORD_TEXT = """
的 了 吗 呢 吧 啊 呀 哦 嗯 么 是 在 和 与 或 就 都 也 还 又 很 太 把 被 给 让 对 从 到 为 以 及 而 并 之
我 你 他 她 它 我们 你们 他们 咱们 这 那 这个 那个 这些 那些 哪 哪个 什么 怎么 怎样 怎么办 如何 为什么
请问 请 一下 一个 有 没有 能 能不能 可以 可不可以 要 想 会 吗 啥 咋 个 些 下 上 中 里 吧 着 过 得 地
"""
ZH_STOPWORDS = frozenset(_ZH_STOPWORD_TEXT.split())
_CHINESE_STOP = re.compile(r"(?<=[。！？])")

_jieba_lock = threading.Lock()
_jieba: Any = None
_extra_words: set[str] = set()  # kept whole by jieba: the plan names below, and the glossary (add_words)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


# What Chinese customers call the plans, which the Chinese articles name in English (glossary).
ZH_PLAN_NAMES = {
    "企业版": "enterprise", "企业套餐": "enterprise", "企业级": "enterprise", "增长版": "growth", "成长版": "growth",
    "入门版": "starter", "基础版": "starter", "免费版": "free", "免费套餐": "free",
}  # fmt: skip
_extra_words.update(ZH_PLAN_NAMES)


def stems(text: str, drop_stopwords: bool = True) -> list[str]:
    """Lower-cased Snowball stems of ``text``; compound codes also yield their parts."""
    return list(_stems(text, drop_stopwords))


@lru_cache(maxsize=4096)
def _stems(text: str, drop_stopwords: bool) -> tuple[str, ...]:
    # Cached per text: one message is stemmed by BM25, by the chunk choice and by the handlers.
    out: list[str] = []
    if HAN_RUN.search(text):
        for w in chinese_words(text):
            if not (drop_stopwords and w in ZH_STOPWORDS):
                out.append(w)
                if w in ZH_PLAN_NAMES:  # the articles keep plan names in English: "企业版" finds "Enterprise"
                    out.append(_stem(ZH_PLAN_NAMES[w]))
        text = HAN_RUN.sub(" ", text)
    for token in _TOKENIZER.tokenize(text.lower()):
        parts = [token]
        if any(c in token for c in "_-."):
            parts += [p for p in re.split(r"[_\-.]", token) if p]
        for p in parts:
            if drop_stopwords and p in STOPWORDS:
                continue
            out.append(_stem(p))
    return tuple(out)


def chinese_words(text: str) -> list[str]:
    """The words jieba finds in the Chinese runs of ``text`` (search mode: long words and the
    shorter words inside them), in order."""
    cut = _chinese_tokenizer().lcut_for_search
    return [w for run in HAN_RUN.findall(text) for w in cut(run) if w.strip()]


_FEATURE_TOKEN = re.compile(rf"[{HAN_CHARS}]+|\b\w\w+\b")


def feature_words(text: str) -> list[str]:
    """The words of ``text`` for the TF-IDF views of the linear heads, in order: what
    scikit-learn's default pattern finds (words of two or more letters), with runs of Chinese
    characters cut into words by jieba instead of kept as one token. Identical to the default
    on text with no Chinese."""
    out: list[str] = []
    for match in _FEATURE_TOKEN.finditer(text):
        token = match.group()
        if HAN_RUN.fullmatch(token):
            out += [w for w in _chinese_tokenizer().lcut(token) if w.strip()]
        else:
            out.append(token)
    return out


def add_words(words: Iterable[str]) -> None:
    """Teach jieba the product's own terms (glossary terms, model names): each is kept whole.
    Only terms with Chinese characters and no spaces matter to it; others are ignored."""
    new = {w.strip() for w in words if HAN_RUN.search(w) and " " not in w.strip()} - _extra_words
    if not new:
        return
    with _jieba_lock:
        _extra_words.update(new)
        if _jieba is not None:
            for w in sorted(new):
                _jieba.add_word(w)
    _stems.cache_clear()


def _chinese_tokenizer() -> Any:
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" lines on the console
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for w in sorted(_extra_words):
                tokenizer.add_word(w)
            _jieba = tokenizer
        return _jieba


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` by nltk's untrained Punkt tokenizer, Chinese ones split after
    their full stop, question or exclamation mark (Punkt knows only Latin punctuation)."""
    out = []
    for s in _SENTENCES.tokenize(text):
        out += _CHINESE_STOP.split(s) if HAN_RUN.search(s) else [s]
    return [s.strip() for s in out if s.strip()]

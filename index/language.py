"""Which language a customer wrote in: English, Chinese, another language, or too little to tell.

Chinese developers mix English into Chinese ("API key 在哪里看", "一直报 429 怎么办", an English
error body pasted into a Chinese question), so counting words would call many Chinese messages
English. The script decides first: Han characters with no Japanese kana make a message Chinese,
however much English surrounds them; kana, Hangul, Cyrillic, Arabic and other non-Latin scripts
make it another language. Latin-script text is English unless the maintained detector lingua
(restricted to the languages customers are likely to write) is confident it is another language;
short fragments ("ok", "429", "mer-chat-s") carry no language at all, and the conversation's
language stands. The accuracy of this rule on the evaluation sets is in benchmarks/README.md.
"""

from __future__ import annotations

import re
import threading
from enum import StrEnum
from functools import lru_cache
from typing import Any


class Language(StrEnum):
    """The languages supportbot answers in, plus the two readings that fall back."""

    EN = "en"
    ZH = "zh"
    OTHER = "other"  # answered in English, with a sentence saying so
    UNKNOWN = "unknown"  # too little text to tell: the conversation's language stands


SUPPORTED = (Language.EN, Language.ZH)

# The Han characters (CJK unified ideographs, extension A, compatibility ideographs), as the
# body of a regular-expression character class; every Chinese-aware pattern builds on it.
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN_CHARS}]+")
# Word edges for mixed text: a Han character counts as no part of a Latin word, so "报429" and
# "用OCR识别" hold the words "429" and "OCR" (``\b`` alone sees no edge there).
WORD_START = rf"(?<![^\W{HAN_CHARS}])"
WORD_END = rf"(?![^\W{HAN_CHARS}])"
_HAN = re.compile(f"[{HAN_CHARS}]")
_KANA = re.compile(r"[\u3040-\u30ff]")
# Hangul, Cyrillic, Arabic, Hebrew, Thai, Devanagari.
_OTHER_SCRIPT = re.compile(
    r"[\uac00-\ud7af\u1100-\u11ff\u0400-\u04ff\u0600-\u06ff\u0590-\u05ff\u0e00-\u0e7f\u0900-\u097f]"
)
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
# Lingua must be this sure, on a message of at least this many words, before Latin-script text
# is called a language other than English; below it the message is read as English.
OTHER_CONFIDENCE = 0.6
OTHER_MIN_WORDS = 3
# Words that make a message English without asking lingua (no other language lingua knows
# writes them as words): most English messages have one, and skip the detector's cost.
ENGLISH_MARKERS = frozenset(
    """the my how what why when where which who does did can could should would i we our your you it's
    this that with for of and to from have has not are i'm don't can't doesn't isn't get there their
    they will just on at by be or if so any need want please is was were been an error errors
    request requests access denied invalid failed human agent pls thanks""".split()  # noqa: SIM905
)
# Pasted error bodies, headers and code are English whatever lingua makes of their words.
_TECHNICAL = re.compile(r"[{}<>=]|https?://|\b\d{3}\b")
# The Latin-script languages customers are likely to write besides English (each costs about
# 25 MB of lingua's models, loaded once, in the background, by ``warm_up``).
_LINGUA_LANGUAGES = "ENGLISH FRENCH GERMAN SPANISH ITALIAN PORTUGUESE DUTCH"
_lock = threading.Lock()
_detector: Any = None


def han_count(text: str) -> int:
    """How many Han characters ``text`` holds."""
    return len(_HAN.findall(text))


def word_count(text: str) -> int:
    """How many words ``text`` holds, for length limits: whitespace-separated words, with two
    Chinese characters counted as one word (Chinese puts no spaces between words, and a word
    is one to three characters)."""
    han = sum(len(run) for run in HAN_RUN.findall(text))
    others = [t for t in HAN_RUN.sub(" ", text).split() if any(c.isalnum() for c in t)]  # punctuation is no word
    return len(others) + (han + 1) // 2


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


@lru_cache(maxsize=4096)
def detect(text: str) -> Language:
    """The language of one message (see the module docstring for the rule)."""
    if _KANA.search(text) or _OTHER_SCRIPT.search(text):
        return Language.OTHER
    if _HAN.search(text):
        return Language.ZH
    words = _LATIN_WORD.findall(text)
    if not words:
        return Language.UNKNOWN
    if len(words) < OTHER_MIN_WORDS:
        return Language.EN if any(len(w) > 3 for w in words) or len(words) > 1 else Language.UNKNOWN
    if not ENGLISH_MARKERS.isdisjoint(w.lower() for w in words) or _TECHNICAL.search(text):
        return Language.EN
    best = _lingua().compute_language_confidence_values(text)[0]
    if best.language.name != "ENGLISH" and best.value >= OTHER_CONFIDENCE:
        return Language.OTHER
    return Language.EN


def reply_language(text: str, previous: str | None) -> Language:
    """The language to answer ``text`` in: its own when it has one, else the conversation's
    (``previous``), else English. Another language is answered in English."""
    found = detect(text)
    if found is Language.UNKNOWN:
        return Language(previous) if previous in SUPPORTED else Language.EN
    return found


def warm_up(background: bool = True) -> None:
    """Load the detector's models now (seconds), by default in a background thread, rather than
    on the first message that needs them."""

    def load() -> None:
        _lingua().compute_language_confidence_values("warm up the language models")

    if background:
        threading.Thread(target=load, name="lingua-warm-up", daemon=True).start()
    else:
        load()


def _lingua() -> Any:
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language as Lingua
            from lingua import LanguageDetectorBuilder

            languages = [getattr(Lingua, name) for name in _LINGUA_LANGUAGES.split()]
            # High-accuracy mode: the low-accuracy one (trigrams only) loads faster but calls
            # short English ("no such model") German or Dutch with confidence.
            _detector = LanguageDetectorBuilder.from_languages(*languages).build()
        return _detector

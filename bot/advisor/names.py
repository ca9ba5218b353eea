"""Model names in a customer's words, tolerant of how they are written ("chat medium", "Chat-M",
"mer chat m", "the vision edge one", "mer-chat-s支持中文吗"), and the model a short question is about.

Han characters are word characters to ``re``: a name written against Chinese ("用chat-s") still
counts as a whole word, so the name patterns bound it with ``_START`` and ``_END`` instead of ``\\b``."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from bot.advisor.vocabulary import ASPECTS, REFERS, SECOND, THIRD
from index.language import WORD_END, WORD_START
from knowledge.catalog import Model

_PART_ALIASES = {
    "s": "s|small", "m": "m|medium|mid", "l": "l|large|big", "zh": "zh|chinese|中文版?", "multi": "multi|multilingual",
    "embed": "embed|embeddings?", "summarize": "summari[sz]e|summari[sz]er|summary", "lite": "lite|light",
    "translate": "translate|translator|translation", "classify": "classify|classifier|classification",
}  # fmt: skip
_REVERSIBLE = frozenset({"edge"})  # "edge speech"
_SIZE_WORDS = {"small": "s", "medium": "m", "large": "l", "chinese": "zh", "multilingual": "multi"}
# A word boundary where a Han character counts as none of the word (for text without one, ``\b``).
_START, _END = WORD_START, WORD_END


def _part(word: str) -> str:
    if word.isdigit():
        return rf"v?{word}"
    return f"(?:{_PART_ALIASES.get(word, re.escape(word))})"


@functools.lru_cache(maxsize=512)
def _name_patterns(m: Model) -> list[tuple[re.Pattern[str], bool]]:
    """(pattern, strict) for a model; a strict pattern needs "mer"/"Meridian" before it or "one" after it,
    because single words ("speech", "code") and "embed 3 million" are ordinary language too."""
    id_parts = m.id.split("-")
    id_parts = id_parts[1:] if id_parts[0] == "mer" and len(id_parts) > 1 else id_parts
    name_parts = [_SIZE_WORDS.get(w, w) for w in re.findall(r"[a-z0-9]+", m.name.lower()) if w != "meridian"]
    out = []
    for parts in {tuple(id_parts), tuple(name_parts)}:
        if not parts:
            continue
        orders = [parts] + ([parts[::-1]] if len(parts) == 2 and parts[1] in _REVERSIBLE else [])
        for order in orders:
            body = r"[\s_-]+".join(_part(p) for p in order)
            out.append((re.compile(rf"{_START}{body}{_END}", re.I), len(order) == 1))
    return out


_PREFIX = re.compile(rf"(?:{_START}mer|{_START}meridian)[\s_-]+$", re.I)
_ONE = re.compile(rf"^\s+one{_END}", re.I)
# After "embed 3": "embed 3 million documents" ("embed 3 万条文档") is a volume, "Embed 3 vs Lite" a name.
_NOT_A_NAME = re.compile(
    rf"^[\s,.]*(?:(?:k|m|mm|bn|thousand|million|billion|[a-z]{{3,}}s){_END}|十万|百万|千万|万|千|亿|条|个|份|篇|张)",
    re.I,
)


def name_matches(text: str, models: Sequence[Model]) -> list[tuple[str, int, int]]:
    """(model id, start, end) of every model named in ``text``, longest names winning overlaps, in text order."""
    hits = []
    for m in models:
        for pattern, strict in _name_patterns(m):
            for match in pattern.finditer(text):
                start = match.start()
                prefix = _PREFIX.search(text[: match.start()])
                after = text[match.end() :]
                if prefix:
                    start = prefix.start()
                else:
                    bare_word = strict and not _ONE.match(after)
                    if bare_word or (match.group()[-1].isdigit() and _NOT_A_NAME.match(after)):
                        continue
                hits.append((m.id, start, match.end()))
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1])))
    kept: list[tuple[str, int, int]] = []
    for hit in hits:
        if not any(k[1] <= hit[1] and hit[2] <= k[2] for k in kept):
            kept = [k for k in kept if not (hit[1] <= k[1] and k[2] <= hit[2])] + [hit]
    return sorted(kept, key=lambda h: h[1])


def resolve_models(text: str, models: Sequence[Model]) -> list[str]:
    """Ids of the models named in ``text``, in order, tolerant of spelling: "chat medium", "Chat-M",
    "mer chat m", "embed lite", "the vision edge one", "Meridian Speech", "mer-embed-3"."""
    return list(dict.fromkeys(model_id for model_id, _, _ in name_matches(text, models)))


def model_in_question(text: str, models: Sequence[Model], last_models: Sequence[str]) -> Model | None:
    """The model a short question is about: one it names, or the one last recommended when it
    refers back ("how much is that one?"; "the second one" is the second recommended)."""
    by_id = {m.id: m for m in models}
    named = resolve_models(text, models)
    if named:
        return by_id.get(named[0])
    if last_models and REFERS.search(text):
        index = 1 if SECOND.search(text) else 2 if THIRD.search(text) else 0
        return by_id.get(last_models[min(index, len(last_models) - 1)])
    return None


def asks_a_fact(text: str) -> bool:
    """Whether ``text`` asks for one of the catalog facts ``model_fact_reply`` answers."""
    return any(pattern.search(text) for pattern in ASPECTS.values())

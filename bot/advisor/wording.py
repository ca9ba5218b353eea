"""The advisor's words: the keys of ``assistant.yaml`` it uses (checked when the copy loads) and
the names it gives tasks, languages, hosting kinds and regions in its sentences.

Every function here takes the loaded ``Copy``; nothing is read at import time.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.advisor.vocabulary import LANGUAGES
from index.language import has_han
from knowledge.catalog import HOSTING_KINDS, REGIONS, TASKS
from knowledge.copy import Copy

_CODES = tuple(dict.fromkeys(LANGUAGES.values()))

# Every key of assistant.yaml the advisor asks for; ``load_copy(path, required=ADVISOR_KEYS)``
# stops the start-up with the file and the key when one is missing.
ADVISOR_KEYS: tuple[str, ...] = tuple(
    f"advisor.{key}"
    for key in (
        "questions.task.ask", "questions.task.options", "questions.languages.ask", "questions.hosting.ask",
        *(f"questions.hosting.{kind}" for kind in (*HOSTING_KINDS, "any")),
        "questions.priority.ask", "questions.priority.options",
        *(f"tasks.{task}" for task in sorted(TASKS)),
        *(f"languages.{code}" for code in _CODES),
        *(f"hosting.{use}.{kind}" for use in ("where", "short") for kind in HOSTING_KINDS),
        "hosting.nowhere", "hosting.none_left",
        *(f"regions.{region}" for region in REGIONS), "regions.self_hosted",
        "words.and", "words.or",
        *(f"reasons.{k}" for k in ("built_for", "does", "supports", "runs", "runs_inside", "region", "own_hardware",
                                   "fine_tunable", "latency_under", "latency", "cheapest", "context")),
        "soft_misses.latency", "soft_misses.price", "soft_misses.context",
        *(f"violations.{k}" for k in ("task", "languages", "hosting", "region", "fine_tuning", "latency")),
        "requirements.region", "requirements.fine_tuning", "requirements.latency", "requirements.none",
        *(f"advice.{k}" for k in ("best_fit", "assumed", "nothing_fits", "nothing_fits_short", "recommendation",
                                  "closest",
                                  "close_but")),
        "quick_replies.more", "quick_replies.after_advice", "quick_replies.compare",
        *(f"compare.rows.{k}" for k in ("tasks", "languages", "hosting", "latency", "price", "context",
                                        "fine_tuning")),
        *(f"compare.cells.{k}" for k in ("languages", "languages_more", "latency", "context", "no_context", "yes",
                                         "no")),
        *(f"compare.advantages.{k}" for k in ("speed", "price", "context", "languages", "hosting", "fine_tuning",
                                              "tasks")),
        "compare.verdict.beats", "compare.verdict.choose", "compare.verdict.units",
        *(f"model_facts.{k}" for k in ("answer", "more", "price", "input_price", "latency", "languages", "context",
                                       "hosting",
                                       "fine_tunable", "not_fine_tunable", "no_limit")),
        *(f"model_facts.kinds.{kind}" for kind in HOSTING_KINDS),
        *(f"which_one.{k}" for k in ("price", "latency", "context", "languages", "detail", "units_differ")),
        "which_one.values.latency", "which_one.values.context", "which_one.values.languages",
    )
)  # fmt: skip


def say(copy: Copy, key: str, **fields: object) -> str:
    """The advisor's sentence ``advisor.<key>`` with its fields filled in."""
    return copy.say(f"advisor.{key}", **fields)


def options(copy: Copy, key: str) -> tuple[str, ...]:
    """The advisor's list ``advisor.<key>`` (quick replies)."""
    return copy.options(f"advisor.{key}")


def _name(copy: Copy, key: str, fallback: str) -> str:
    # Names outside the catalog's vocabulary (an old stored fact, a new catalog value) show as they are.
    return copy.say(f"advisor.{key}") if copy.has(f"advisor.{key}") else fallback


def task_name(copy: Copy, task: str) -> str:
    """A catalog task as customers read it ("sentiment analysis")."""
    return _name(copy, f"tasks.{task}", task)


def language_name(copy: Copy, code: str) -> str:
    """An ISO 639-1 code as customers read it ("German")."""
    return _name(copy, f"languages.{code}", code)


def hosting_short(copy: Copy, kind: str) -> str:
    """A hosting kind in a list or a table cell ("on-premises")."""
    return _name(copy, f"hosting.short.{kind}", kind)


def region_city(copy: Copy, region: str) -> str:
    """Where a catalog region is ("Frankfurt")."""
    return _name(copy, f"regions.{region}", region)


def _spaced(word: str) -> str:
    """A conjunction as it stands between two names: " and " in English, "和" in Chinese (no spaces)."""
    return word if has_han(word) else f" {word} "


def languages_and(copy: Copy, codes: Iterable[str]) -> str:
    """Language names, by code, joined with "and": "French", "French and German", "Chinese, French and German";
    in a Chinese copy "德语、法语和西班牙语"."""
    names = [language_name(copy, c) for c in sorted(codes)]
    if len(names) == 1:
        return names[0]
    word = say(copy, "words.and")
    return ("、" if has_han(word) else ", ").join(names[:-1]) + _spaced(word) + names[-1]


def hosting_where(copy: Copy, kind: str) -> str:
    """A hosting kind in a sentence ("runs in the Meridian cloud")."""
    return say(copy, f"hosting.where.{kind}")


def joined_or(copy: Copy, phrases: Iterable[str]) -> str:
    """``phrases`` joined with "or" ("或" with no spaces in a Chinese copy)."""
    return _spaced(say(copy, "words.or")).join(phrases)


def hosting_or(copy: Copy, kinds: Iterable[str]) -> str:
    """The hosting kinds among ``kinds`` in a sentence, in catalog order ("on-premises or on edge
    devices"); empty when there are none."""
    wanted = set(kinds)
    return joined_or(copy, (hosting_where(copy, k) for k in HOSTING_KINDS if k in wanted))

"""The questions the advisor still has for the customer: only what is missing and would change
the recommendation, at most ``MAX_QUESTIONS`` per conversation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.advisor.constraints import violated
from bot.advisor.facts import Facts
from bot.advisor.vocabulary import POPULAR_LANGUAGES
from bot.advisor.wording import language_name, options, say
from knowledge.catalog import HOSTING_KINDS, Model
from knowledge.copy import Copy

MAX_QUESTIONS = 3


@dataclass(frozen=True)
class Question:
    """A question for the customer; ``slot`` is what the answer fills (pass it back as ``answering``)."""

    slot: str
    text: str
    quick_replies: tuple[str, ...]


def task_question(copy: Copy) -> Question:
    """The first question, what the model should do, with a quick reply per kind of task."""
    return Question("task", say(copy, "questions.task.ask"), options(copy, "questions.task.options"))


def next_question(facts: Facts, asked: int, models: Sequence[Model], copy: Copy) -> Question | None:
    """The most useful question still open, or None when enough is known or ``MAX_QUESTIONS`` were asked.

    Asks only what is missing and changes the outcome: the task first; the language only if the
    remaining candidates differ by language; hosting only if they differ by hosting; then what
    matters most (speed, cost, quality) if several candidates remain and no latency or budget was given.

    Args:
        facts: what is known so far.
        asked: how many advisor questions this conversation has asked already.
        models: the catalog.
        copy: the assistant's sentences (the questions and their quick replies).
    """
    if asked >= MAX_QUESTIONS:
        return None
    if facts.task is None and "task" not in facts.settled:
        return task_question(copy)
    candidates = [m for m in models if not violated(m, facts)]
    if len(candidates) <= 1:
        return None
    if not facts.languages and "languages" not in facts.settled:
        common = frozenset.intersection(*(frozenset(m.languages) for m in candidates))
        differing = [c for c in POPULAR_LANGUAGES if c not in common and any(c in m.languages for m in candidates)]
        if differing:
            names = [language_name(copy, c) for c in (["en"] if "en" in common else []) + differing[:5]]
            return Question("languages", say(copy, "questions.languages.ask"), tuple(names))
    if facts.allowed_hosting is None and "hosting" not in facts.settled:
        offered = {kind for m in candidates for kind in m.hosting}
        if any(set(m.hosting) != offered for m in candidates):
            kinds = [k for k in HOSTING_KINDS if k in offered]
            replies = tuple(say(copy, f"questions.hosting.{k}") for k in (*kinds, "any"))
            return Question("hosting", say(copy, "questions.hosting.ask"), replies)
    said = facts.max_latency_ms is not None or facts.budget or facts.max_price is not None or facts.priorities
    if not said and "priority" not in facts.settled:
        return Question("priority", say(copy, "questions.priority.ask"), options(copy, "questions.priority.options"))
    return None

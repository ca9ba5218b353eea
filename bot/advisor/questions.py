"""The questions the advisor still has for the customer: only what is missing and would change
the recommendation, at most ``MAX_QUESTIONS`` per conversation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.advisor.constraints import violated
from bot.advisor.facts import Facts
from bot.advisor.vocabulary import POPULAR_LANGUAGES
from bot.advisor.wording import language_name, options, say
from knowledge.catalog import Model
from knowledge.copy import Copy

MAX_QUESTIONS = 3
CHANGE_HOSTING = ("on_prem", "vpc", "edge")  # the hosting kinds offered instead of the cloud, most asked first
SHORTLIST = 3  # hard constraints that leave this many models or fewer: recommend them, ask nothing more


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
    """The question still worth asking, or None when the advisor should recommend now.

    Only what would change the answer is asked: the task first (nothing can be recommended
    without it); then what matters most (speed, cost, quality), when the hard constraints leave
    more than ``SHORTLIST`` models and the customer named no priority, latency or budget.
    Language and hosting are never asked: the recommendation assumes them (``assume``) and
    offers to change them with one tap. At most ``MAX_QUESTIONS`` per conversation.

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
    if len([m for m in models if not violated(m, facts)]) <= SHORTLIST:
        return None
    said = facts.max_latency_ms is not None or facts.budget or facts.max_price is not None or facts.priorities
    if not said and "priority" not in facts.settled:
        return Question("priority", say(copy, "questions.priority.ask"), options(copy, "questions.priority.options"))
    return None


@dataclass(frozen=True)
class Assumption:
    """A fact the advisor assumed because the customer did not say it: the facts with it, how the
    reply names it ("English"), and the quick replies that change it ("German", "On-premises")."""

    facts: Facts
    said: tuple[str, ...]
    changes: tuple[str, ...]


def assume(facts: Facts, language: str, models: Sequence[Model], copy: Copy) -> Assumption:
    """``facts`` with the defaults a recommendation assumes where the customer said nothing: the
    conversation's ``language`` and Meridian's cloud. A default that would leave no model fitting
    is not assumed. The changes offered are the next popular language and the
    other hosting kinds among the models that do the task."""
    doers = [m for m in models if facts.task is None or facts.task in m.tasks]
    said: list[str] = []
    changes: list[str] = []
    if not facts.languages and "languages" not in facts.settled:
        guess = replace(facts, languages=frozenset({language}))
        if any(not violated(m, guess) for m in models):
            facts = guess
            said.append(language_name(copy, language))
            others = [c for c in POPULAR_LANGUAGES if c != language and any(c in m.languages for m in doers)]
            changes.extend(language_name(copy, c) for c in others[:1])
    if facts.allowed_hosting is None and "hosting" not in facts.settled:
        guess = replace(facts, hosting="cloud")
        if any(not violated(m, guess) for m in models):
            facts = guess
            said.append(say(copy, "questions.hosting.cloud"))
            offered = {kind for m in doers for kind in m.hosting}
            kinds = [k for k in CHANGE_HOSTING if k in offered]
            changes.extend(say(copy, f"questions.hosting.{k}") for k in kinds)
    return Assumption(facts, tuple(said), tuple(changes))

"""What the advisor asks: only what is missing and would change the answer, at most three times."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.advisor import MAX_QUESTIONS, Facts, extract_facts, next_question, task_question
from bot.advisor.questions import assume
from knowledge.catalog import Model
from knowledge.copy import Copy
from tests.bot.advisor.helpers import model

pytestmark = pytest.mark.unit


def test_the_first_question_is_the_task_with_quick_replies(catalog: list[Model], copy: Copy) -> None:
    question = next_question(Facts(), 0, catalog, copy)

    assert question == task_question(copy)
    assert {"Chat assistant", "Classify text", "Embeddings / search", "Translate"} <= set(question.quick_replies)
    assert extract_facts(question.quick_replies[0]).task == "chat"


def test_every_task_quick_reply_is_understood(catalog: list[Model], copy: Copy) -> None:
    tasks = [extract_facts(reply).task for reply in task_question(copy).quick_replies]

    assert None not in tasks and len(set(tasks)) == len(tasks)


def test_questions_stop_after_three_and_never_ask_what_is_known(catalog: list[Model], copy: Copy) -> None:
    for opening in ("I need a model", "I need a chatbot", "we want to classify tickets", "speech to text"):
        facts, asked, slots = extract_facts(opening, models=catalog), 0, []
        while (question := next_question(facts, asked, catalog, copy)) is not None:
            assert question.slot not in slots, opening
            assert question.quick_replies
            if question.slot == "task":
                assert facts.task is None
            if question.slot == "languages":
                assert not facts.languages
            if question.slot == "hosting":
                assert facts.allowed_hosting is None
            slots.append(question.slot)
            asked += 1
            facts = extract_facts(question.quick_replies[0], facts, models=catalog, answering=question.slot)
        assert asked <= MAX_QUESTIONS, opening
    assert next_question(Facts(), MAX_QUESTIONS, catalog, copy) is None


def test_three_candidates_or_fewer_are_recommended_without_a_question(catalog: list[Model], copy: Copy) -> None:
    few = [model("a", languages=("en", "de")), model("b", languages=("en",)), model("c", languages=("fr",))]
    many = [*few, model("d", languages=("en",))]

    assert next_question(Facts(task="chat"), 0, few, copy) is None
    assert next_question(Facts(task="chat"), 0, many, copy).slot == "priority"  # type: ignore[union-attr]
    assert next_question(Facts(task="text_to_speech"), 0, catalog, copy) is None  # one candidate: nothing to ask


def test_language_and_hosting_are_assumed_not_asked(catalog: list[Model], copy: Copy) -> None:
    facts = Facts(task="chat")
    assert next_question(facts, 0, catalog, copy).slot == "priority"  # type: ignore[union-attr]

    assumed = assume(facts, "en", catalog, copy)

    assert (assumed.facts.languages, assumed.facts.hosting) == ({"en"}, "cloud")
    assert assumed.said == ("English", "Meridian cloud")
    assert "On-premises" in assumed.changes and "German" in assumed.changes


def test_an_assumption_that_would_leave_nothing_is_not_made(catalog: list[Model], copy: Copy) -> None:
    edge_only = Facts(task="translation", hosting="edge")

    assumed = assume(edge_only, "en", catalog, copy)

    assert assumed.facts.hosting == "edge" and assumed.said == ("English",)


def test_no_preference_settles_the_question_it_answers(catalog: list[Model], copy: Copy) -> None:
    facts = Facts(task="chat", languages=frozenset({"en"}))
    assert next_question(facts, 1, catalog, copy).slot == "priority"  # type: ignore[union-attr]

    settled = extract_facts("no preference", facts, answering="priority")

    assert next_question(settled, 2, catalog, copy) is None
    answered = extract_facts("Cheapest", facts, answering="priority")
    assert next_question(answered, 2, catalog, copy) is None


def test_a_known_latency_or_budget_skips_the_priority_question(catalog: list[Model], copy: Copy) -> None:
    facts = Facts(task="chat", languages=frozenset({"en"}), hosting="cloud")

    assert next_question(facts, 0, catalog, copy).slot == "priority"  # type: ignore[union-attr]
    assert next_question(replace(facts, max_latency_ms=500.0), 0, catalog, copy) is None
    assert next_question(replace(facts, budget="cheap"), 0, catalog, copy) is None

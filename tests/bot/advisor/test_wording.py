"""The advisor's words come from assistant.yaml: a missing key stops the start-up with the file and
the key, and every quick reply the advisor offers is understood when the customer sends it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.advisor import ADVISOR_KEYS, extract_facts, facts_from_json, violations
from bot.advisor.vocabulary import LANGUAGES, POPULAR_LANGUAGES
from bot.advisor.wording import language_name
from bot.assistant import Assistant
from bot.config import Settings
from knowledge.catalog import HOSTING_KINDS, Model
from knowledge.copy import DEFAULT_COPY, Copy, load_copy
from knowledge.errors import KnowledgeError

pytestmark = pytest.mark.unit

LINE = "    nothing_fits_short: No model in our catalog meets all of that.\n"


def copy_without(line: str, folder: Path) -> Path:
    """A copy of the shipped assistant.yaml in ``folder`` without ``line``."""
    text = DEFAULT_COPY.read_text(encoding="utf-8")
    assert text.count(line) == 1
    path = folder / "assistant.yaml"
    path.write_text(text.replace(line, ""), encoding="utf-8")
    return path


def test_a_missing_advisor_key_fails_at_load_with_the_file_and_the_key(tmp_path: Path) -> None:
    path = copy_without(LINE, tmp_path)

    with pytest.raises(KnowledgeError) as caught:
        load_copy(path, required=ADVISOR_KEYS)

    assert (caught.value.path, caught.value.field) == (str(path), "advisor.advice.nothing_fits_short")
    assert str(path) in str(caught.value) and "advisor.advice.nothing_fits_short" in str(caught.value)


def test_every_advisor_sentence_in_the_file_is_one_the_advisor_uses(copy: Copy) -> None:
    assert {key for key in copy.texts if key.startswith("advisor.")} == set(ADVISOR_KEYS)


def test_a_knowledge_folder_whose_sentences_lack_an_advisor_key_does_not_start(
    settings: Settings, kb_dir: Path
) -> None:
    copy_without(LINE, kb_dir)

    with pytest.raises(KnowledgeError, match=r"assistant\.yaml: field 'advisor\.advice\.nothing_fits_short'"):
        Assistant(settings).warm_up(progress=False)  # the fake embedder


def test_a_knowledge_folder_without_its_own_sentences_speaks_the_packaged_ones(fake_assistant: Assistant) -> None:
    assert fake_assistant.copy.path == str(DEFAULT_COPY)
    assert fake_assistant.copy.say("advisor.questions.task.ask") == "What should the model do?"


def test_every_language_the_advisor_names_is_one_it_understands(copy: Copy) -> None:
    for code in dict.fromkeys(LANGUAGES.values()):
        assert extract_facts(f"in {language_name(copy, code)}").languages == {code}, code
    assert set(POPULAR_LANGUAGES) <= set(LANGUAGES.values())


def test_every_hosting_and_priority_quick_reply_is_understood(copy: Copy) -> None:
    for kind in HOSTING_KINDS:
        assert extract_facts(copy.say(f"advisor.questions.hosting.{kind}")).allowed_hosting == {kind}
    assert "hosting" in extract_facts(copy.say("advisor.questions.hosting.any"), answering="hosting").settled
    answers = [extract_facts(o) for o in copy.options("advisor.questions.priority.options")]
    assert [(f.priorities, f.budget) for f in answers] == [
        ({"speed"}, None),
        (frozenset(), "cheapest"),
        ({"quality"}, None),
        ({"balanced"}, None),
    ]


def test_a_stored_fact_outside_the_vocabulary_is_shown_as_it_is(copy: Copy, catalog: list[Model]) -> None:
    facts = facts_from_json({"task": "chat", "languages": ["xx"]})

    assert violations(catalog[0], facts, copy) == [("languages", "does not support xx")]

"""What the advisor hears in a customer's words, and how the facts are kept between turns."""

from __future__ import annotations

import pytest

from bot.advisor import Facts, extract_facts, facts_from_json, facts_to_json
from knowledge.catalog import TASKS, Model

pytestmark = pytest.mark.unit


def test_the_example_sentence_gives_all_five_facts_at_once() -> None:
    facts = extract_facts("classify 2M German tickets on-prem under 100 ms")

    assert facts.task == "classification"
    assert facts.languages == {"de"}
    assert facts.volume == 2_000_000
    assert facts.hosting == "on_prem"
    assert (facts.max_latency_ms, facts.latency_hard) == (100, True)


def test_facts_accumulate_across_messages_and_a_later_message_corrects() -> None:
    first = extract_facts("we want to route support tickets automatically")
    second = extract_facts("they come in German and French, and must run on-prem", first)
    third = extract_facts("oh, and Spanish too. Actually our own AWS account (VPC) is fine", second)

    assert first.task == second.task == third.task == "classification"
    assert second.languages == {"de", "fr"} and second.hosting == "on_prem"
    assert third.languages == {"de", "fr", "es"}
    assert third.hosting == "vpc"
    assert first.languages == frozenset()  # the earlier facts are not changed in place


def test_a_later_hosting_choice_lifts_an_earlier_privacy_rule_it_contradicts() -> None:
    no_cloud = extract_facts("we can't use the cloud for this chatbot")
    cloud_after_all = extract_facts("actually the Meridian cloud is fine", no_cloud)
    in_the_eu = extract_facts("the data must stay in the EU, cloud is fine")

    assert no_cloud.allowed_hosting == {"on_prem", "edge"}
    assert cloud_after_all.allowed_hosting == {"cloud"} and cloud_after_all.privacy is None
    assert (in_the_eu.privacy, in_the_eu.region, in_the_eu.hosting) == ("residency", "eu-west", "cloud")


def test_a_budget_word_and_a_monthly_spend_in_one_message() -> None:
    facts = extract_facts("something cheap, we spend $500 a month")

    assert facts.budget == "cheap"
    assert facts.max_price is None  # a monthly spend is no ceiling on a unit price


@pytest.mark.parametrize(
    ("name", "code"),
    [("German", "de"), ("French", "fr"), ("Chinese", "zh"), ("Japanese", "ja"), ("Korean", "ko"), ("Spanish", "es"),
     ("Arabic", "ar"), ("Hindi", "hi"), ("Portuguese", "pt"), ("Italian", "it"), ("Dutch", "nl"), ("Russian", "ru"),
     ("Polish", "pl"), ("Turkish", "tr"), ("Swedish", "sv"), ("Greek", "el"), ("Hebrew", "he"), ("English", "en"),
     ("Vietnamese", "vi"), ("Ukrainian", "uk"), ("Mandarin", "zh"), ("Deutsch", "de")],
)  # fmt: skip
def test_language_names_become_iso_codes(name: str, code: str) -> None:
    assert extract_facts(f"our customers write in {name}").languages == {code}


def test_polish_the_verb_is_not_a_language() -> None:
    assert extract_facts("we want to polish our replies").languages == frozenset()


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("we want a chatbot for our website", "chat"),
        ("an assistant for our agents", "chat"),
        ("generate product descriptions", "text_generation"),
        ("write marketing copy", "text_generation"),
        ("summarise meeting transcripts into key points", "summarisation"),
        ("summarize long reports", "summarisation"),
        ("we need a summary of each call log", "summarisation"),
        ("categorise incoming e-mails", "classification"),
        ("tag and route tickets to the right team", "classification"),
        ("sentiment of product reviews", "sentiment"),
        ("translate our help centre", "translation"),
        ("embeddings for semantic search", "embeddings"),
        ("RAG over our docs with a vector database", "embeddings"),
        ("code review and completion in the IDE", "code"),
        ("OCR on scanned invoices", "ocr"),
        ("understand photos from field engineers", "vision"),
        ("transcribe support calls", "speech_to_text"),
        ("voice-to-text for voice notes", "speech_to_text"),
        ("text-to-speech for our IVR", "text_to_speech"),
        ("a voice for our phone menu", "text_to_speech"),
        ("block prompt injection and harmful content", "moderation"),
        ("a guardrail for hate speech", "moderation"),
        ("a chatbot that summarises documents", "summarisation"),  # the specific task wins over chat
    ],
)
def test_task_words_become_catalog_tasks(text: str, task: str) -> None:
    facts = extract_facts(text)

    assert facts.task == task
    assert task in TASKS


@pytest.mark.parametrize(
    ("text", "hosting", "region", "allowed"),
    [
        ("the data must stay in the EU", None, "eu-west", None),
        ("we need it on-prem", "on_prem", None, {"on_prem"}),
        ("no data leaves our network", None, None, {"vpc", "on_prem", "edge"}),
        ("we can't use the cloud", None, None, {"on_prem", "edge"}),
        ("it has to run offline on phones", "edge", None, {"edge"}),
        ("hosted in the US please", None, "us-east", None),
        ("our users are in Singapore", None, "ap-southeast", None),
        ("please help us choose", None, None, None),  # "us" is not the United States
    ],
)
def test_privacy_and_places_become_hosting_and_region_constraints(
    text: str, hosting: str | None, region: str | None, allowed: set[str] | None
) -> None:
    facts = extract_facts(text)

    assert (facts.hosting, facts.region) == (hosting, region)
    assert facts.allowed_hosting == (frozenset(allowed) if allowed is not None else None)


@pytest.mark.parametrize(
    ("text", "volume", "period"),
    [
        ("about 500k requests/day", 500_000, "day"),
        ("20,000 emails a month", 20_000, "month"),
        ("1.5 million documents", 1_500_000, None),
        ("2 million tickets per year", 2_000_000, "year"),
        ("replies under 100 ms with 8k context", None, None),
        ("Python 3.11 and the top 3 models", None, None),
    ],
)
def test_volume_is_read_with_its_period_and_not_from_other_numbers(
    text: str, volume: int | None, period: str | None
) -> None:
    facts = extract_facts(text)

    assert (facts.volume, facts.volume_period) == (volume, period)


def test_budget_latency_and_fine_tuning_hints() -> None:
    assert extract_facts("what is the cheapest option").budget == "cheapest"
    assert extract_facts("something affordable").budget == "cheap"
    assert extract_facts("at most $1 per 1M tokens").max_price == 1.0
    soft = extract_facts("around 300 ms would be nice")
    assert (soft.max_latency_ms, soft.latency_hard) == (300, False)
    assert extract_facts("answers within 2 seconds").max_latency_ms == 2000
    assert extract_facts("we will fine-tune it on our tickets").fine_tuning_needed is True
    assert extract_facts("we don't need fine-tuning").fine_tuning_needed is False


def test_model_names_in_a_message_are_collected_and_not_read_as_wishes(catalog: list[Model]) -> None:
    facts = extract_facts("is chat small or mer-embed-3 better, or the vision edge one?", models=catalog)

    assert facts.mentioned == ("mer-chat-s", "mer-embed-3", "mer-vision-edge")
    assert facts.hosting is None  # "vision edge" names a model; it asks for no edge hosting
    later = extract_facts("and the speech one?", facts, models=catalog)
    assert later.mentioned == ("mer-chat-s", "mer-embed-3", "mer-vision-edge", "mer-speech")


def test_facts_survive_the_round_trip_through_json(catalog: list[Model]) -> None:
    facts = extract_facts("classify 2M German tickets on-prem under 100 ms", models=catalog)

    assert facts_from_json(facts_to_json(facts)) == facts
    assert facts_from_json(None) == Facts()

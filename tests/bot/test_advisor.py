"""The model advisor: what it hears in a customer's words, what it asks, what it recommends and why,
how it compares two models and how it recognises model names. Runs on the shipped catalog plus
tiny inline catalogs for the edge cases."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest

from bot.advisor import (
    MAX_QUESTIONS,
    TASK_QUESTION,
    Facts,
    compare,
    extract_facts,
    next_question,
    recommend,
    resolve_models,
)
from bot.errors import InputError
from knowledge import PACKAGE_DIR
from knowledge.catalog import HOSTING_KINDS, TASKS, Model, Price, load_catalog

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def catalog() -> list[Model]:
    return load_catalog(PACKAGE_DIR / "catalog.yaml")


def model(model_id: str, **fields: object) -> Model:
    """A tiny inline catalog entry; anything not given is a plain English cloud chat model."""
    base: dict[str, object] = {
        "id": model_id,
        "name": model_id.replace("-", " ").title(),
        "tasks": ("chat",),
        "languages": ("en",),
        "hosting": ("cloud",),
        "context_tokens": 8000,
        "latency_ms_p50": 100.0,
        "price": Price(1.0, "1M output tokens"),
        "fine_tunable": False,
        "regions": ("us-east",),
        "strengths": (f"{model_id} strength",),
        "limits": (f"{model_id} main limit",),
    }
    return Model(**{**base, **fields})  # type: ignore[arg-type]


def by_id(models: list[Model], model_id: str) -> Model:
    return next(m for m in models if m.id == model_id)


# --- facts -------------------------------------------------------------------------------------------------------


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


# --- recommendations ---------------------------------------------------------------------------------------------

LANGUAGE_SETS = [frozenset(), frozenset({"en"}), frozenset({"de"}), frozenset({"zh"}), frozenset({"ko"}),
                 frozenset({"en", "de"}), frozenset({"fr", "ja"}), frozenset({"th"})]  # fmt: skip


def fits(m: Model, facts: Facts) -> bool:
    """The hard constraints checked straight against the catalog fields, independently of the advisor."""
    allowed = facts.allowed_hosting
    ok = (facts.task is None or facts.task in m.tasks) and facts.languages <= set(m.languages)
    ok = ok and (allowed is None or bool(allowed & set(m.hosting)))
    if facts.region and facts.region not in m.regions:
        # Only a model on the customer's own hardware escapes the region: an allowed on-premises or
        # edge build, or, with no hosting said, a model that has no cloud build at all.
        ok = ok and (not m.regions if allowed is None else bool(allowed & set(m.hosting) & {"on_prem", "edge"}))
    ok = ok and not (facts.fine_tuning_needed and not m.fine_tunable)
    limit = facts.max_latency_ms if facts.latency_hard else None
    return ok and (limit is None or m.latency_ms_p50 <= limit)


@pytest.mark.parametrize("task", sorted(TASKS))
def test_no_recommendation_ever_violates_task_language_or_hosting(catalog: list[Model], task: str) -> None:
    for languages, hosting in itertools.product(LANGUAGE_SETS, (None, *HOSTING_KINDS)):
        facts = Facts(task=task, languages=languages, hosting=hosting)
        advice = recommend(catalog, facts)
        fitting = [m for m in catalog if fits(m, facts)]
        case = f"{task} {sorted(languages)} {hosting}"

        for rec in advice.recommendations:
            m = by_id(catalog, rec.model_id)
            assert task in m.tasks, case
            assert languages <= set(m.languages), case
            assert hosting is None or hosting in m.hosting, case
            assert rec.reasons and rec.tradeoff and not rec.violations, case
        assert len(advice.recommendations) == min(3, len(fitting)), case  # nothing that fits is left out
        if not fitting:
            assert advice.closest and all(c.violations for c in advice.closest), case


def test_no_recommendation_violates_any_hard_constraint_in_random_combinations(catalog: list[Model]) -> None:
    rng = random.Random(7)
    tasks, languages = sorted(TASKS), ["en", "de", "fr", "zh", "ja", "ko", "ar", "th", "sv"]
    for _ in range(1500):
        facts = Facts(
            task=rng.choice([None, *tasks]),
            languages=frozenset(rng.sample(languages, rng.randint(0, 2))),
            hosting=rng.choice([None, None, *HOSTING_KINDS]),
            privacy=rng.choice([None, None, "own_network", "no_cloud"]),
            region=rng.choice([None, "us-east", "eu-west", "ap-southeast"]),
            fine_tuning_needed=rng.choice([None, True, False]),
            max_latency_ms=rng.choice([None, 30.0, 100.0, 500.0]),
            latency_hard=rng.choice([True, False]),
            budget=rng.choice([None, "cheap", "cheapest"]),
        )
        advice = recommend(catalog, facts)

        assert all(fits(by_id(catalog, r.model_id), facts) for r in advice.recommendations), facts
        assert len(advice.recommendations) == min(3, sum(fits(m, facts) for m in catalog)), facts
        assert len(advice.closest) <= 3


def test_the_example_gets_a_fitting_model_with_reasons_that_cite_the_facts(catalog: list[Model]) -> None:
    advice = recommend(catalog, extract_facts("classify 2M German tickets on-prem under 100 ms"))

    assert advice.fits
    top = advice.recommendations[0]
    assert top.model_id == "mer-classify-base"
    assert "runs on-premises" in top.reasons
    assert "supports German" in top.reasons
    assert "p50 latency 25 ms under your 100 ms" in top.reasons
    assert top.tradeoff == by_id(catalog, "mer-classify-base").limits[0]
    assert {r.model_id for r in advice.recommendations} == {"mer-classify-base"}  # Guard moderates only
    assert "under 100 ms" in advice.message


def test_nothing_fits_names_the_closest_models_and_the_constraint_each_violates(catalog: list[Model]) -> None:
    advice = recommend(catalog, Facts(task="speech_to_text", languages=frozenset({"ko"}), hosting="on_prem"))

    assert not advice.fits and advice.recommendations == ()
    assert "No model meets every requirement" in advice.message
    closest = {c.model_id: c for c in advice.closest}
    assert set(closest) == {"mer-speech", "mer-speech-edge"}  # only models that do the task
    assert closest["mer-speech"].violated == ("hosting",)
    assert "on-premises" in closest["mer-speech"].violations[0]
    assert closest["mer-speech-edge"].violated == ("languages",)
    assert "Korean" in closest["mer-speech-edge"].violations[0]


def test_closest_puts_the_fewest_violations_first_on_a_tiny_catalog() -> None:
    models = [
        model("two-misses", languages=("fr",), hosting=("cloud",)),
        model("one-miss", languages=("de",), hosting=("cloud",)),
        model("wrong-task", tasks=("translation",), languages=("de",), hosting=("edge",)),
    ]
    advice = recommend(models, Facts(task="chat", languages=frozenset({"de"}), hosting="edge"))

    assert [c.model_id for c in advice.closest] == ["one-miss", "two-misses"]
    assert advice.closest[0].violated == ("hosting",)
    assert advice.closest[1].violated == ("languages", "hosting")


def test_latency_is_hard_only_when_said_as_a_limit() -> None:
    models = [model("quick", latency_ms_p50=50.0), model("slow", latency_ms_p50=400.0)]

    hard = recommend(models, extract_facts("a chatbot, replies under 100 ms"))
    soft = recommend(models, extract_facts("a chatbot, ideally around 100 ms"))

    assert [r.model_id for r in hard.recommendations] == ["quick"]
    assert [r.model_id for r in soft.recommendations] == ["quick", "slow"]
    assert "above the 100 ms you mentioned" in soft.recommendations[1].tradeoff


def test_region_and_fine_tuning_are_hard_when_given(catalog: list[Model]) -> None:
    asia_chat = recommend(catalog, Facts(task="chat", region="ap-southeast"))
    tuned = recommend(catalog, Facts(task="embeddings", fine_tuning_needed=True))

    assert "mer-chat-l" not in {r.model_id for r in asia_chat.recommendations}  # us-east and eu-west only
    assert all("ap-southeast" in by_id(catalog, r.model_id).regions for r in asia_chat.recommendations)
    assert [r.model_id for r in tuned.recommendations] == ["mer-embed-lite"]
    assert "fine-tunable on your data" in tuned.recommendations[0].reasons


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("an English chatbot", "mer-chat-m"),  # the balanced default, as the help centre advises
        ("an English chatbot, as cheap as possible", "mer-chat-s"),
        ("the fastest English chatbot", "mer-chat-s"),
        ("an English chatbot with the best quality for complex reasoning", "mer-chat-l"),
        ("a Chinese chatbot", "mer-chat-zh"),
        ("summarise long contracts in German", "mer-summarize"),
        ("embeddings, the cheapest please", "mer-embed-lite"),
    ],
)
def test_ranking_follows_what_the_customer_said_matters(catalog: list[Model], text: str, first: str) -> None:
    advice = recommend(catalog, extract_facts(text))

    assert advice.recommendations[0].model_id == first


def test_the_chinese_specialist_is_not_ranked_first_for_english(catalog: list[Model]) -> None:
    advice = recommend(catalog, Facts(task="chat", languages=frozenset({"en"})))

    assert "mer-chat-zh" not in [r.model_id for r in advice.recommendations[:2]]


def test_a_cheapest_request_says_which_option_is_cheapest(catalog: list[Model]) -> None:
    advice = recommend(catalog, extract_facts("English chat, cheapest"))

    assert any("the cheapest option that fits" in reason for reason in advice.recommendations[0].reasons)


def test_limit_caps_the_recommendations(catalog: list[Model]) -> None:
    assert len(recommend(catalog, Facts(task="chat"), limit=1).recommendations) == 1
    with pytest.raises(ValueError, match="limit must be at least 1, got 0"):
        recommend(catalog, Facts(task="chat"), limit=0)


# --- questions ---------------------------------------------------------------------------------------------------


def test_the_first_question_is_the_task_with_quick_replies(catalog: list[Model]) -> None:
    question = next_question(Facts(), 0, catalog)

    assert question == TASK_QUESTION
    assert {"Chat assistant", "Classify text", "Embeddings / search", "Translate"} <= set(question.quick_replies)
    assert extract_facts(question.quick_replies[0]).task == "chat"


def test_every_task_quick_reply_is_understood(catalog: list[Model]) -> None:
    tasks = [extract_facts(reply).task for reply in TASK_QUESTION.quick_replies]

    assert None not in tasks and len(set(tasks)) == len(tasks)


def test_questions_stop_after_three_and_never_ask_what_is_known(catalog: list[Model]) -> None:
    for opening in ("I need a model", "I need a chatbot", "we want to classify tickets", "speech to text"):
        facts, asked, slots = extract_facts(opening, models=catalog), 0, []
        while (question := next_question(facts, asked, catalog)) is not None:
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
    assert next_question(Facts(), MAX_QUESTIONS, catalog) is None


def test_language_is_asked_only_when_the_candidates_differ_by_language(catalog: list[Model]) -> None:
    same = [model("a", languages=("en", "de")), model("b", languages=("en", "de"), hosting=("edge",), regions=())]
    differ = [model("a", languages=("en", "de")), model("b", languages=("en",))]

    assert next_question(Facts(task="chat"), 0, same).slot == "hosting"  # type: ignore[union-attr]
    assert next_question(Facts(task="chat"), 0, differ).slot == "languages"  # type: ignore[union-attr]
    assert next_question(Facts(task="text_to_speech"), 0, catalog) is None  # one candidate: nothing to ask


def test_no_preference_settles_the_question_it_answers(catalog: list[Model]) -> None:
    facts = Facts(task="chat", languages=frozenset({"en"}))
    assert next_question(facts, 1, catalog).slot == "hosting"  # type: ignore[union-attr]

    settled = extract_facts("no preference", facts, answering="hosting")

    assert settled.hosting is None
    assert next_question(settled, 2, catalog).slot == "priority"  # type: ignore[union-attr]
    answered = extract_facts("Cheapest", settled, answering="priority")
    assert next_question(answered, 3, catalog) is None
    assert next_question(answered, 2, catalog) is None


def test_a_known_latency_or_budget_skips_the_priority_question(catalog: list[Model]) -> None:
    facts = Facts(task="chat", languages=frozenset({"en"}), hosting="cloud")

    assert next_question(facts, 0, catalog).slot == "priority"  # type: ignore[union-attr]
    assert next_question(replace(facts, max_latency_ms=500.0), 0, catalog) is None
    assert next_question(replace(facts, budget="cheap"), 0, catalog) is None


# --- comparison and names ----------------------------------------------------------------------------------------


def test_compare_names_both_models_and_their_differences(catalog: list[Model]) -> None:
    result = compare(catalog, "mer-chat-m", "mer-chat-s")

    assert "Meridian Chat Medium" in result.table and "Meridian Chat Small" in result.table
    rows = {aspect: (a, b) for aspect, a, b in result.rows}
    assert rows["latency p50"] == ("350 ms", "120 ms")
    assert rows["languages"][0].startswith("9") and rows["languages"][1].startswith("4")
    assert rows["price"] == ("$2.00 per 1M output tokens", "$0.40 per 1M output tokens")
    assert rows["hosting"][1].endswith("edge") and "edge" not in rows["hosting"][0]
    assert {"tasks", "context", "fine-tunable"} <= set(rows)
    assert "Meridian Chat Medium" in result.verdict and "Meridian Chat Small" in result.verdict
    assert "speed (120 vs 350 ms)" in result.verdict and "languages (9 vs 4)" in result.verdict
    assert result.text.count("\n") == len(result.rows) + 1


def test_compare_says_when_prices_are_in_different_units(catalog: list[Model]) -> None:
    verdict = compare(catalog, "mer-translate", "mer-translate-edge").verdict

    assert "per 1M characters vs per device licence per year" in verdict


def test_compare_rejects_unknown_or_identical_ids(catalog: list[Model]) -> None:
    with pytest.raises(InputError, match=r"unknown model 'mer-chat-xl'; known: mer-chat-l, mer-chat-m"):
        compare(catalog, "mer-chat-xl", "mer-chat-m")
    with pytest.raises(InputError, match="two different models"):
        compare(catalog, "mer-chat-m", "mer-chat-m")


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("chat medium", ["mer-chat-m"]),
        ("Chat-M", ["mer-chat-m"]),
        ("mer chat m", ["mer-chat-m"]),
        ("what about Meridian Chat Large", ["mer-chat-l"]),
        ("embed lite", ["mer-embed-lite"]),
        ("mer-embed-3 or Embed 3 or embed-3", ["mer-embed-3"]),
        ("the vision edge one", ["mer-vision-edge"]),
        ("the speech one vs the speech edge one", ["mer-speech", "mer-speech-edge"]),
        ("classify multilingual vs classify base", ["mer-classify-multi", "mer-classify-base"]),
        ("Meridian Guard", ["mer-guard"]),
        ("mer-chat-m-2025-09", ["mer-chat-m"]),
        ("chat small and chat large", ["mer-chat-s", "mer-chat-l"]),
        # Ordinary words are not model names.
        ("we need to translate and summarise code with speech and vision", []),
        ("how many chats per day", []),
        ("we embed 3 million docs", []),
        ("the chat's history", []),
    ],
)
def test_resolve_models_is_tolerant_of_how_names_are_written(catalog: list[Model], text: str, ids: list[str]) -> None:
    assert resolve_models(text, catalog) == ids

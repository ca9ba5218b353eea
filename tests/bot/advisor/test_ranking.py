"""What the advisor recommends and why: no recommendation ever breaks a hard constraint, the ranking
follows what the customer said matters, and nothing-fits names what each closest model misses."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.advisor import Facts, extract_facts, recommend
from knowledge.catalog import HOSTING_KINDS, TASKS, Model
from knowledge.copy import Copy
from tests.bot.advisor.helpers import WEIGHTS, by_id, model

pytestmark = pytest.mark.unit

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
def test_no_recommendation_ever_violates_task_language_or_hosting(catalog: list[Model], copy: Copy, task: str) -> None:
    for languages, hosting in itertools.product(LANGUAGE_SETS, (None, *HOSTING_KINDS)):
        facts = Facts(task=task, languages=languages, hosting=hosting)
        advice = recommend(catalog, facts, weights=WEIGHTS, copy=copy)
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


def test_no_recommendation_violates_any_hard_constraint_in_random_combinations(
    catalog: list[Model], copy: Copy
) -> None:
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
        advice = recommend(catalog, facts, weights=WEIGHTS, copy=copy)

        assert all(fits(by_id(catalog, r.model_id), facts) for r in advice.recommendations), facts
        assert len(advice.recommendations) == min(3, sum(fits(m, facts) for m in catalog)), facts
        assert len(advice.closest) <= 3


def test_the_example_gets_a_fitting_model_with_reasons_that_cite_the_facts(catalog: list[Model], copy: Copy) -> None:
    advice = recommend(
        catalog, extract_facts("classify 2M German tickets on-prem under 100 ms"), weights=WEIGHTS, copy=copy
    )

    assert advice.fits
    top = advice.recommendations[0]
    assert top.model_id == "mer-classify-base"
    assert "runs on-premises" in top.reasons
    assert "supports German" in top.reasons
    assert "p50 latency 25 ms under your 100 ms" in top.reasons
    assert top.tradeoff == by_id(catalog, "mer-classify-base").limits[0]
    assert {r.model_id for r in advice.recommendations} == {"mer-classify-base"}  # Guard moderates only
    assert "under 100 ms" in advice.message


def test_nothing_fits_names_the_closest_models_and_the_constraint_each_violates(
    catalog: list[Model], copy: Copy
) -> None:
    advice = recommend(
        catalog,
        Facts(task="speech_to_text", languages=frozenset({"ko"}), hosting="on_prem"),
        weights=WEIGHTS,
        copy=copy,
    )

    assert not advice.fits and advice.recommendations == ()
    assert "No model meets every requirement" in advice.message
    closest = {c.model_id: c for c in advice.closest}
    assert set(closest) == {"mer-speech", "mer-speech-edge"}  # only models that do the task
    assert closest["mer-speech"].violated == ("hosting",)
    assert "on-premises" in closest["mer-speech"].violations[0]
    assert closest["mer-speech-edge"].violated == ("languages",)
    assert "Korean" in closest["mer-speech-edge"].violations[0]


def test_closest_puts_the_fewest_violations_first_on_a_tiny_catalog(copy: Copy) -> None:
    models = [
        model("two-misses", languages=("fr",), hosting=("cloud",)),
        model("one-miss", languages=("de",), hosting=("cloud",)),
        model("wrong-task", tasks=("translation",), languages=("de",), hosting=("edge",)),
    ]
    advice = recommend(
        models, Facts(task="chat", languages=frozenset({"de"}), hosting="edge"), weights=WEIGHTS, copy=copy
    )

    assert [c.model_id for c in advice.closest] == ["one-miss", "two-misses"]
    assert advice.closest[0].violated == ("hosting",)
    assert advice.closest[1].violated == ("languages", "hosting")


def test_latency_is_hard_only_when_said_as_a_limit(copy: Copy) -> None:
    models = [model("quick", latency_ms_p50=50.0), model("slow", latency_ms_p50=400.0)]

    hard = recommend(models, extract_facts("a chatbot, replies under 100 ms"), weights=WEIGHTS, copy=copy)
    soft = recommend(models, extract_facts("a chatbot, ideally around 100 ms"), weights=WEIGHTS, copy=copy)

    assert [r.model_id for r in hard.recommendations] == ["quick"]
    assert [r.model_id for r in soft.recommendations] == ["quick", "slow"]
    assert "above the 100 ms you mentioned" in soft.recommendations[1].tradeoff


def test_region_and_fine_tuning_are_hard_when_given(catalog: list[Model], copy: Copy) -> None:
    asia_chat = recommend(catalog, Facts(task="chat", region="ap-southeast"), weights=WEIGHTS, copy=copy)
    tuned = recommend(catalog, Facts(task="embeddings", fine_tuning_needed=True), weights=WEIGHTS, copy=copy)

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
def test_ranking_follows_what_the_customer_said_matters(
    catalog: list[Model], copy: Copy, text: str, first: str
) -> None:
    advice = recommend(catalog, extract_facts(text), weights=WEIGHTS, copy=copy)

    assert advice.recommendations[0].model_id == first


def test_the_chinese_specialist_is_not_ranked_first_for_english(catalog: list[Model], copy: Copy) -> None:
    advice = recommend(catalog, Facts(task="chat", languages=frozenset({"en"})), weights=WEIGHTS, copy=copy)

    assert "mer-chat-zh" not in [r.model_id for r in advice.recommendations[:2]]


def test_a_cheapest_request_says_which_option_is_cheapest(catalog: list[Model], copy: Copy) -> None:
    advice = recommend(catalog, extract_facts("English chat, cheapest"), weights=WEIGHTS, copy=copy)

    assert any("the cheapest option that fits" in reason for reason in advice.recommendations[0].reasons)


def test_limit_caps_the_recommendations(catalog: list[Model], copy: Copy) -> None:
    assert len(recommend(catalog, Facts(task="chat"), weights=WEIGHTS, copy=copy, limit=1).recommendations) == 1
    with pytest.raises(ValueError, match="limit must be at least 1, got 0"):
        recommend(catalog, Facts(task="chat"), weights=WEIGHTS, copy=copy, limit=0)

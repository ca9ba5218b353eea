"""The advise handler: the advisor's questions and recommendations, questions about the models shown,
and the knowledge base's guidance when there is no catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.state import AdvisorProgress
from bot.types import Route
from tests.bot.turns import hit, parts, prediction, state, turn

pytestmark = pytest.mark.unit

ROUTES = {"model_selection": "advise"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, embedder="fake", intent_threshold=0.5, intent_answer_threshold=0.3)


def test_the_advisor_asks_what_the_model_should_do(settings: Settings) -> None:
    p = prediction("model_selection", 0.9)

    _, outcome = turn("which model should I use", parts(settings, ROUTES, catalog=True), [hit("m", 0.5, 0.5)], p)

    assert outcome.reply.route is Route.ADVISE and outcome.reply.reply == "What should the model do?"
    assert outcome.state.advisor == AdvisorProgress("task", 1) and outcome.state.facts is not None


def test_a_need_stated_in_full_gets_recommendations(settings: Settings) -> None:
    _, outcome = turn("we need to classify 2M German tickets on-prem, cheapest please", parts(settings, catalog=True))

    assert outcome.reply.recommendations
    assert outcome.state.last_models == tuple(r["model_id"] for r in outcome.reply.recommendations)
    assert outcome.state.last_intent == "model_selection"


def test_which_one_is_cheaper_answers_among_the_models_shown(settings: Settings) -> None:
    shown = state(last_models=("mer-chat-m", "mer-chat-l"), fallbacks=1)

    _, outcome = turn("which one is cheaper?", parts(settings, catalog=True), state=shown)

    assert outcome.reply.reply.startswith("**Meridian Chat M") and "is cheaper" in outcome.reply.reply
    assert outcome.state.last_models == shown.last_models and outcome.state.fallbacks == 0


def test_a_fact_about_one_model_makes_it_the_model_talked_about(settings: Settings) -> None:
    _, outcome = turn("how much does chat small cost", parts(settings, catalog=True))

    assert [r["model_id"] for r in outcome.reply.recommendations] == ["mer-chat-s"]
    assert outcome.state.last_models == ("mer-chat-s",)


def test_without_a_catalog_the_guide_on_choosing_is_cited(settings: Settings) -> None:
    p = prediction("model_selection", 0.9)

    _, outcome = turn("which model should I use", parts(settings, ROUTES), [hit("choosing", 0.5, 0.5)], p)

    assert outcome.reply.reply.startswith("Here is how our models compare for that:\n\n**Choosing**")
    assert [s.id for s in outcome.reply.sources] == ["choosing"]

"""The knowledge base supportbot ships with is complete and consistent."""

from __future__ import annotations

import re

import pytest
import yaml

from knowledge import PACKAGE_DIR, Article, load_articles
from knowledge.evalset import load_evalset

pytestmark = pytest.mark.unit

KB_LINK = re.compile(r"\]\(kb:([^)#\s]+)")
HOSTING = {"cloud", "vpc", "on_prem", "edge"}
MODEL_FIELDS = {
    "id", "name", "tasks", "languages", "hosting", "context_tokens", "latency_ms_p50", "price",
    "fine_tunable", "regions", "strengths", "limits",
}  # fmt: skip


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return load_articles(PACKAGE_DIR / "articles")


@pytest.fixture(scope="module")
def catalog() -> list[dict]:
    data = yaml.safe_load((PACKAGE_DIR / "catalog.yaml").read_text(encoding="utf-8"))
    return data["models"]


def test_shipped_articles_load_with_unique_ids(articles: list[Article]) -> None:
    ids = [a.id for a in articles]
    assert len(ids) >= 80
    assert len(set(ids)) == len(ids)


def test_every_kb_link_points_to_an_existing_article(articles: list[Article]) -> None:
    ids = {a.id for a in articles}
    broken = [(a.id, target) for a in articles for target in KB_LINK.findall(a.body) if target not in ids]
    assert broken == []
    assert any(KB_LINK.search(a.body) for a in articles), "no article links to another; the check proves nothing"


def test_catalog_models_have_every_required_field(catalog: list[dict]) -> None:
    assert len(catalog) >= 15
    for model in catalog:
        missing = MODEL_FIELDS - set(model)
        assert not missing, f"{model.get('id')}: missing {sorted(missing)}"
        assert set(model["hosting"]) <= HOSTING, model["id"]
        assert model["hosting"], model["id"]
        assert isinstance(model["context_tokens"], int) and model["context_tokens"] >= 0  # 0: no text input
        assert model["latency_ms_p50"] > 0
        assert set(model["price"]) >= {"amount", "unit"} and model["price"]["amount"] >= 0
        assert isinstance(model["fine_tunable"], bool)
        assert set(model["regions"]) <= {"us-east", "eu-west", "ap-southeast"}
        # A hosted model runs in at least one region; an on-premises/edge-only model in none.
        assert isinstance(model["regions"], list)
        assert bool(model["regions"]) == ("cloud" in model["hosting"]), model["id"]
        for key in ("tasks", "languages", "strengths", "limits"):
            assert isinstance(model[key], list) and model[key], f"{model['id']}: {key}"
    assert len({m["id"] for m in catalog}) == len(catalog)


def test_catalog_hosting_options_differ_between_models(catalog: list[dict]) -> None:
    # The advisor filters on hosting; if every model offered everything the filter would be moot.
    assert any(set(m["hosting"]) != HOSTING for m in catalog)
    for option in HOSTING:
        assert any(option in m["hosting"] for m in catalog), f"no model offers {option}"


def test_eval_set_is_labelled_with_existing_articles(articles: list[Article]) -> None:
    evalset = load_evalset(PACKAGE_DIR / "eval", {a.id for a in articles})

    assert len(evalset.train) + len(evalset.test) >= 250
    assert evalset.train and evalset.test
    assert len(evalset.oos_train) + len(evalset.oos_test) >= 60
    assert evalset.oos_train and evalset.oos_test


def test_eval_test_split_does_not_repeat_train_questions(articles: list[Article]) -> None:
    evalset = load_evalset(PACKAGE_DIR / "eval", {a.id for a in articles})
    train = {q.text.lower() for q in evalset.train} | {t.lower() for t in evalset.oos_train}
    test = {q.text.lower() for q in evalset.test} | {t.lower() for t in evalset.oos_test}

    assert train & test == set()

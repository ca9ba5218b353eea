"""The Chinese knowledge beside the English: the same facts, the same sections, the same keys;
a missing translation falls back to English and says so; a broken one names its file."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from knowledge import PACKAGE_DIR
from knowledge.catalog import load_catalog
from knowledge.copy import load_copy
from knowledge.errors import KnowledgeError
from knowledge.flows import load_flows
from knowledge.intents import load_intents
from knowledge.translations import (
    ZH,
    chinese_documents,
    fact_differences,
    load_bilingual,
    sections,
    translate_catalog,
    translate_flows,
)
from tests.helpers import write_kb

SHIPPED = load_bilingual(PACKAGE_DIR / "articles")


@pytest.mark.unit
def test_every_shipped_article_has_a_chinese_version() -> None:
    assert SHIPPED.missing == []
    assert len(SHIPPED.zh) == len(SHIPPED.english)


@pytest.mark.unit
@pytest.mark.parametrize("article", SHIPPED.english, ids=lambda a: a.id)
def test_both_versions_state_the_same_facts(article) -> None:  # type: ignore[no-untyped-def]
    chinese = SHIPPED.zh[article.id]
    assert fact_differences(article.body, chinese.body) == []
    assert len(sections(chinese.body)) == len(sections(article.body))
    assert re.search(r"[\u4e00-\u9fff]", chinese.title), "the title is not Chinese"


@pytest.mark.unit
def test_the_fact_check_catches_a_changed_price_and_a_region() -> None:
    english = "Chat Large costs $9.00 per 1M tokens in us-east and eu-west."
    assert fact_differences(english, "Chat Large 在 us-east 和 eu-west 每 1M token 收费 $9.00。") == []
    changed = fact_differences(english, "Chat Large 在 us-east 每 1M token 收费 $8.00。")
    assert any("9.00" in d for d in changed) and any("regions" in d for d in changed)


def _translate(kb: Path, article_id: str, body: str) -> Path:
    path = kb / "articles" / ZH / f"{article_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\nid: {article_id}\ntitle: 重置密码\nquestions:\n  - 忘记密码了\n---\n{body}\n", encoding="utf-8"
    )
    return path


@pytest.mark.unit
def test_a_missing_translation_is_indexed_in_english_and_listed(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    body = "如果无法登录，请在登录页重置密码。重置链接有效期为一小时，新链接会使旧链接失效，请尽快使用。"
    _translate(
        kb,
        "reset-password",
        body + "\n\n## 在登录页重置\n点击忘记密码。\n\n## 收不到邮件\n检查垃圾邮件。\n\n## 修改密码\n打开设置。",
    )
    bilingual = load_bilingual(kb / "articles")
    docs = {d.id: d for d in chinese_documents(bilingual)}
    assert docs["reset-password"].lang == ZH and docs["reset-password"].title == "重置密码"
    assert "忘记密码了" in docs["reset-password"].keys
    assert bilingual.missing and "reset-password" not in bilingual.missing
    assert all(docs[i].lang == "en" for i in bilingual.missing)


@pytest.mark.unit
def test_a_translation_with_other_sections_names_its_file(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    path = _translate(
        kb,
        "reset-password",
        "如果无法登录，请在登录页重置密码，重置链接有效期为一小时，请尽快使用它完成重置。\n\n## 只有一节\n内容。",
    )
    with pytest.raises(KnowledgeError, match=r"reset-password\.md.*1 sections, the English article 3"):
        load_bilingual(kb / "articles")
    path.unlink()
    _translate(
        kb, "no-such-article", "这是一篇没有英文原文的文章，它不应该被接受，因为加载器要求每篇译文都有对应的英文文章。"
    )
    with pytest.raises(KnowledgeError, match="no English article"):
        load_bilingual(kb / "articles")


@pytest.mark.unit
def test_the_chinese_sentences_have_every_key_and_field_of_the_english() -> None:
    english, chinese = load_copy(PACKAGE_DIR / "assistant.yaml"), load_copy(PACKAGE_DIR / "assistant.zh.yaml")
    assert set(chinese.texts) == set(english.texts)

    def fields(value: str | tuple[str, ...]) -> set[str]:
        texts = [value] if isinstance(value, str) else list(value)
        return {f for t in texts for _, f, _, _ in string.Formatter().parse(t) if f}

    for key, value in english.texts.items():
        assert fields(chinese.texts[key]) == fields(value), key


@pytest.mark.unit
def test_a_missing_sentence_falls_back_to_english(tmp_path: Path) -> None:
    english = load_copy(PACKAGE_DIR / "assistant.yaml")
    partial = tmp_path / "assistant.zh.yaml"
    partial.write_text(yaml.safe_dump({"brand": {"title": "Meridian AI 客服"}}, allow_unicode=True), encoding="utf-8")
    copy = load_copy(partial).over(english)
    assert copy.say("brand.title") == "Meridian AI 客服"
    assert copy.say("brand.tagline") == english.say("brand.tagline")
    assert "brand.tagline" in copy.untranslated


@pytest.mark.unit
def test_the_chinese_catalog_and_flows_keep_the_english_structure() -> None:
    models = load_catalog(PACKAGE_DIR / "catalog.yaml")
    chinese = translate_catalog(models, PACKAGE_DIR / "catalog.zh.yaml")
    for en, zh in zip(models, chinese, strict=True):
        assert (zh.id, zh.price.amount, zh.languages) == (en.id, en.price.amount, en.languages)
        assert " per " not in str(zh.price), str(zh.price)
        assert len(zh.strengths) == len(en.strengths) and re.search(r"[\u4e00-\u9fff]", zh.strengths[0])
    flows = load_flows(PACKAGE_DIR / "troubleshooting")
    translated = translate_flows(flows, PACKAGE_DIR / "troubleshooting" / ZH)
    for flow_id, flow in flows.items():
        zh_flow = translated[flow_id]
        assert zh_flow.steps.keys() == flow.steps.keys()
        for step_id, step in flow.steps.items():
            assert [o.next for o in zh_flow.steps[step_id].options] == [o.next for o in step.options]
            assert re.search(r"[\u4e00-\u9fff]", zh_flow.steps[step_id].text), (flow_id, step_id)


@pytest.mark.unit
def test_the_chinese_intents_mirror_the_english_ones() -> None:
    english, chinese = load_intents(PACKAGE_DIR / "intents.yaml"), load_intents(PACKAGE_DIR / "intents.zh.yaml")
    assert chinese.routes == english.routes
    counts = {name: chinese.labels.count(name) for name in english.intents}
    assert min(counts.values()) >= 30, counts
    assert len(chinese.negatives) >= 60

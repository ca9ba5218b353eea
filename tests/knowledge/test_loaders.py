"""A support writer's mistakes in a knowledge file are reported with the file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.errors import KnowledgeError, SupportbotError
from knowledge.evalset import load_evalset, load_labelled
from knowledge.loaders import load_articles, load_documents, load_faq, parse_article
from tests.helpers import KB_ARTICLES, write_article

pytestmark = pytest.mark.unit

BODY = (
    "A paragraph long enough to count as an article body, with more than twenty words in it "
    "so that the loader accepts it without complaint about its length."
)


def article(front: str, body: str = BODY) -> str:
    return f"---\n{front}---\n{body}\n"


def raises_at(path: Path, line: int, field: str | None) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        parse_article(path)
    err = info.value
    assert err.path == str(path)
    assert err.line == line
    assert err.field == field
    message = str(err)
    assert f"{path.name}:{line}" in message
    if field:
        assert f"'{field}'" in message
    return err


def test_valid_article_parses_every_field(tmp_path: Path) -> None:
    path = write_article(tmp_path, "rate-limits", KB_ARTICLES["rate-limits"])

    art = parse_article(path)

    assert art.id == "rate-limits"
    assert art.title == "Rate limits and quotas"
    assert art.tags == ("limits", "api")
    assert art.questions == ("why do I get 429 errors",)
    assert art.body.startswith("Every project has a request limit per minute")
    assert "## Handling 429 responses" in art.body
    assert "---" not in art.body.splitlines()[0]
    assert art.url == "/kb/rate-limits"
    doc = art.to_document()
    assert (doc.id, doc.title, doc.keys, doc.url) == (art.id, art.title, art.questions, "/kb/rate-limits")


@pytest.mark.parametrize(
    ("file_name", "front", "line", "field", "reason_parts"),
    [
        ("no-id.md", "title: No id here\n", 2, "id", ["required"]),
        ("Reset_Password.md", "title: Reset\nid: Reset_Password\n", 3, "id", ["Reset_Password", "lowercase"]),
        ("invoices.md", "id: billing\ntitle: Invoices\n", 2, "id", ["'billing'", "invoices.md"]),
        ("broken.md", "id: broken\ntags: [a]\ntitle: Colons: are not allowed here\n", 4, None, ["invalid YAML"]),
        ("limits.md", "id: limits\ntitle: Limits\nquestions: why do I get 429\n", 4, "questions", ["list"]),
    ],
    ids=["missing-id", "bad-id-characters", "id-not-file-name", "invalid-yaml", "questions-not-a-list"],
)
def test_malformed_front_matter_names_file_line_and_field(
    tmp_path: Path, file_name: str, front: str, line: int, field: str | None, reason_parts: list[str]
) -> None:
    path = tmp_path / file_name
    path.write_text(article(front), encoding="utf-8")

    err = raises_at(path, line=line, field=field)

    for part in reason_parts:
        assert part in err.reason


def test_unclosed_front_matter_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "open.md"
    path.write_text(f"---\nid: open\ntitle: Open\n\n{BODY}\n", encoding="utf-8")

    err = raises_at(path, line=1, field=None)

    assert "never closed" in err.reason


def test_a_body_too_short_to_answer_from_is_reported_at_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "stub.md"
    path.write_text(article("id: stub\ntitle: Stub\n", body="TODO: write this."), encoding="utf-8")

    err = raises_at(path, line=5, field=None)

    assert "3 words" in err.reason


def test_unknown_front_matter_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "typo.md"
    path.write_text(article("id: typo\ntitle: Typo\ntgas: [x]\n"), encoding="utf-8")

    raises_at(path, line=4, field="tgas")


def test_a_copied_article_cannot_reuse_an_existing_id(tmp_path: Path) -> None:
    # Ids must equal file names, so two files of one folder can never share an id:
    # a copy that keeps the original id is reported at its id line.
    folder = tmp_path / "articles"
    write_article(folder, "invoices", KB_ARTICLES["invoices"])
    write_article(folder, "invoices-copy", KB_ARTICLES["invoices"])

    with pytest.raises(KnowledgeError) as info:
        load_articles(folder)

    assert info.value.path.endswith("invoices-copy.md")
    assert (info.value.line, info.value.field) == (2, "id")


def test_knowledge_errors_are_value_errors_of_the_project_family(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as info:
        load_articles(tmp_path / "missing")

    assert isinstance(info.value, SupportbotError)
    assert "missing" in str(info.value)


def test_faq_jsonl_imports_entries_with_alternative_questions(tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    rows = [
        {
            "id": "refunds",
            "question": "Can I get a refund?",
            "answer": "Refunds are issued within 14 days.",
            "questions": ["money back", "return a purchase"],
        },
        {
            "id": "hours",
            "question": "When are you open?",
            "answer": "Nine to five.",
            "title": "Opening hours",
            "url": "https://example.test/hours",
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")

    docs = load_faq(path)

    assert [d.id for d in docs] == ["refunds", "hours"]
    assert docs[0].title == "Can I get a refund?"
    assert docs[0].text == "Refunds are issued within 14 days."
    assert docs[0].keys == ("Can I get a refund?", "money back", "return a purchase")
    assert (docs[1].title, docs[1].url) == ("Opening hours", "https://example.test/hours")
    assert load_documents(path) == docs


def test_faq_csv_splits_questions_at_bars(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_text(
        "id,question,answer,questions\n"
        'refunds,Can I get a refund?,"Yes, within 14 days.",money back|return a purchase\n'
        "hours,When are you open?,Nine to five.,\n",
        encoding="utf-8",
    )

    docs = load_faq(path)

    assert docs[0].keys == ("Can I get a refund?", "money back", "return a purchase")
    assert docs[0].text == "Yes, within 14 days."
    assert docs[1].keys == ("When are you open?",)


def test_faq_jsonl_missing_answer_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    path.write_text('{"id": "a", "question": "q1", "answer": "a1"}\n{"id": "b", "question": "q2"}\n', encoding="utf-8")

    with pytest.raises(KnowledgeError) as info:
        load_faq(path)

    assert (info.value.line, info.value.field) == (2, "answer")
    assert "faq.jsonl:2" in str(info.value)


def test_faq_csv_missing_answer_counts_the_header_line(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_text("id,question,answer\na,q1,a1\nb,q2,\n", encoding="utf-8")

    with pytest.raises(KnowledgeError) as info:
        load_faq(path)

    assert (info.value.line, info.value.field) == (3, "answer")


def test_faq_invalid_json_line_is_reported_by_number(tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    path.write_text('{"id": "a", "question": "q", "answer": "x"}\n\n{"id": "b", "question": \n', encoding="utf-8")

    with pytest.raises(KnowledgeError) as info:
        load_faq(path)

    assert info.value.line == 3
    assert "invalid JSON" in str(info.value)


def test_faq_duplicate_id_is_reported_at_the_second_entry(tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    path.write_text(
        '{"id": "a", "question": "q1", "answer": "x"}\n{"id": "a", "question": "q2", "answer": "y"}\n',
        encoding="utf-8",
    )

    with pytest.raises(KnowledgeError) as info:
        load_faq(path)

    assert (info.value.line, info.value.field) == (2, "id")


def test_faq_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "faq.txt"
    path.write_text("id,question,answer\n", encoding="utf-8")

    with pytest.raises(KnowledgeError, match=r"\.jsonl or \.csv"):
        load_faq(path)


def test_eval_set_rejects_an_unknown_article_id_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "test.jsonl"
    path.write_text(
        '{"text": "where is my invoice", "ids": ["invoices"]}\n'
        '{"text": "reset my password", "ids": ["reset-pasword"]}\n',
        encoding="utf-8",
    )

    with pytest.raises(KnowledgeError) as info:
        load_labelled(path, known_ids={"invoices", "reset-password"})

    assert (info.value.line, info.value.field) == (2, "ids")
    assert "reset-pasword" in str(info.value)


def test_eval_set_names_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "train.jsonl").write_text('{"text": "q", "ids": ["a"]}\n', encoding="utf-8")

    with pytest.raises(KnowledgeError, match=r"test\.jsonl"):
        load_evalset(tmp_path, known_ids={"a"})

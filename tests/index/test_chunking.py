"""Articles split into sections a customer can read on their own."""

from __future__ import annotations

import pytest

from index.chunking import chunk_document, slugify
from index.types import Document

pytestmark = pytest.mark.unit


def doc(text: str) -> Document:
    return Document(id="doc", title="Title", text=text)


def test_splits_at_headings_and_gives_each_section_its_anchor() -> None:
    chunks = chunk_document(
        doc(
            "# Title\n\n## Handling 429 responses\nWait, then retry.\n\n"
            "## What's new in v2?\nStreaming.\n\n### Sub-section: details\nMore."
        )
    )

    assert [(c.heading, c.anchor, c.text) for c in chunks] == [
        ("Handling 429 responses", "handling-429-responses", "Wait, then retry."),
        ("What's new in v2?", "whats-new-in-v2", "Streaming."),
        ("Sub-section: details", "sub-section-details", "More."),
    ]
    assert all(c.doc_id == "doc" for c in chunks)


def test_intro_before_the_first_heading_is_kept_without_an_anchor() -> None:
    chunks = chunk_document(doc("An introduction to the topic.\n\n## First\nBody."))

    assert (chunks[0].heading, chunks[0].anchor, chunks[0].text) == ("", "", "An introduction to the topic.")
    assert chunks[1].heading == "First"


def test_code_block_stays_whole_and_its_hash_lines_are_not_headings() -> None:
    code_lines = [f"# step {i}: call the API and print the answer of the model" for i in range(40)]
    code = "```python\n" + "\n".join(code_lines) + "\n## not a heading either\n```"
    chunks = chunk_document(doc(f"## Example\nRun this script.\n\n{code}\n\n## After\nDone."), max_words=30)

    assert [c.heading for c in chunks] == ["Example", "After"]
    assert code in chunks[0].text
    assert len(chunks[0].text.split()) > 30  # kept whole although over the limit


def test_long_section_splits_at_sentences_below_max_words() -> None:
    sentences = [f"Sentence number {i} explains one more detail of the billing process." for i in range(30)]
    chunks = chunk_document(doc("## Billing\n" + " ".join(sentences)), max_words=40)

    assert len(chunks) > 1
    assert all(c.heading == "Billing" and c.anchor == "billing" for c in chunks)
    assert all(len(c.text.split()) <= 40 for c in chunks)
    assert all(c.text.endswith("process.") for c in chunks)  # no sentence cut in half
    assert " ".join(c.text for c in chunks) == " ".join(sentences)


def test_empty_sections_give_no_chunks() -> None:
    assert [c.heading for c in chunk_document(doc("## Empty\n\n## Full\nText here."))] == ["Full"]


def test_max_words_below_twenty_is_refused_with_the_value() -> None:
    with pytest.raises(ValueError, match="19"):
        chunk_document(doc("Text."), max_words=19)


def test_slugify_matches_markdown_anchors() -> None:
    assert slugify("Error 401: unauthorized") == "error-401-unauthorized"
    assert slugify("  Keys & scopes -- overview ") == "keys-scopes-overview"


def test_long_list_keeps_one_item_per_line_when_split() -> None:
    items = [f"- Step {i}: open the console and check setting number {i} carefully." for i in range(25)]
    chunks = chunk_document(doc("## Steps\n" + "\n".join(items)), max_words=60)

    assert len(chunks) > 1
    lines = [line for c in chunks for line in c.text.splitlines()]
    assert lines == items

"""Intent example files (YAML or CSV): what a support writer gets right is read, every mistake
is reported with the file, the line and the field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.errors import KnowledgeError, SupportbotError
from knowledge.intents import DEFAULT_ROUTE, OUT_OF_SCOPE, load_intents

pytestmark = pytest.mark.unit

VALID_YAML = """\
intents:
  rate_limit:
    label: A 429 rate limit error
    route: troubleshoot
    examples:
      - I keep getting 429 errors
      - too many requests from the API
  human_handoff:
    label: "Talk to a person"
    route: handoff
    examples:
      - let me talk to a person
      - connect me with a human agent
  invoices:
    label: Invoices
    examples:
      - where is my invoice
      - download the invoice as PDF
out_of_scope:
  - what is the weather in Paris
  - recommend a pasta recipe
"""

VALID_CSV = """\
text,intent,route
I keep getting 429 errors,rate_limit,troubleshoot
  too many requests from the API  ,rate_limit,
let me talk to a person,human_handoff,handoff
connect me with a human agent,human_handoff,
where is my invoice,invoices,
download the invoice as PDF,invoices,
what is the weather in Paris,out_of_scope,
recommend a pasta recipe,out_of_scope,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path) -> KnowledgeError:
    """The error loading ``path`` raises; it always names the file."""
    with pytest.raises(KnowledgeError) as info:
        load_intents(path)
    err = info.value
    assert err.path == str(path)
    assert str(path) in str(err)
    if err.line is not None:
        assert f"{path.name}:{err.line}:" in str(err)
    return err


# -- valid files ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["intents.yaml", "intents.yml", "INTENTS.YAML"])
def test_yaml_reads_examples_routes_and_negatives(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, VALID_YAML)

    data = load_intents(path)

    assert data.intents == ["human_handoff", "invoices", "rate_limit"]
    assert list(zip(data.texts, data.labels, strict=True))[:2] == [
        ("I keep getting 429 errors", "rate_limit"),
        ("too many requests from the API", "rate_limit"),
    ]
    assert len(data.texts) == 6
    assert data.routes == {"rate_limit": "troubleshoot", "human_handoff": "handoff", "invoices": DEFAULT_ROUTE}
    assert data.negatives == ("what is the weather in Paris", "recommend a pasta recipe")
    assert OUT_OF_SCOPE not in data.labels
    assert data.source == str(path)
    assert data.topics == {
        "rate_limit": "A 429 rate limit error",
        "human_handoff": "Talk to a person",
        "invoices": "Invoices",
    }


def test_csv_reads_examples_routes_and_turns_out_of_scope_rows_into_negatives(tmp_path: Path) -> None:
    path = write(tmp_path, "intents.csv", VALID_CSV)

    data = load_intents(path)

    assert data.intents == ["human_handoff", "invoices", "rate_limit"]
    assert data.texts[1] == "too many requests from the API"  # surrounding blanks are dropped
    assert data.routes == {"rate_limit": "troubleshoot", "human_handoff": "handoff", "invoices": "answer"}
    assert data.negatives == ("what is the weather in Paris", "recommend a pasta recipe")
    assert OUT_OF_SCOPE not in data.labels


def test_csv_without_route_column_routes_every_intent_to_answer(tmp_path: Path) -> None:
    path = write(tmp_path, "intents.csv", "text,intent\nhi there,a\nhello there,a\nbye now,b\nsee you,b\n")

    assert load_intents(path).routes == {"a": "answer", "b": "answer"}


def test_yaml_and_csv_of_the_same_examples_share_a_fingerprint_that_follows_edits(tmp_path: Path) -> None:
    yaml_data = load_intents(write(tmp_path, "intents.yaml", VALID_YAML))
    csv_data = load_intents(write(tmp_path, "intents.csv", VALID_CSV))
    edited = load_intents(write(tmp_path, "edited.yaml", VALID_YAML.replace("route: handoff", "route: answer")))

    assert yaml_data.fingerprint() == csv_data.fingerprint()
    assert edited.fingerprint() != yaml_data.fingerprint()


# -- CSV mistakes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "missing"),
    [("text,label", "intent"), ("question,intent", "text"), ("message,label", "text, intent")],
)
def test_csv_missing_column_names_file_line_one_and_the_column(tmp_path: Path, header: str, missing: str) -> None:
    path = write(tmp_path, "examples.csv", f"{header}\nhello,greeting\nhi,greeting\n")

    err = error_of(path)

    assert err.line == 1
    assert f"missing column(s) {missing}" in str(err)


def test_csv_empty_text_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "examples.csv", "text,intent\nhello,greeting\n  ,greeting\nbye,goodbye\n")

    err = error_of(path)

    assert (err.line, err.field) == (3, "text")
    assert "empty text" in str(err)


def test_csv_empty_intent_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "examples.csv", "text,intent\nhello,greeting\nhi,greeting\nbye,\n")

    err = error_of(path)

    assert (err.line, err.field) == (4, "intent")


def test_csv_intent_with_one_example_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "examples.csv", "text,intent\nhello,greeting\nhi,greeting\nbye,goodbye\nthanks,thanks\nty,thanks\n"
    )

    err = error_of(path)

    assert err.line == 4
    assert "'goodbye' has 1 example" in str(err)
    assert "at least 2" in str(err)


def test_csv_same_text_under_two_intents_names_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "examples.csv",
        "text,intent\nwhere is my refund,refund_status\nrefund please,refund_request\n"
        "I want my money back,refund_request\nWhere is  my REFUND,refund_request\ncheck refund,refund_status\n",
    )

    err = error_of(path)

    assert err.line == 5
    message = str(err)
    assert "'refund_status' (line 2)" in message
    assert "'refund_request'" in message


def test_csv_unknown_route_names_line_field_and_the_known_routes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "examples.csv",
        "text,intent,route\nhello,greeting,smalltalk\nhi,greeting,\nagent please,human,escalate\nperson,human,\n",
    )

    err = error_of(path)

    assert (err.line, err.field) == (4, "route")
    assert "unknown route 'escalate'" in str(err)
    assert "handoff" in str(err)


def test_csv_with_a_single_intent_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "examples.csv", "text,intent\nhello,greeting\nhi,greeting\nweather,out_of_scope\n")

    err = error_of(path)

    assert "found 1 intent(s)" in str(err)
    assert "at least 2" in str(err)


def test_csv_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "examples.csv"
    path.write_bytes("text,intent\ncaf\xe9 menu,food\nmenu,food\n".encode("latin-1"))

    assert "not UTF-8" in str(error_of(path))


@pytest.mark.parametrize("name", ["intents.json", "intents.txt", "intents"])
def test_unknown_file_suffix_is_refused_with_the_known_formats(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, "text,intent\nhello,greeting\nhi,greeting\n")

    err = error_of(path)

    assert "unknown format" in str(err)
    assert ".yaml or .csv" in str(err)


def test_missing_file_is_named(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nowhere.csv")

    assert "no such file" in str(err)
    assert isinstance(err, SupportbotError) and isinstance(err, ValueError)


# -- YAML mistakes -------------------------------------------------------------------------


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "intents.yaml", "intents:\n  a:\n    examples: [one a, two a\n  b:\n    examples: [x]\n")

    err = error_of(path)

    assert err.line == 4
    assert "invalid YAML" in str(err)


def test_yaml_without_intents_key_is_reported_at_line_one(tmp_path: Path) -> None:
    path = write(tmp_path, "intents.yaml", "intent:\n  a:\n    examples: [x, y]\nout_of_scope: [weather]\n")

    err = error_of(path)

    assert (err.line, err.field) == (1, "intents")
    assert "missing 'intents:'" in str(err)


@pytest.mark.parametrize("empty", ['""', "'   '", "", "[]"])
def test_yaml_empty_example_names_its_line_and_intent(tmp_path: Path, empty: str) -> None:
    text = f"intents:\n  greeting:\n    examples:\n      - hello\n      - {empty}\n"
    text += "  goodbye:\n    label: Goodbye\n    examples: [bye, ciao]\n"
    path = write(tmp_path, "intents.yaml", text)

    err = error_of(path)

    assert (err.line, err.field) == (5, "examples")
    assert "'greeting'" in str(err)


def test_yaml_unknown_route_is_reported_at_the_route_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "intents.yaml",
        """\
        intents:
          greeting:
            label: Just saying hello
            route: smalltalk
            examples: [hello, hi]
          human:
            examples: [agent please, a person]
            route: escalate
        """,
    )

    err = error_of(path)

    assert (err.line, err.field) == (8, "route")
    assert "unknown route 'escalate'" in str(err)


def test_yaml_intent_without_example_list_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path, "intents.yaml", "intents:\n  a:\n    label: A\n    examples: [x, y]\n  b:\n    route: answer\n"
    )

    err = error_of(path)

    assert err.field == "examples"
    assert "'b' needs a list of examples" in str(err)


def test_yaml_out_of_scope_that_is_not_a_list_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "intents.yaml",
        "intents:\n  a:\n    label: A\n    examples: [x, y]\n  b:\n    label: B\n    examples: [z, w]\n",
    )
    path.write_text(path.read_text(encoding="utf-8") + "out_of_scope: weather\n", encoding="utf-8")

    err = error_of(path)

    assert err.line == 8
    assert "'out_of_scope' must be a list" in str(err)


def test_yaml_same_example_under_two_intents_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "intents.yaml",
        "intents:\n  a:\n    label: A\n    examples:\n      - reset my key\n      - new key\n  b:\n    label: B\n"
        "    examples:\n      - rotate key\n      - Reset my key\n",
    )

    err = error_of(path)

    assert err.line == 11
    assert "(line 5)" in str(err)


@pytest.mark.parametrize(
    ("entry", "line"),
    [
        ("    examples: [agent please, a person]\n", 5),  # no label: the intent's own line
        ("    label:\n    examples: [agent please, a person]\n", 6),
        ("    label: '  '\n    examples: [agent please, a person]\n", 6),
        ("    label: ~\n    examples: [agent please, a person]\n", 6),
        ("    label: [a, list]\n    examples: [agent please, a person]\n", 6),
    ],
    ids=["missing", "empty", "blank", "null", "not-text"],
)
def test_yaml_intent_without_a_label_names_file_line_and_intent(tmp_path: Path, entry: str, line: int) -> None:
    text = "intents:\n  greeting:\n    label: Just saying hello\n    examples: [hello, hi]\n  human_handoff:\n"
    path = write(tmp_path, "intents.yaml", text + entry)

    err = error_of(path)

    assert (err.line, err.field) == (line, "label")
    assert "'human_handoff'" in str(err)
    assert isinstance(err, SupportbotError) and isinstance(err, ValueError)


def test_a_reworded_label_keeps_the_fingerprint(tmp_path: Path) -> None:
    # Labels are what the customer reads, not what the classifier learns: no retraining for them.
    before = load_intents(write(tmp_path, "intents.yaml", VALID_YAML))
    after = load_intents(write(tmp_path, "edited.yaml", VALID_YAML.replace("Talk to a person", "Speak to our team")))

    assert after.topics["human_handoff"] == "Speak to our team"
    assert after.fingerprint() == before.fingerprint()


def test_csv_has_no_labels(tmp_path: Path) -> None:
    assert load_intents(write(tmp_path, "intents.csv", VALID_CSV)).topics == {}


def test_csv_saved_by_a_spreadsheet_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufefftext,intent\nhello,greeting\nhi,greeting\nbye,goodbye\nsee you,goodbye\n".encode())

    data = load_intents(path)

    assert data.intents == ["goodbye", "greeting"]


def test_text_both_out_of_scope_and_an_example_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "both.csv",
        "text,intent\nhello,greeting\nhi,greeting\nbye,goodbye\nsee you,goodbye\nHello,out_of_scope\n",
    )

    with pytest.raises(KnowledgeError) as err:
        load_intents(path)

    assert err.value.line == 2
    assert "out of scope" in str(err.value) and "greeting" in str(err.value)

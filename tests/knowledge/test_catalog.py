"""The model catalog: the shipped file loads into typed models, and every mistake a support writer
can make in it is reported with the file, the line, the field and the bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import KnowledgeError, SupportbotError
from knowledge import PACKAGE_DIR
from knowledge.catalog import HOSTING_KINDS, REGIONS, TASKS, Model, Price, load_catalog

pytestmark = pytest.mark.unit

# One model, one field per line: line 2 is "- id", and FIELD_LINES gives every other field's line.
FIELDS = {
    "id": "mer-test",
    "name": "Meridian Test",
    "tasks": "[chat, classification]",
    "languages": "[en, de]",
    "hosting": "[cloud, on_prem]",
    "context_tokens": "8000",
    "latency_ms_p50": "120",
    "price": "{amount: 0.40, unit: 1M output tokens}",
    "fine_tunable": "true",
    "regions": "[us-east, eu-west]",
    "strengths": "[fast]",
    "limits": "[four languages only]",
}
FIELD_LINES = {name: i + 2 for i, name in enumerate(FIELDS)}


def entry(**changes: str | None) -> str:
    """A model entry in block YAML; a change of None leaves the field out."""
    values = {**FIELDS, **changes}
    lines = [f"{name}: {value}" for name, value in values.items() if value is not None]
    return "  - " + "\n    ".join(lines) + "\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def rejects(path: Path, line: int | None, field: str | None, *in_message: str) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        load_catalog(path)
    err = info.value
    message = str(err)
    assert (err.path, err.line, err.field) == (str(path), line, field), message
    assert message.startswith(f"{path}:{line}" if line else str(path))
    if field:
        assert f"'{field}'" in message
    for part in in_message:
        assert part in message
    return err


@pytest.fixture(scope="module")
def shipped() -> list[Model]:
    return load_catalog(PACKAGE_DIR / "catalog.yaml")


def test_shipped_catalog_loads_every_model_typed(shipped: list[Model]) -> None:
    assert len(shipped) == 18
    assert len({m.id for m in shipped}) == len(shipped)
    chat_m = next(m for m in shipped if m.id == "mer-chat-m")
    assert chat_m.name == "Meridian Chat Medium"
    assert chat_m.hosting == ("cloud", "vpc", "on_prem")
    assert chat_m.price == Price(amount=2.0, unit="1M output tokens")
    assert str(chat_m.price) == "$2.00 per 1M output tokens"
    assert (chat_m.context_tokens, chat_m.latency_ms_p50, chat_m.fine_tunable) == (32000, 350.0, True)
    assert chat_m.limits[0] == "weaker than Chat Large on multi-step reasoning"


def test_task_constant_is_exactly_the_set_the_shipped_catalog_uses(shipped: list[Model]) -> None:
    assert {t for m in shipped for t in m.tasks} == TASKS
    assert {h for m in shipped for h in m.hosting} == set(HOSTING_KINDS)
    assert {r for m in shipped for r in m.regions} == set(REGIONS)


def test_edge_only_models_have_no_region_and_zero_context_means_no_text_input(shipped: list[Model]) -> None:
    vision_edge = next(m for m in shipped if m.id == "mer-vision-edge")
    assert vision_edge.regions == ()
    assert vision_edge.context_tokens == 0
    assert str(next(m for m in shipped if m.id == "mer-speech").price) == "$0.006 per audio minute"


def test_a_valid_tiny_catalog_reads_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, "models:\n" + entry())

    (model,) = load_catalog(path)

    assert model == Model(
        id="mer-test",
        name="Meridian Test",
        tasks=("chat", "classification"),
        languages=("en", "de"),
        hosting=("cloud", "on_prem"),
        context_tokens=8000,
        latency_ms_p50=120.0,
        price=Price(0.4, "1M output tokens"),
        fine_tunable=True,
        regions=("us-east", "eu-west"),
        strengths=("fast",),
        limits=("four languages only",),
    )


@pytest.mark.parametrize(
    ("changes", "field", "in_message"),
    [
        ({"limits": None}, "limits", ("required",)),
        ({"languages": "[en, EN]"}, "languages", ("'EN'", "ISO 639-1")),
        ({"languages": "[en, eng]"}, "languages", ("'eng'",)),
        ({"languages": "[en, xx]"}, "languages", ("'xx'",)),
        ({"languages": "[en, en]"}, "languages", ("twice",)),
        ({"languages": "[]"}, "languages", ("at least one",)),
        ({"hosting": "[cloud, on-prem]"}, "hosting", ("'on-prem'", "on_prem")),
        ({"tasks": "[chat, chatting]"}, "tasks", ("'chatting'", "known:")),
        ({"tasks": "chat"}, "tasks", ("must be a list", "'chat'")),
        ({"latency_ms_p50": "-5"}, "latency_ms_p50", ("-5",)),
        ({"latency_ms_p50": "0"}, "latency_ms_p50", ("greater than 0", "0")),
        ({"latency_ms_p50": "fast"}, "latency_ms_p50", ("a number", "'fast'")),
        ({"context_tokens": "1.5"}, "context_tokens", ("whole number", "1.5")),
        ({"context_tokens": "-1"}, "context_tokens", ("-1",)),
        ({"fine_tunable": "maybe"}, "fine_tunable", ("true or false", "'maybe'")),
        ({"regions": "[us-east, eu-central]"}, "regions", ("'eu-central'",)),
        ({"regions": "[]"}, "regions", ("cloud model needs at least one region",)),
        ({"hosting": "[edge]"}, "regions", ("only cloud models have regions",)),
        ({"id": "Mer_Test"}, "id", ("'Mer_Test'",)),
        ({"name": "''"}, "name", ("non-empty",)),
        ({"strengths": "[fast, '']"}, "strengths", ("''",)),
        ({"colour": "blue"}, "colour", ("unknown field",)),
    ],
)
def test_each_malformed_field_names_file_line_field_and_value(
    tmp_path: Path, changes: dict[str, str | None], field: str, in_message: tuple[str, ...]
) -> None:
    path = write(tmp_path, "models:\n" + entry(**changes))
    # A missing field points at the start of its model; an unknown one at its own line (after the others).
    line = 2 if changes.get(field, "") is None else FIELD_LINES.get(field, len(FIELDS) + 2)

    rejects(path, line, field, *in_message)


@pytest.mark.parametrize(
    ("price", "field", "in_message"),
    [
        ("{amount: -1, unit: 1M tokens}", "price.amount", ("-1",)),
        ("{amount: 1.0}", "price.unit", ("required",)),
        ("{amount: free, unit: 1M tokens}", "price.amount", ("'free'",)),
        ("{amount: 1, unit: 1M tokens, currency: EUR}", "price", ("'currency'",)),
        ("9.00", "price", ("mapping", "'9.00'")),
    ],
)
def test_malformed_price_names_the_price_field(
    tmp_path: Path, price: str, field: str, in_message: tuple[str, ...]
) -> None:
    path = write(tmp_path, "models:\n" + entry(price=price))

    rejects(path, FIELD_LINES["price"], field, *in_message)


def test_a_bad_item_of_a_block_list_points_at_its_own_line(tmp_path: Path) -> None:
    text = "models:\n" + entry(languages=None) + "    languages:\n      - en\n      - de\n      - German\n"
    path = write(tmp_path, text)

    rejects(path, 16, "languages", "'German'")


def test_a_field_written_twice_in_one_model_is_reported_at_the_second(tmp_path: Path) -> None:
    path = write(tmp_path, "models:\n" + entry() + "    name: Again\n")

    rejects(path, 2 + len(FIELDS), "name", "appears twice")


def test_a_duplicate_id_points_at_the_second_model(tmp_path: Path) -> None:
    path = write(tmp_path, "models:\n" + entry() + entry(name="Other"))

    err = rejects(path, 2 + len(FIELDS), "id", "'mer-test'", "line 2")
    assert isinstance(err, SupportbotError) and isinstance(err, ValueError)


@pytest.mark.parametrize(
    ("text", "line", "field", "in_message"),
    [
        ("", 1, None, "mapping"),
        ("catalog: []\n", 1, "models", "missing 'models:'"),
        ("models: []\n", 1, "models", "non-empty list"),
        ("models:\n  - just a name\n", 2, None, "mapping"),
        ("models:\n  - id: [unclosed\n", 3, None, "invalid YAML"),
    ],
)
def test_malformed_file_structure_is_reported_with_its_line(
    tmp_path: Path, text: str, line: int, field: str | None, in_message: str
) -> None:
    rejects(write(tmp_path, text), line, field, in_message)


def test_a_missing_file_is_reported_with_its_path(tmp_path: Path) -> None:
    rejects(tmp_path / "catalog.yaml", None, None, "no such file")


def test_input_and_training_prices_and_the_cut_off_are_read_when_given(tmp_path: Path) -> None:
    text = "models:\n" + entry(
        input_price="{amount: 0.10, unit: 1M input tokens}",
        training_price="{amount: 1.00, unit: 1M training tokens}",
        knowledge_cutoff='"2025-03"',
    )

    (model,) = load_catalog(write(tmp_path, text))

    assert str(model.input_price) == "$0.10 per 1M input tokens"
    assert str(model.training_price) == "$1.00 per 1M training tokens"
    assert model.knowledge_cutoff == "2025-03"


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"knowledge_cutoff": '"March 2025"'}, "knowledge_cutoff", "YYYY-MM"),
        ({"fine_tunable": "false", "training_price": "{amount: 1.00, unit: 1M training tokens}"}, "training_price",
         "only a fine-tunable model"),
        ({"input_price": "{amount: 0.10}"}, "price", "unit"),
    ],
)  # fmt: skip
def test_a_bad_optional_field_is_named(tmp_path: Path, changes: dict[str, str], field: str, reason: str) -> None:
    with pytest.raises(KnowledgeError, match=reason) as raised:
        load_catalog(write(tmp_path, "models:\n" + entry(**changes)))

    assert raised.value.field is not None and field in raised.value.field


def test_every_shipped_chat_model_has_its_input_price_below_its_output_price(shipped: list[Model]) -> None:
    billed_apart = [m for m in shipped if m.input_price is not None]

    assert {m.id for m in billed_apart} == {"mer-chat-l", "mer-chat-m", "mer-chat-s", "mer-chat-zh", "mer-code"}
    assert all(m.input_price.amount < m.price.amount for m in billed_apart)  # type: ignore[union-attr]

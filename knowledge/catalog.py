"""The model catalog (``catalog.yaml``) the advisor filters and ranks.

``load_catalog`` reads the file with line numbers (``yaml.compose``) and checks every entry:
required fields, types, ISO 639-1 language codes, hosting kinds, task names, regions,
non-negative numbers and unique ids. Every mistake raises ``KnowledgeError`` naming the file,
the line, the field and the bad value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.constructor import SafeConstructor

from knowledge.errors import KnowledgeError
from knowledge.loaders import compose_yaml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_CATALOG = Path(__file__).resolve().parent / "catalog.yaml"
HOSTING_KINDS = ("cloud", "vpc", "on_prem", "edge")
REGIONS = ("us-east", "eu-west", "ap-southeast")
# Every task the shipped catalog uses; a new task name must be added here (and taught to the advisor).
TASKS = frozenset(
    {
        "chat", "text_generation", "summarisation", "classification", "sentiment", "moderation", "translation",
        "code", "embeddings", "search", "clustering", "vision", "image_classification", "ocr", "captioning",
        "object_detection", "speech_to_text", "transcription", "diarisation", "text_to_speech",
    }
)  # fmt: skip
# ISO 639-1 (two-letter language codes), so a typo such as 'dk' for Danish is caught.
_ISO_639_1_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee "
    "el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is "
    "it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms "
    "mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk "
    "sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi "
    "yo za zh zu "
)
ISO_639_1 = frozenset(_ISO_639_1_CODES.split())
FIELDS = (
    "id", "name", "tasks", "languages", "hosting", "context_tokens", "latency_ms_p50", "price", "fine_tunable",
    "regions", "strengths", "limits",
)  # fmt: skip
# Fields a model may have: the price of input tokens where it differs from the headline price, the
# fine-tuning training price, and the month its training data ends.
OPTIONAL = ("input_price", "training_price", "knowledge_cutoff")
CUTOFF = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Price:
    """A list price: ``amount`` USD per ``unit`` (``1M output tokens``, ``audio minute``, ...)."""

    amount: float
    unit: str
    per: str = " per "  # what joins amount and unit: " / " in Chinese

    def __str__(self) -> str:
        return f"${self.amount:,.{3 if self.amount < 0.01 else 2}f}{self.per}{self.unit}"


@dataclass(frozen=True)
class Model:
    """One catalog entry. ``context_tokens`` is 0 for models without text input."""

    id: str
    name: str
    tasks: tuple[str, ...]
    languages: tuple[str, ...]
    hosting: tuple[str, ...]
    context_tokens: int
    latency_ms_p50: float
    price: Price
    fine_tunable: bool
    regions: tuple[str, ...]
    strengths: tuple[str, ...]
    limits: tuple[str, ...]
    input_price: Price | None = None
    training_price: Price | None = None
    knowledge_cutoff: str | None = None  # YYYY-MM


def load_catalog(path: str | Path = DEFAULT_CATALOG) -> list[Model]:
    """The models of the catalog file at ``path``, in file order.

    Raises:
        KnowledgeError: naming the file, the line, the field and the bad value of the first mistake.
    """
    path = Path(path)
    if not path.is_file():
        raise KnowledgeError(path, "no such file")
    root = compose_yaml(path)
    top = _mapping(path, root, "the catalog", line=1)
    if "models" not in top:
        raise KnowledgeError(path, "missing 'models:'", line=1, field="models")
    _, entries = top["models"]
    if not isinstance(entries, yaml.SequenceNode) or not entries.value:
        raise KnowledgeError(path, "must be a non-empty list of models", line=_line(entries), field="models")
    models: list[Model] = []
    seen: dict[str, int] = {}
    for node in entries.value:
        model = _model(path, node)
        if model.id in seen:
            raise KnowledgeError(
                path, f"id {model.id!r} is already used on line {seen[model.id]}", line=_line(node), field="id"
            )
        seen[model.id] = _line(node)
        models.append(model)
    return models


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _mapping(
    path: Path, node: yaml.Node | None, what: str, line: int, field: str | None = None
) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """Key -> (key node, value node); duplicate keys are an error, not a silent override."""
    if not isinstance(node, yaml.MappingNode):
        got = f", got {node.value!r}" if isinstance(node, yaml.ScalarNode) else ""
        raise KnowledgeError(path, f"{what} must be a mapping of fields{got}", _line(node) if node else line, field)
    out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        name = str(key.value)
        if name in out:
            raise KnowledgeError(path, f"appears twice in {what}", line=_line(key), field=name)
        out[name] = (key, value)
    return out


def _value(path: Path, node: yaml.Node, field: str) -> Any:
    try:
        return SafeConstructor().construct_object(node, deep=True)
    except yaml.YAMLError as e:
        raise KnowledgeError(path, f"unreadable value: {getattr(e, 'problem', None) or e}", _line(node), field) from e


def _model(path: Path, node: yaml.Node) -> Model:
    fields = _mapping(path, node, "a model entry", _line(node))
    unknown = sorted(set(fields) - set(FIELDS) - set(OPTIONAL))
    if unknown:
        key = unknown[0]
        known = ", ".join((*FIELDS, *OPTIONAL))
        raise KnowledgeError(path, f"unknown field (known: {known})", _line(fields[key][0]), key)
    missing = [f for f in FIELDS if f not in fields]
    if missing:
        raise KnowledgeError(path, f"is required; this model has no {missing[0]!r}", _line(node), missing[0])
    raw = {name: (_value(path, value, name), value) for name, (_, value) in fields.items()}
    check = _Checker(path, raw)
    model_id = check.text("id")
    if not ID_PATTERN.match(model_id):
        check.fail("id", f"must be lowercase letters, digits and hyphens, got {model_id!r}")
    price_node = fields["price"][1]
    price = _price(path, price_node)
    hosting = check.items("hosting", HOSTING_KINDS)
    regions = check.items("regions", REGIONS, allow_empty=True)
    if ("cloud" in hosting) != bool(regions):
        reason = "a cloud model needs at least one region" if regions == () else "only cloud models have regions"
        check.fail("regions", f"{reason} (hosting {list(hosting)}, regions {list(regions)})")
    optional_prices = {
        name: _price(path, fields[name][1]) for name in ("input_price", "training_price") if name in fields
    }
    cutoff = check.text("knowledge_cutoff") if "knowledge_cutoff" in fields else None
    if cutoff is not None and not CUTOFF.match(cutoff):
        check.fail("knowledge_cutoff", f"must be a month written YYYY-MM, got {cutoff!r}")
    if "training_price" in optional_prices and not check.flag("fine_tunable"):
        check.fail("training_price", "only a fine-tunable model has a training price")
    return Model(
        id=model_id,
        name=check.text("name"),
        tasks=check.items("tasks", TASKS),
        languages=check.languages(),
        hosting=hosting,
        context_tokens=int(check.number("context_tokens", integer=True, minimum=0)),
        latency_ms_p50=check.number("latency_ms_p50", positive=True),
        price=price,
        fine_tunable=check.flag("fine_tunable"),
        regions=regions,
        strengths=check.texts("strengths"),
        limits=check.texts("limits"),
        input_price=optional_prices.get("input_price"),
        training_price=optional_prices.get("training_price"),
        knowledge_cutoff=cutoff,
    )


def _price(path: Path, node: yaml.Node) -> Price:
    fields = _mapping(path, node, "the price ({amount, unit})", _line(node), "price")
    extra = sorted(set(fields) - {"amount", "unit"})
    if extra:
        raise KnowledgeError(path, f"unknown price field {extra[0]!r} (known: amount, unit)", _line(node), "price")
    raw = {name: (_value(path, value, name), value) for name, (_, value) in fields.items()}
    check = _Checker(path, raw, prefix="price.")
    if "amount" not in raw or "unit" not in raw:
        check.fail("amount" if "amount" not in raw else "unit", "is required", line=_line(node))
    return Price(amount=check.number("amount", minimum=0), unit=check.text("unit"))


class _Checker:
    """Typed access to one entry's constructed values; every failure names field, line and value."""

    def __init__(self, path: Path, raw: dict[str, tuple[Any, yaml.Node]], prefix: str = "") -> None:
        self.path, self.raw, self.prefix = path, raw, prefix

    def fail(self, field: str, reason: str, line: int | None = None, item: int | None = None) -> NoReturn:
        """Raise for ``field``; ``item`` points at one element of a list written one per line."""
        if line is None:
            node = self.raw[field][1]
            if item is not None and isinstance(node, yaml.SequenceNode) and item < len(node.value):
                node = node.value[item]
            line = _line(node)
        raise KnowledgeError(self.path, reason, line=line, field=self.prefix + field)

    def text(self, field: str) -> str:
        value = self.raw[field][0]
        if not isinstance(value, str) or not value.strip():
            self.fail(field, f"must be non-empty text, got {value!r}")
        return str(value).strip()

    def number(self, field: str, integer: bool = False, minimum: float = 0, positive: bool = False) -> float:
        value = self.raw[field][0]
        kind = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind):
            self.fail(field, f"must be {'a whole number' if integer else 'a number'}, got {value!r}")
        if value < minimum or (positive and value <= 0):
            self.fail(field, f"must be {'greater than 0' if positive else f'at least {minimum}'}, got {value!r}")
        return float(value)

    def flag(self, field: str) -> bool:
        value = self.raw[field][0]
        if not isinstance(value, bool):
            self.fail(field, f"must be true or false, got {value!r}")
        return bool(value)

    def texts(self, field: str, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.raw[field][0]
        if not isinstance(value, list):
            self.fail(field, f"must be a list of non-empty texts, got {value!r}")
        for i, v in enumerate(value):
            if not isinstance(v, str) or not v.strip():
                self.fail(field, f"must be a list of non-empty texts, got {v!r} in {value!r}", item=i)
        if not value and not allow_empty:
            self.fail(field, "must list at least one item, got []")
        return tuple(v.strip() for v in value)

    def items(self, field: str, known: frozenset[str] | tuple[str, ...], allow_empty: bool = False) -> tuple[str, ...]:
        values = self.texts(field, allow_empty)
        for i, v in enumerate(values):
            if v not in known:
                self.fail(field, f"unknown value {v!r}; known: {', '.join(sorted(known))}", item=i)
        if len(set(values)) != len(values):
            self.fail(field, f"lists a value twice: {list(values)}")
        return values

    def languages(self) -> tuple[str, ...]:
        codes = self.texts("languages")
        for i, code in enumerate(codes):
            if code not in ISO_639_1:  # the set holds only two-lowercase-letter codes
                reason = f"{code!r} is not an ISO 639-1 code (two lowercase letters, such as 'de')"
                self.fail("languages", reason, item=i)
        if len(set(codes)) != len(codes):
            self.fail("languages", f"lists a language twice: {list(codes)}")
        return codes

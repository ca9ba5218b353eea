"""Two catalog models side by side: a plain-text table of their facts and a verdict that says
what each one offers over the other."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.advisor.wording import hosting_short, say, task_name
from bot.errors import InputError
from knowledge.catalog import Model
from knowledge.copy import Copy


@dataclass(frozen=True)
class Comparison:
    """Two models side by side: ``rows`` of (aspect, a, b), the same as plain ``table`` text, and a verdict."""

    a_id: str
    b_id: str
    rows: tuple[tuple[str, str, str], ...]
    table: str
    verdict: str

    @property
    def text(self) -> str:
        return f"{self.table}\n{self.verdict}"


def _by_id(models: Sequence[Model], model_id: str) -> Model:
    for m in models:
        if m.id == model_id:
            return m
    raise InputError(f"unknown model {model_id!r}; known: {', '.join(m.id for m in models)}")


def compare(models: Sequence[Model], a_id: str, b_id: str, copy: Copy) -> Comparison:
    """Models ``a_id`` and ``b_id`` of ``models`` side by side, in the words of ``copy``.

    Raises:
        InputError: an id is not in the catalog (the message lists the known ids), or both are the same.
    """
    a, b = _by_id(models, a_id), _by_id(models, b_id)
    if a.id == b.id:
        raise InputError(f"compare needs two different models, got {a.id!r} twice")
    cells = _cells(copy)
    rows = [("", a.name, b.name)] + [(say(copy, f"compare.rows.{row}"), fmt(a), fmt(b)) for row, fmt in cells]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    table = "\n".join(" | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)
    return Comparison(a.id, b.id, tuple(rows[1:]), table, _verdict(a, b, copy))


def _cells(copy: Copy) -> list[tuple[str, Callable[[Model], str]]]:
    """(row key, how a model's cell reads) for every row of the table, in order."""

    def languages(m: Model) -> str:
        key = "compare.cells.languages_more" if len(m.languages) > 6 else "compare.cells.languages"
        return say(copy, key, count=len(m.languages), codes=", ".join(m.languages[:6]))

    def context(m: Model) -> str:
        if not m.context_tokens:
            return say(copy, "compare.cells.no_context")
        return say(copy, "compare.cells.context", tokens=m.context_tokens)

    return [
        ("tasks", lambda m: ", ".join(task_name(copy, t) for t in m.tasks)),
        ("languages", languages),
        ("hosting", lambda m: ", ".join(hosting_short(copy, h) for h in m.hosting)),
        ("latency", lambda m: say(copy, "compare.cells.latency", latency=m.latency_ms_p50)),
        ("price", lambda m: str(m.price)),
        ("context", context),
        ("fine_tuning", lambda m: say(copy, "compare.cells.yes" if m.fine_tunable else "compare.cells.no")),
    ]


def _advantages(x: Model, y: Model, copy: Copy) -> list[str]:
    """What ``x`` offers over ``y``, as short phrases."""
    out: list[str] = []

    def said(key: str, **fields: object) -> None:
        out.append(say(copy, f"compare.advantages.{key}", **fields))

    if x.latency_ms_p50 < y.latency_ms_p50:
        said("speed", a=x.latency_ms_p50, b=y.latency_ms_p50)
    if x.price.unit == y.price.unit and x.price.amount < y.price.amount:
        said("price", a=x.price.amount, b=y.price.amount, unit=x.price.unit)
    if x.context_tokens > y.context_tokens:
        said("context", a=x.context_tokens, b=y.context_tokens)
    if len(x.languages) > len(y.languages):
        said("languages", a=len(x.languages), b=len(y.languages))
    extra_hosting = [hosting_short(copy, h) for h in x.hosting if h not in y.hosting]
    if extra_hosting:
        said("hosting", kinds=", ".join(extra_hosting))
    if x.fine_tunable and not y.fine_tunable:
        said("fine_tuning")
    extra_tasks = [task_name(copy, t) for t in x.tasks if t not in y.tasks]
    if extra_tasks:
        said("tasks", tasks=", ".join(extra_tasks[:3]))
    return out


def _verdict(a: Model, b: Model, copy: Copy) -> str:
    pros_a, pros_b = _advantages(a, b, copy), _advantages(b, a, copy)
    units = ""
    if a.price.unit != b.price.unit:
        # The note follows the sentence after a space: "... on every row (prices are per ...)."
        units = " " + say(copy, "compare.verdict.units", a=a.price.unit, b=b.price.unit)
    if not pros_b:
        return say(copy, "compare.verdict.beats", better=a.name, other=b.name, units=units)
    if not pros_a:
        return say(copy, "compare.verdict.beats", better=b.name, other=a.name, units=units)
    return say(
        copy, "compare.verdict.choose", a=a.name, pros_a=", ".join(pros_a), b=b.name, pros_b=", ".join(pros_b),
        units=units,
    )  # fmt: skip

"""What a scenario turn may expect of its reply (the ``expect:`` keys), checked when a scenario
loads (``bad_expectation``) and against the reply's JSON when it runs (``check_turn``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.types import Route
from index.language import SUPPORTED
from knowledge.catalog import HOSTING_KINDS, ISO_639_1, TASKS, Model

TEXT_KEYS = ("route", "intent", "flow", "step", "source", "quick_reply", "language")
FLAG_KEYS = ("ticket", "no_sources", "same_ticket")
EXPECT_KEYS = frozenset({*TEXT_KEYS, *FLAG_KEYS, "reply_contains", "recommends", "recommended_all", "recommendations"})
# recommended_all key -> (catalog field, allowed values)
CONSTRAINTS: dict[str, tuple[str, frozenset[str]]] = {
    "languages": ("languages", ISO_639_1),
    "hosting": ("hosting", frozenset(HOSTING_KINDS)),
    "task": ("tasks", TASKS),
}


def _texts(value: Any) -> list[str] | None:
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items] if items and all(isinstance(v, str) and v.strip() for v in items) else None


def bad_expectation(key: str, value: Any) -> str | None:
    """Why ``key: value`` is not a valid expectation, or None."""
    if key not in EXPECT_KEYS:
        return f"unknown expectation (known: {', '.join(sorted(EXPECT_KEYS))})"
    if key in FLAG_KEYS:
        return None if isinstance(value, bool) else f"must be true or false, got {value!r}"
    if key == "recommendations":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else f"must be a count of models (0 or more), got {value!r}"
    if key == "recommended_all":
        if not isinstance(value, dict) or not value:
            return f"must map some of {', '.join(CONSTRAINTS)} to values, got {value!r}"
        for name, wanted in value.items():
            if name not in CONSTRAINTS:
                return f"unknown constraint {name!r} (known: {', '.join(CONSTRAINTS)})"
            values = _texts(wanted)
            if values is None:
                return f"{name} must be a catalog value or a list of them, got {wanted!r}"
            bad = [v for v in values if v not in CONSTRAINTS[name][1]]
            if bad:
                return f"{name}: {bad[0]!r} is not a catalog value"
        return None
    if key == "route" and value not in {r.value for r in Route}:
        return f"unknown route {value!r} (known: {', '.join(r.value for r in Route)})"
    if key == "language" and (not isinstance(value, str) or value not in {lang.value for lang in SUPPORTED}):
        return f"unknown language {value!r} (known: {', '.join(lang.value for lang in SUPPORTED)})"
    multiple = key in ("reply_contains", "recommends")
    ok = _texts(value) is not None if multiple else isinstance(value, str) and bool(value.strip())
    return None if ok else f"must be non-empty text{' or a list of texts' if multiple else ''}, got {value!r}"


def check_turn(
    expect: Mapping[str, Any],
    reply: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    catalog: Sequence[Model],
) -> list[str]:
    """What in ``reply`` (``Reply.to_json()``) breaks ``expect``: one sentence per broken expectation.

    Args:
        expect: the turn's expectations (keys in ``EXPECT_KEYS``).
        reply: the reply's JSON.
        previous: the previous turn's reply JSON, for ``same_ticket``; None on the first turn.
        catalog: the models ``recommended_all`` is checked against.
    """
    flow = reply.get("flow") or {}
    sources = [s["id"] for s in reply.get("sources") or []]
    recommended = [r["model_id"] for r in reply.get("recommendations") or []]
    quick = list(reply.get("quick_replies") or [])
    had = {
        "route": reply.get("route"),
        "intent": reply.get("intent"),
        "flow": flow.get("id"),
        "step": flow.get("step"),
        "language": reply.get("language"),
    }
    out: list[str] = []
    for key, value in expect.items():
        if key in had and had[key] != value:
            got = f"{key} {had[key]!r}" if had[key] is not None else f"no {key}"
            context = f" (route {had['route']!r})" if key != "route" else ""
            out.append(f"expected {key} {value!r}, the reply had {got}{context}")
        elif key == "source" and value not in sources:
            out.append(f"expected source {value!r}, the reply cited {sources or 'none'}")
        elif key == "no_sources" and value != (not sources):
            out.append(f"expected {'no' if value else 'some'} sources, the reply cited {sources or 'none'}")
        elif key == "quick_reply" and value not in quick:
            out.append(f"expected quick reply {value!r}, the reply offered {quick or 'none'}")
        elif key == "ticket" and value != bool(reply.get("ticket")):
            out.append(f"expected {'a' if value else 'no'} ticket, the reply had {reply.get('ticket') or 'none'}")
        elif key == "same_ticket" and value:
            before, now = (previous or {}).get("ticket"), reply.get("ticket")
            if not before:
                out.append(f"expected the previous turn's ticket, but it had none (the reply had {now!r})")
            elif now != before:
                out.append(f"expected the previous turn's ticket {before!r}, the reply had {now!r}")
        elif key == "reply_contains":
            text = str(reply.get("reply", "")).lower()
            for wanted in _texts(value) or []:
                if wanted.lower() not in text:
                    out.append(f"expected the reply to contain {wanted!r}, it said {_excerpt(reply)}")
        elif key == "recommends":
            for model_id in _texts(value) or []:
                if model_id not in recommended:
                    out.append(f"expected {model_id!r} among the recommendations, the reply had {recommended}")
        elif key == "recommendations" and len(recommended) != value:
            out.append(f"expected {value} recommendations, the reply had {len(recommended)}: {recommended}")
        elif key == "recommended_all":
            out.extend(_check_all(value, recommended, catalog))
    return out


def _check_all(constraints: Mapping[str, Any], recommended: list[str], catalog: Sequence[Model]) -> list[str]:
    if not recommended:
        return [f"expected recommendations that all meet {dict(constraints)}, the reply recommended none"]
    by_id = {m.id: m for m in catalog}
    out: list[str] = []
    for model_id in recommended:
        model = by_id.get(model_id)
        if model is None:
            out.append(f"the reply recommended {model_id!r}, which is not in the catalog")
            continue
        for name, wanted in constraints.items():
            attribute = CONSTRAINTS[name][0]
            has: tuple[str, ...] = getattr(model, attribute)
            for value in _texts(wanted) or []:
                if value not in has:
                    lacks = f"{model_id} has {attribute} {list(has)}"
                    out.append(f"expected every recommended model to have {name} {value!r}: {lacks}")
    return out


def _excerpt(reply: Mapping[str, Any], limit: int = 160) -> str:
    text = " ".join(str(reply.get("reply", "")).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

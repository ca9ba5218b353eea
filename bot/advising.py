"""The ``advise`` route in a conversation: ask for missing facts, then recommend or compare.

``bot.advisor`` does the reasoning over the catalog; this module keeps the facts between
turns (as JSON in the conversation state) and writes the replies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

from bot.advisor import Advice, Facts, Recommendation, compare, extract_facts, next_question, recommend, resolve_models
from bot.types import Reply, Route
from knowledge.catalog import Model

COMPARE_WORDS = ("vs", "versus", "compare", "comparison", "difference", "better", "or")


def facts_to_json(facts: Facts) -> dict[str, Any]:
    data = asdict(facts)
    return {
        k: sorted(v) if isinstance(v, frozenset) else list(v) if isinstance(v, tuple) else v for k, v in data.items()
    }


def facts_from_json(data: dict[str, Any] | None) -> Facts:
    if not data:
        return Facts()
    kinds = {f.name: f.type for f in fields(Facts)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in kinds:
            continue
        kind = str(kinds[name])
        if kind.startswith("frozenset"):
            value = frozenset(value or ())
        elif kind.startswith("tuple"):
            value = tuple(value or ())
        values[name] = value
    return Facts(**values)


def _as_json(r: Recommendation) -> dict[str, Any]:
    return {"model_id": r.model_id, "name": r.name, "reasons": list(r.reasons)}


def _model_json(m: Model) -> dict[str, Any]:
    """A catalog model as a recommendation, its strengths as the reasons."""
    return {"model_id": m.id, "name": m.name, "reasons": list(m.strengths[:2])}


MORE = ("Help me choose a model", "Pricing")


def _advise_reply(
    conversation_id: str,
    text: str,
    intent: str | None,
    recommendations: tuple[dict[str, Any], ...] = (),
    quick_replies: tuple[str, ...] = MORE,
) -> Reply:
    return Reply(
        reply=text,
        route=Route.ADVISE,
        conversation_id=conversation_id,
        intent=intent,
        confidence=1.0,
        recommendations=recommendations,
        quick_replies=quick_replies,
    )


def _advice_text(advice: Advice) -> str:
    if advice.fits:
        lines = [advice.message] if advice.message else []
        for n, r in enumerate(advice.recommendations, start=1):
            why = "; ".join(r.reasons[:3])
            lines.append(f"{n}. **{r.name}** (`{r.model_id}`): {why}. Trade-off: {r.tradeoff}.")
        return "\n".join(lines)
    lines = [advice.message or "No model in our catalog meets all of that."]
    for r in advice.closest:
        misses = "; ".join(r.violations) or "close, but not a full fit"
        lines.append(f"- **{r.name}** (`{r.model_id}`) comes closest, but {misses}.")
    return "\n".join(lines)


def advice_reply(conversation_id: str, models: Sequence[Model], facts: Facts, intent: str | None) -> Reply:
    """Up to three models for ``facts``, each with its reasons and trade-off."""
    advice = recommend(models, facts)
    shown = advice.recommendations if advice.fits else advice.closest
    compare_offer = [f"Compare {shown[0].name} and {shown[1].name}"] if len(shown) >= 2 else []
    return _advise_reply(
        conversation_id, _advice_text(advice), intent, tuple(_as_json(r) for r in shown), (*compare_offer, "Pricing")
    )


def comparison_reply(conversation_id: str, models: Sequence[Model], a: str, b: str, intent: str | None) -> Reply:
    by_id = {m.id: m for m in models}
    return _advise_reply(
        conversation_id, compare(models, a, b).text, intent, (_model_json(by_id[a]), _model_json(by_id[b]))
    )


def advise(
    conversation_id: str,
    text: str,
    models: Sequence[Model],
    known: dict[str, Any] | None,
    asked: int,
    answering: str | None,
    intent: str | None,
) -> tuple[Reply, dict[str, Any], dict[str, Any] | None]:
    """One advisor turn.

    Returns the reply, the facts known after it, and the advisor's pending question
    (``{slot, asked}``) or None when it answered.
    """
    facts = extract_facts(text, facts_from_json(known), models=models, answering=answering)
    named = resolve_models(text, models)
    if len(named) >= 2 and (intent == "model_comparison" or any(w in text.lower().split() for w in COMPARE_WORDS)):
        return comparison_reply(conversation_id, models, named[0], named[1], intent), facts_to_json(facts), None
    question = next_question(facts, asked, models)
    if question is not None:
        reply = _advise_reply(conversation_id, question.text, intent, quick_replies=question.quick_replies)
        return reply, facts_to_json(facts), {"slot": question.slot, "asked": asked + 1}
    return advice_reply(conversation_id, models, facts, intent), facts_to_json(facts), None


# -- questions about one model ------------------------------------------------------------------

OVERVIEW = ("price", "latency", "hosting", "languages")
ASPECTS = {
    "price": re.compile(r"\b(how much|price|pricing|costs?|expensive|cheap(er|est)?)\b", re.I),
    "latency": re.compile(r"\b(fast(er|est)?|slow(er|est)?|latency|speed|quick(er|est)?)\b", re.I),
    "languages": re.compile(r"\b(language|languages|speak|support .*(chinese|german|french|japanese))\b", re.I),
    "context": re.compile(r"\b(context|tokens? long|how long a prompt|window)\b", re.I),
    "hosting": re.compile(r"\b(on.?prem|vpc|edge|host|hosting|self.?host|run it)\b", re.I),
    "fine_tuning": re.compile(r"\b(fine.?tun\w*)\b", re.I),
}
REFERS = re.compile(
    r"\b(that one|this one|that model|this model|it|the first one|the second one|the other one)\b", re.I
)


def model_in_question(text: str, models: Sequence[Model], last_models: Sequence[str]) -> Model | None:
    """The model a short question is about: one it names, or the one last recommended when it
    refers back ("how much is that one?"; "the second one" is the second recommended)."""
    by_id = {m.id: m for m in models}
    named = resolve_models(text, models)
    if named:
        return by_id.get(named[0])
    if last_models and REFERS.search(text):
        index = 1 if re.search(r"\bsecond\b", text, re.I) else 2 if re.search(r"\bthird\b", text, re.I) else 0
        return by_id.get(last_models[min(index, len(last_models) - 1)])
    return None


def asks_a_fact(text: str) -> bool:
    """Whether ``text`` asks for one of the catalog facts ``model_fact_reply`` answers."""
    return any(pattern.search(text) for pattern in ASPECTS.values())


def model_fact_reply(
    conversation_id: str, text: str, model: Model, intent: str | None, named: bool = False
) -> Reply | None:
    """A catalog fact about ``model`` when ``text`` asks for one (price, latency, languages...);
    an overview when the text names the model without asking anything in particular."""
    asked = [aspect for aspect, pattern in ASPECTS.items() if pattern.search(text)]
    if not asked and named:
        asked = list(OVERVIEW)
    if not asked:
        return None
    facts = {
        "price": f"costs {model.price}",
        "latency": f"answers in about {model.latency_ms_p50:g} ms (p50)",
        "languages": f"works in {len(model.languages)} languages ({', '.join(model.languages)})",
        "context": f"takes up to {model.context_tokens:,} tokens of context",
        "hosting": f"runs {', '.join(h.replace('_', '-') for h in model.hosting)}",
        "fine_tuning": "can be fine-tuned" if model.fine_tunable else "cannot be fine-tuned",
    }
    said = "; it ".join(facts[a] for a in asked)
    limit = model.limits[0] if model.limits else "none listed"
    answer = f"**{model.name}** (`{model.id}`) {said}. Its main limit: {limit}."
    return _advise_reply(conversation_id, answer, intent, (_model_json(model),))


WHICH_ONE = re.compile(r"\bwhich (one|of (them|the two|these|those))\b|\bwhich is\b", re.I)
BEST = {
    "price": ("is cheaper", lambda m: m.price.amount, min),
    "latency": ("is faster", lambda m: m.latency_ms_p50, min),
    "context": ("takes longer prompts", lambda m: m.context_tokens, max),
    "languages": ("covers more languages", lambda m: len(m.languages), max),
}


def which_one_reply(
    conversation_id: str, text: str, models: Sequence[Model], last_models: Sequence[str], intent: str | None
) -> Reply | None:
    """ "Which one is cheaper?" after two or more models were shown: the answer among those models."""
    if len(last_models) < 2 or not WHICH_ONE.search(text):
        return None
    aspect = next((a for a, pattern in ASPECTS.items() if a in BEST and pattern.search(text)), None)
    if aspect is None:
        return None
    by_id = {m.id: m for m in models}
    shown = [by_id[i] for i in last_models if i in by_id]
    word, value, pick = BEST[aspect]
    if aspect == "price" and len({m.price.unit for m in shown}) > 1:
        prices = "; ".join(f"{m.name}: {m.price}" for m in shown)
        text_out = f"They are priced in different units, so there is no straight answer: {prices}."
        best = shown
    else:
        winner = pick(shown, key=value)
        details = "; ".join(f"{m.name}: {_aspect_value(aspect, m)}" for m in shown)
        text_out = f"**{winner.name}** {word} ({details})."
        best = [winner]
    return _advise_reply(conversation_id, text_out, intent, tuple(_model_json(m) for m in best))


def _aspect_value(aspect: str, m: Model) -> str:
    return {
        "price": str(m.price),
        "latency": f"{m.latency_ms_p50:g} ms p50",
        "context": f"{m.context_tokens:,} tokens",
        "languages": f"{len(m.languages)} languages",
    }[aspect]

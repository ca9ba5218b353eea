"""The advisor's replies in a conversation: ask for missing facts, recommend, compare, and answer
short questions about one model or about the models just shown.

Every sentence comes from the ``advisor.`` section of ``assistant.yaml`` (the ``copy`` argument).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from bot.advisor.compare import compare
from bot.advisor.facts import Facts, extract_facts, facts_from_json, facts_to_json
from bot.advisor.names import resolve_models
from bot.advisor.questions import assume, next_question
from bot.advisor.ranking import Advice, Recommendation, Weights, recommend
from bot.advisor.vocabulary import ASPECTS, COMPARE_WORDS, COMPARES, WHICH_ONE
from bot.advisor.wording import options, say
from bot.types import Reply, Route
from index.language import has_han
from knowledge.catalog import Model
from knowledge.copy import Copy


def _as_json(r: Recommendation) -> dict[str, Any]:
    return {"model_id": r.model_id, "name": r.name, "reasons": list(r.reasons)}


def _model_json(m: Model) -> dict[str, Any]:
    """A catalog model as a recommendation, its strengths as the reasons."""
    return {"model_id": m.id, "name": m.name, "reasons": list(m.strengths[:2])}


def _advise_reply(
    conversation_id: str,
    text: str,
    intent: str | None,
    copy: Copy,
    recommendations: tuple[dict[str, Any], ...] = (),
    quick_replies: tuple[str, ...] | None = None,
) -> Reply:
    return Reply(
        reply=text,
        route=Route.ADVISE,
        conversation_id=conversation_id,
        intent=intent,
        confidence=1.0,
        recommendations=recommendations,
        quick_replies=options(copy, "quick_replies.more") if quick_replies is None else quick_replies,
    )


def _advice_text(advice: Advice, copy: Copy) -> str:
    if advice.fits:
        lines = [advice.message] if advice.message else []
        for n, r in enumerate(advice.recommendations, start=1):
            why = "; ".join(r.reasons[:3])
            fields = {"number": n, "name": r.name, "model_id": r.model_id, "reasons": why, "tradeoff": r.tradeoff}
            lines.append(say(copy, "advice.recommendation", **fields))
        return "\n".join(lines)
    lines = [advice.message or say(copy, "advice.nothing_fits_short")]
    for r in advice.closest:
        misses = "; ".join(r.violations) or say(copy, "advice.close_but")
        lines.append(say(copy, "advice.closest", name=r.name, model_id=r.model_id, misses=misses))
    return "\n".join(lines)


def advice_reply(
    conversation_id: str,
    models: Sequence[Model],
    facts: Facts,
    intent: str | None,
    *,
    weights: Weights,
    copy: Copy,
    language: str | None = None,
) -> Reply:
    """Up to three models for ``facts``, each with its reasons and trade-off, ranked with ``weights``.

    With ``language`` (the conversation's), what the customer did not say about language and
    hosting is assumed (``assume``): the reply names the assumptions and offers a quick reply for
    each other choice, so one tap changes them."""
    assumed = assume(facts, language, models, copy) if language else None
    advice = recommend(models, assumed.facts if assumed else facts, weights=weights, copy=copy)
    shown = advice.recommendations if advice.fits else advice.closest
    compare_offer = [say(copy, "quick_replies.compare", a=shown[0].name, b=shown[1].name)] if len(shown) >= 2 else []
    text = _advice_text(advice, copy)
    changes: tuple[str, ...] = ()
    if assumed is not None and assumed.said:
        text = f"{text}\n{say(copy, 'advice.assumed', assumptions=', '.join(assumed.said))}"
        changes = assumed.changes
    return _advise_reply(
        conversation_id,
        text,
        intent,
        copy,
        tuple(_as_json(r) for r in shown),
        (*compare_offer, *changes, *options(copy, "quick_replies.after_advice")),
    )


def comparison_reply(
    conversation_id: str, models: Sequence[Model], a: str, b: str, intent: str | None, *, copy: Copy
) -> Reply:
    """Models ``a`` and ``b`` side by side, both as recommendations."""
    by_id = {m.id: m for m in models}
    text = compare(models, a, b, copy).text
    return _advise_reply(conversation_id, text, intent, copy, (_model_json(by_id[a]), _model_json(by_id[b])))


def advise(
    conversation_id: str,
    text: str,
    models: Sequence[Model],
    known: dict[str, Any] | None,
    asked: int,
    answering: str | None,
    intent: str | None,
    *,
    weights: Weights,
    copy: Copy,
    language: str | None = None,
) -> tuple[Reply, dict[str, Any], dict[str, Any] | None]:
    """One advisor turn; ``language`` is the conversation's, assumed when the customer names none.

    Returns the reply, the facts known after it, and the advisor's pending question
    (``{slot, asked}``) or None when it answered.
    """
    facts = extract_facts(text, facts_from_json(known), models=models, answering=answering)
    named = resolve_models(text, models)
    # Chinese puts no spaces around 对比 or 区别: the words are searched, not split out.
    chinese_compare = has_han(text) and COMPARES.search(text) is not None
    asks_to_compare = chinese_compare or any(w in text.lower().split() for w in COMPARE_WORDS)
    if len(named) >= 2 and (intent == "model_comparison" or asks_to_compare):
        reply = comparison_reply(conversation_id, models, named[0], named[1], intent, copy=copy)
        return reply, facts_to_json(facts), None
    question = next_question(facts, asked, models, copy)
    if question is not None and question.slot == answering == "priority":
        question = None  # the customer said something else instead: recommend rather than ask again
    if question is not None:
        reply = _advise_reply(conversation_id, question.text, intent, copy, quick_replies=question.quick_replies)
        return reply, facts_to_json(facts), {"slot": question.slot, "asked": asked + 1}
    reply = advice_reply(conversation_id, models, facts, intent, weights=weights, copy=copy, language=language)
    # Once models are shown, a change of one fact ("On-premises") re-ranks them without a question.
    return reply, facts_to_json(replace(facts, settled=facts.settled | {"priority"})), None


# -- questions about one model ------------------------------------------------------------------

OVERVIEW = ("price", "latency", "hosting", "languages")


def model_fact_reply(
    conversation_id: str, text: str, model: Model, intent: str | None, named: bool = False, *, copy: Copy
) -> Reply | None:
    """A catalog fact about ``model`` when ``text`` asks for one (price, latency, languages...);
    an overview when the text names the model without asking anything in particular."""
    asked = [aspect for aspect, pattern in ASPECTS.items() if pattern.search(text)]
    if not asked and named:
        asked = list(OVERVIEW)
    if not asked:
        return None
    kinds = ", ".join(
        say(copy, f"model_facts.kinds.{h}") if copy.has(f"advisor.model_facts.kinds.{h}") else h.replace("_", "-")
        for h in model.hosting
    )
    facts: dict[str, dict[str, object]] = {
        "price": {"price": _price_text(model, copy)},
        "latency": {"latency": model.latency_ms_p50},
        "languages": {"count": len(model.languages), "codes": ", ".join(model.languages)},
        "context": {"tokens": model.context_tokens},
        "hosting": {"kinds": kinds},
        "fine_tuning": {},
    }
    fine_tuning = "model_facts.fine_tunable" if model.fine_tunable else "model_facts.not_fine_tunable"
    said = [say(copy, fine_tuning if a == "fine_tuning" else f"model_facts.{a}", **facts[a]) for a in asked]
    joined = "; ".join([said[0], *(say(copy, "model_facts.more", fact=fact) for fact in said[1:])])
    limit = model.limits[0] if model.limits else say(copy, "model_facts.no_limit")
    answer = say(copy, "model_facts.answer", name=model.name, model_id=model.id, facts=joined, limit=limit)
    return _advise_reply(conversation_id, answer, intent, copy, (_model_json(model),))


def _price_text(model: Model, copy: Copy) -> str:
    """The model's list price, and its input-token price where input is billed apart."""
    if model.input_price is None:
        return str(model.price)
    return f"{model.price} {say(copy, 'model_facts.input_price', price=str(model.input_price))}"


# aspect -> (a model's value, which value wins)
BEST: dict[str, tuple[Callable[[Model], float], Callable[..., Model]]] = {
    "price": (lambda m: m.price.amount, min),
    "latency": (lambda m: m.latency_ms_p50, min),
    "context": (lambda m: m.context_tokens, max),
    "languages": (lambda m: len(m.languages), max),
}


def which_one_reply(
    conversation_id: str,
    text: str,
    models: Sequence[Model],
    last_models: Sequence[str],
    intent: str | None,
    *,
    copy: Copy,
) -> Reply | None:
    """ "Which one is cheaper?" after two or more models were shown: the answer among those models."""
    if len(last_models) < 2 or not WHICH_ONE.search(text):
        return None
    aspect = next((a for a, pattern in ASPECTS.items() if a in BEST and pattern.search(text)), None)
    if aspect is None:
        return None
    by_id = {m.id: m for m in models}
    shown = [by_id[i] for i in last_models if i in by_id]
    value, pick = BEST[aspect]
    if aspect == "price" and len({m.price.unit for m in shown}) > 1:
        prices = "; ".join(say(copy, "which_one.detail", name=m.name, value=str(m.price)) for m in shown)
        text_out = say(copy, "which_one.units_differ", prices=prices)
        best = shown
    else:
        winner = pick(shown, key=value)
        details = "; ".join(
            say(copy, "which_one.detail", name=m.name, value=_aspect_value(aspect, m, copy)) for m in shown
        )
        text_out = say(copy, f"which_one.{aspect}", name=winner.name, details=details)
        best = [winner]
    return _advise_reply(conversation_id, text_out, intent, copy, tuple(_model_json(m) for m in best))


def _aspect_value(aspect: str, m: Model, copy: Copy) -> str:
    if aspect == "price":
        return str(m.price)
    if aspect == "latency":
        return say(copy, "which_one.values.latency", latency=m.latency_ms_p50)
    if aspect == "context":
        return say(copy, "which_one.values.context", tokens=m.context_tokens)
    return say(copy, "which_one.values.languages", count=len(m.languages))

"""The ``advise`` route: the customer wants help choosing or comparing models.

The model advisor (``bot.advisor``) asks for what it needs to know, recommends and compares
models from the catalog, and answers short questions about one model or about the models it
just showed. Without a catalog (an imported FAQ), the knowledge base's guidance on choosing a
model is cited instead.
"""

from __future__ import annotations

from bot.advisor import advise, model_fact_reply, which_one_reply
from bot.advisor.facts import facts_from_json, facts_to_json
from bot.handlers.answer import grounded_reply
from bot.handlers.base import Outcome, Turn, after_reply, register
from bot.state import AdvisorProgress
from bot.types import Action, Route

COPY_KEYS = ("answers.advise_lead",)


@register(Route.ADVISE)
def run(turn: Turn) -> Outcome:
    """The advisor's reply to the message, or the knowledge base's guidance when there is no catalog."""
    action = turn.decision.action
    if action is Action.ADVISOR:
        return _advisor(turn)
    if action in (Action.WHICH_ONE, Action.MODEL_FACT):
        return _about_models(turn)
    reply = grounded_reply(turn, lead=turn.parts.copy.say("answers.advise_lead"))
    return Outcome(reply, after_reply(turn, reply))


def _about_models(turn: Turn) -> Outcome:
    """Which of the models just shown wins on an aspect, or a catalog fact about one model."""
    d, parts, state = turn.decision, turn.parts, turn.state
    if d.action is Action.WHICH_ONE:
        reply = which_one_reply(
            turn.conversation_id, turn.text, parts.catalog, state.last_models, d.intent, copy=parts.copy
        )
        models = state.last_models
    else:
        model = next(m for m in parts.catalog if m.id == d.model_id)
        reply = model_fact_reply(turn.conversation_id, turn.text, model, d.intent, d.overview, copy=parts.copy)
        models = (model.id,)
    if reply is None:
        raise LookupError(f"routing chose {d.action.value} for {turn.text!r}, which the advisor does not answer")
    return Outcome(reply, turn.carried(fallbacks=0, last_models=models))


def _advisor(turn: Turn) -> Outcome:
    """One advisor turn: a question for a missing fact, recommendations or a comparison."""
    d, parts, state = turn.decision, turn.parts, turn.state
    pending = state.advisor
    reply, facts, question = advise(
        turn.conversation_id,
        turn.text,
        parts.catalog,
        facts_to_json(state.facts) if state.facts is not None else None,
        pending.asked if pending is not None else 0,
        pending.slot if pending is not None else None,
        d.intent,
        weights=parts.settings.advisor_weights,
        copy=parts.copy,
        language=state.language,
    )
    shown = tuple(r["model_id"] for r in reply.recommendations)
    return Outcome(
        reply,
        turn.carried(
            facts=facts_from_json(facts),
            advisor=AdvisorProgress.from_json(question) if question is not None else None,
            fallbacks=0,
            last_models=shown or state.last_models,
            last_intent=reply.intent or state.last_intent,
        ),
    )

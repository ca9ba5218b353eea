"""The ``troubleshoot`` route: something fails. A troubleshooting flow walks the customer through
the checks one step at a time; a failure no flow covers gets the knowledge base's usual cause and fix."""

from __future__ import annotations

from bot.flows import OutcomeKind, StepView, start
from bot.handlers.answer import grounded_reply
from bot.handlers.base import Outcome, Turn, after_reply, register
from bot.state import FlowProgress
from bot.types import Action, Reply, Route, Source

COPY_KEYS = (
    "flows.start", "flows.again", "flows.fixed", "flows.unresolved",
    "menus.after_fix", "menus.person_offer", "answers.troubleshoot_lead",
)  # fmt: skip


@register(Route.TROUBLESHOOT)
def run(turn: Turn) -> Outcome:
    """Start the flow routing chose, take the customer's answer to the running one, or cite the fix."""
    if turn.decision.action is Action.START_FLOW:
        return _start(turn)
    if turn.decision.action is Action.CONTINUE_FLOW:
        return _continue(turn)
    reply = grounded_reply(turn, lead=turn.parts.copy.say("answers.troubleshoot_lead"))
    return Outcome(reply, after_reply(turn, reply))


def _start(turn: Turn) -> Outcome:
    flows, d = turn.parts.flows, turn.decision
    flow = flows.get(d.flow_id) if flows is not None and d.flow_id is not None else None
    if flow is None:
        raise LookupError(f"routing chose flow {d.flow_id!r}, which the loaded flows do not have")
    first = start(flow)
    state = turn.carried(fallbacks=0, last_intent=d.intent, flow=FlowProgress(flow.id, first.step_id))
    return Outcome(_step_reply(turn, first, turn.parts.copy.say("flows.start")), state)


def _continue(turn: Turn) -> Outcome:
    """The next step, the end of the flow (fixed, or out of steps: a person is offered), or the
    same step again when the answer matched none of its options."""
    d, copy = turn.decision, turn.parts.copy
    step, flow_id = d.step, d.flow_id
    assert step is not None and flow_id is not None, "a continued flow needs the step routing applied"
    if step.kind is OutcomeKind.STEP:
        assert step.view is not None
        progress = FlowProgress(flow_id, step.view.step_id, step.path)
        return Outcome(_step_reply(turn, step.view), turn.carried(flow=progress))
    if step.kind is OutcomeKind.UNCLEAR:
        assert step.view is not None
        view = step.view
        person = copy.options("menus.person_offer")[0]
        again = StepView(view.flow_id, view.step_id, view.text, view.article, (*view.quick_replies, person))
        return Outcome(_step_reply(turn, again, copy.say("flows.again")), turn.carried())
    end = "fixed" if step.kind is OutcomeKind.FIXED else "unresolved"
    tried = (*turn.state.tried, f"{flow_id}: {' > '.join(step.path)} > {end}")
    reply = Reply(
        reply=copy.say(f"flows.{end}"),
        route=Route.TROUBLESHOOT,
        conversation_id=turn.conversation_id,
        intent=d.intent,
        confidence=1.0,
        quick_replies=copy.options("menus.after_fix" if end == "fixed" else "menus.person_offer"),
        flow={"id": flow_id, "step": end},
    )
    if end == "fixed":
        return Outcome(reply, turn.carried(flow=None, tried=tried))
    # Out of steps: the flow stays (its path goes on the ticket) and a person is offered.
    progress = FlowProgress(flow_id, end, step.path)
    return Outcome(reply, turn.carried(flow=progress, tried=tried, offered_person="flow_unresolved"))


def _step_reply(turn: Turn, step: StepView, lead: str = "") -> Reply:
    """One step of a flow: the advice, the article behind it, the answers as quick replies."""
    return Reply(
        reply=f"{lead} {step.text}" if lead else step.text,
        route=Route.TROUBLESHOOT,
        conversation_id=turn.conversation_id,
        intent=turn.decision.intent,
        confidence=1.0,
        sources=_article(turn, step.article),
        quick_replies=step.quick_replies,
        flow={"id": step.flow_id, "step": step.step_id},
    )


def _article(turn: Turn, doc_id: str | None) -> tuple[Source, ...]:
    retriever = turn.parts.retriever
    doc = retriever.doc(doc_id) if doc_id is not None and retriever is not None else None
    return () if doc is None else (Source(id=doc.id, title=doc.title, score=1.0, url=doc.url),)

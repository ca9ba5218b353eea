"""Step 4 of a turn: the one ordered policy that chooses the route of a message.

``route`` reads the message on its own first (``reading``: small talk, then the intent
classifier and retrieval), then asks the rules of ``RULES`` in order; the first that decides
wins. A rule writes no reply and changes no state: it returns a ``Decision`` with what the
route's handler needs, or None to let the next rule decide.

The reading combines two signals. The intent classifier says what kind of message it is
(small talk, a request for a person, a failure, a question) and whether it is out of
scope; retrieval says whether the knowledge base holds an answer. An in-scope intent
routing trusts (see ``trusted``) lowers the retrieval confidence needed to answer
(``intent_answer_threshold``); any other message is answered only when retrieval alone is
sure (``answer_threshold``). Two intents of different routes about equally likely
(``clarify_margin``) lead to a question. What a message says in so many words (a person asked
for, an error to explain, another provider's product) comes from ``bot.signals``. Thresholds
come from settings; the only numbers here are word counts that tell a short follow-up from a
new question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.advisor import asks_a_fact, model_in_question
from bot.signals import MODEL_NAMED, asks_advice, asks_for_person, explains, outside_the_product, reports_failure
from bot.situation import AFFIRMATIVE, NEGATIVE, NEW_TOPIC, PERSISTS, Situation
from bot.state import Status
from bot.types import Action, Decision, Route

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.intents.types import Prediction
    from bot.startup import Parts
    from bot.state import ConversationState
    from bot.understanding import Understanding
    from index.types import Hit

ELLIPTIC_WORDS = 5  # "and on the Enterprise plan?": too short to be a new question, whatever retrieval finds
OVERVIEW_WORDS = 4  # "and chat small?" asks for an overview of the model; a longer message asks something else
# Routes whose reply is drawn from the knowledge base and so needs a retrieval hit.
GROUNDED = frozenset({Route.ANSWER, Route.TROUBLESHOOT, Route.ADVISE})


def route(understood: Understanding, state: ConversationState, parts: Parts) -> Decision:
    """The route of one message in a conversation in ``state``: the first rule of ``RULES`` that decides."""
    situation = Situation(understood, state, parts, reading(understood, parts.settings, parts.routes))
    for rule in RULES:
        decision = rule(situation)
        if decision is not None:
            return decision
    raise AssertionError("the last rule always decides")


# -- the rules, in the order they are asked -------------------------------------------------------------


def quiet_while_handed_over(s: Situation) -> Decision | None:
    """A person from the support team has the conversation: the assistant only confirms receipt."""
    if s.state.status is Status.HANDOFF:
        return Decision(Route.HANDOFF, None, 0.0, action=Action.QUIET)
    return None


def pending_offer_of_a_person(s: Situation) -> Decision | None:
    """Yes or no to the person offered last turn (any other message settles the offer and goes on to
    the next rules); the offer's "yes" quick reply hands over whenever it is clicked."""
    offered = s.state.offered_person
    if offered is not None:
        if AFFIRMATIVE.match(s.text) or PERSISTS.search(s.text):  # "no, still broken" wants the person
            return _hand_over(offered, s.state.last_intent)
        if NEGATIVE.match(s.text):
            return Decision(Route.SMALLTALK, None, 0.0, action=Action.DECLINE_PERSON)
    if s.text.lower() == s.parts.copy.options("menus.person_offer")[0].lower():
        return _hand_over("asked", s.state.last_intent)
    return None


def running_flow(s: Situation) -> Decision | None:
    """The customer's answer to the running flow's step, unless the message leaves the flow
    (``Situation.flow_left``) or may not answer it (a request for a person)."""
    step, progress = s.flow_step, s.state.flow
    if step is None or progress is None or s.flow_left:
        return None
    return Decision(
        Route.TROUBLESHOOT, s.state.last_intent, 1.0, action=Action.CONTINUE_FLOW, flow_id=progress.flow_id, step=step
    )


def handoff(s: Situation) -> Decision | None:
    """The customer asks for a person, or is clearly frustrated (the complaint intent)."""
    if s.reading.route is not Route.HANDOFF:
        return None
    return replace(s.reading, confidence=1.0, closes_flow=s.flow_left)


def model_question(s: Situation) -> Decision | None:
    """A short question about the models just shown ("which one is cheaper?") or about one model
    ("how much is chat small?", "and that one?"). Naming a model is only answered with its
    facts when a fact is asked or the message follows up."""
    if not s.parts.catalog or s.words > s.parts.settings.model_question_words:
        return None
    intent = s.reading.intent
    if s.asks_which_one:
        return Decision(Route.ADVISE, intent, 1.0, action=Action.WHICH_ONE, closes_flow=s.flow_left)
    asks_fact = asks_a_fact(s.text)
    model = model_in_question(s.text, s.parts.catalog, s.state.last_models) if asks_fact or s.follows_up else None
    if model is None:
        return None
    named = s.follows_up and model.id not in s.state.last_models[:1] and s.words <= OVERVIEW_WORDS
    if not (asks_fact or named):
        return None
    return Decision(
        Route.ADVISE, intent, 1.0, action=Action.MODEL_FACT, model_id=model.id, overview=named, closes_flow=s.flow_left
    )


def advisor(s: Situation) -> Decision | None:
    """The advisor's turn: for a message the classifier sent to the advisor, an answer to the
    advisor's open question, a fallback or a follow-up that states a model need."""
    r = s.reading
    wants_advice = (
        r.route in (Route.ADVISE, Route.FALLBACK) or s.follows_up_on_models or s.refines_models or s.asks_to_choose
    )
    if not s.parts.catalog or (s.state.advisor is None and not wants_advice) or outside_the_product(s.text):
        return None
    if r.route is not Route.ADVISE and not s.asks_to_choose:
        if s.state.advisor is None and not s.states_a_need:
            return None  # not about choosing a model after all
        if s.adds_nothing:
            return None  # neither an answer to the question nor a follow-up
    intent = r.intent if r.route is Route.ADVISE else "model_selection"
    return Decision(Route.ADVISE, intent, 1.0, action=Action.ADVISOR, closes_flow=s.flow_left)


def topic_follow_up(s: Situation) -> Decision | None:
    """A short follow-up about the article just answered from ("and on the Enterprise plan?",
    "那企业版呢"): answered from that article's best section for it, unless the message alone
    points for sure at another article."""
    topic, hits, r = s.state.last_topic, s.understood.hits, s.reading
    if topic is None or r.route is Route.SMALLTALK or r.reason == "asked" or s.state.last_models:
        return None
    limit = s.parts.settings.follow_up_words
    if not ((s.follows_up and s.words <= limit) or (s.points_back and s.words <= 2 * limit)):
        return None
    if NEW_TOPIC.search(s.text) or s.asks_to_choose:
        return None  # "另外 要在手机上离线做目标检测 用哪个模型" starts something new
    # "what about Growth?" is too short to be a new question; a longer follow-up may be one.
    elliptic = s.words <= ELLIPTIC_WORDS or s.points_back
    elsewhere = hits and hits[0].doc_id != topic and retrieval_confidence(hits) >= s.parts.settings.answer_threshold
    if elsewhere and not elliptic:
        return None
    return Decision(Route.ANSWER, s.state.last_intent, 1.0, action=Action.TOPIC, closes_flow=s.flow_left)


def detected_failure(s: Situation) -> Decision | None:
    """A failure report starts its troubleshooting flow: the flow of an error pasted into the message
    first (more specific than the intent), else the intent's. An answer stands unless its intent is
    a failure, and a message the classifier put out of scope outright gets no flow (another
    provider's 429 is not ours to fix)."""
    flows, r, p = s.parts.flows, s.reading, s.understood.prediction
    if flows is None or (p is not None and p.negative) or explains(s.text) or outside_the_product(s.text):
        return None
    flow = None
    if r.route in (Route.TROUBLESHOOT, Route.FALLBACK) or (
        r.route is Route.ANSWER and (r.intent or "").startswith("error_")
    ):
        flow = s.understood.detected_flow
    if flow is None and r.route is Route.TROUBLESHOOT and r.intent:
        flow = flows.for_intent(r.intent)
        hits = s.understood.hits
        if flow is not None and hits and retrieval_confidence(hits) >= s.parts.settings.answer_threshold:
            covered = {flow.source} | {step.article for step in flow.steps.values() if step.article}
            if hits[0].doc_id not in covered:  # a CORS or TLS error is no 403 or 401: the sure article answers
                return _closing(s, replace(r, route=Route.ANSWER))
    if flow is None:
        return None
    intent = r.intent or (flow.intents[0] if flow.intents else None)
    return Decision(
        Route.TROUBLESHOOT, intent, 1.0, action=Action.START_FLOW, flow_id=flow.id,
        closes_flow=s.flow_left, closes_question=s.question_left,
    )  # fmt: skip


def intent_and_retrieval(s: Situation) -> Decision | None:
    """What the message asks for on its own (``reading``), unless that is a fallback."""
    if s.reading.route is Route.FALLBACK:
        return None
    return _closing(s, s.reading)


def repeated_fallbacks(s: Situation) -> Decision:
    """A fallback; the ``fallbacks_before_handoff``-th in a row hands over instead."""
    if s.state.fallbacks + 1 >= s.parts.settings.fallbacks_before_handoff:
        return _closing(s, _hand_over("fallbacks", s.reading.intent))
    return _closing(s, s.reading)


def _hand_over(reason: str, intent: str | None) -> Decision:
    return Decision(Route.HANDOFF, intent, 1.0, action=Action.HAND_OVER, reason=reason)


def _closing(s: Situation, decision: Decision) -> Decision:
    """``decision`` with the flow and the advisor's question the message left behind."""
    if not (s.flow_left or s.question_left):
        return decision  # most messages leave nothing behind, and a copy costs more than the check
    return replace(decision, closes_flow=s.flow_left, closes_question=s.question_left)


RULES: tuple[Callable[[Situation], Decision | None], ...] = (
    quiet_while_handed_over,
    pending_offer_of_a_person,
    running_flow,
    topic_follow_up,
    handoff,
    model_question,
    advisor,
    detected_failure,
    intent_and_retrieval,
    repeated_fallbacks,
)


def retrieval_confidence(hits: tuple[Hit, ...]) -> float:
    """How sure retrieval is, in [0, 1]: the cosine of the best document's best key or chunk.

    A logistic model over more signals (cosine, key centroid, BM25, margin) separated the train
    split's answerable and out-of-scope questions slightly better (AUC 0.978 against 0.962),
    but learned that short messages are suspect and refused "401" and "429", which customers
    type all the time; the plain cosine does not have that failure.
    """
    if not hits:
        return 0.0
    return max(0.0, min(1.0, hits[0].dense))


def trusted(prediction: Prediction | None, settings: Settings) -> bool:
    """Whether routing acts on the predicted intent.

    Never when the out-of-scope class won. Otherwise when the intent's probability reaches
    ``settings.intent_threshold`` (tuned on the knowledge evaluation split, where it weighs
    the intent against retrieval), or, when that is unset, the model's own out-of-scope
    threshold (tuned on intent data alone).
    """
    if prediction is None or prediction.negative:
        return False
    threshold = settings.intent_threshold if settings.intent_threshold is not None else prediction.threshold
    return prediction.confidence >= threshold


def reading(understood: Understanding, settings: Settings, routes: Mapping[str, Route]) -> Decision:
    """What the message asks for on its own: the route of its small talk, intent and retrieval.

    This is the policy's "intent and retrieval" step, and all of it for a message outside a
    conversation (``Assistant.respond``, the evaluation and the tuning, which pass other settings).

    Args:
        understood: the message's prediction (None without a classifier: retrieval alone
            decides), hits and small talk.
        settings: the thresholds.
        routes: each intent's route, from the intent data; an intent missing there is answered.
    """
    if understood.smalltalk is not None:
        return Decision(Route.SMALLTALK, understood.smalltalk, 1.0)
    hits, prediction = understood.hits, understood.prediction
    if asks_for_person(understood.text):  # whatever else the message says, also after a long story
        if prediction is not None and prediction.best == "complaint" and trusted(prediction, settings):
            return Decision(Route.HANDOFF, "complaint", 1.0, action=Action.HAND_OVER, reason="frustrated")
        return Decision(Route.HANDOFF, "human_handoff", 1.0, action=Action.HAND_OVER, reason="asked")
    retrieval = min(1.0, retrieval_confidence(hits) + crosslingual_lift(hits, settings))
    if outside_the_product(understood.text):
        return Decision(Route.FALLBACK, None, retrieval)
    if prediction is None or not trusted(prediction, settings):
        return _by_retrieval(retrieval, settings, negative=prediction is not None and prediction.negative)
    best = prediction.best
    kind = routes.get(best, Route.ANSWER)
    intent: str | None = best
    other = prediction.runner_up
    other_kind = routes.get(other, Route.ANSWER) if other else None
    ambiguous = other is not None and other_kind is not kind and prediction.margin < settings.clarify_margin
    # A question back is for when neither signal is sure: retrieval alone sure means answer.
    if ambiguous and retrieval < settings.answer_threshold:
        return Decision(Route.CLARIFY, intent, prediction.confidence, runner_up=other)
    if kind is Route.TROUBLESHOOT and (not reports_failure(understood.text) or explains(understood.text)):
        kind = Route.ANSWER  # "what are the rate limits on Starter?", "what does 503 mean?": nothing fails now
    text = understood.text
    if (
        kind is Route.ADVISE
        and MODEL_NAMED.search(text)
        and not asks_advice(text)
        and retrieval >= settings.intent_answer_threshold
    ):
        kind, intent = Route.ANSWER, None  # models named in a question about something else
    if kind in GROUNDED:
        if retrieval >= settings.intent_answer_threshold and hits:
            return Decision(kind, intent, retrieval)
        return Decision(Route.FALLBACK, intent, retrieval)
    if prediction.out_of_scope:
        # Small talk and handoff act on the intent alone, with no retrieval to check it: they
        # need the classifier's own in-scope verdict, not just the lower routing threshold.
        return _by_retrieval(retrieval, settings)
    if kind is Route.HANDOFF:
        # A person mentioned but not asked for ("your support team asked me for ..."), or
        # frustration around a question the knowledge base answers for sure, is answered.
        if intent != "complaint" or retrieval >= settings.answer_threshold:
            return _by_retrieval(retrieval, settings)
        return Decision(kind, intent, prediction.confidence, action=Action.HAND_OVER, reason="frustrated")
    return Decision(kind, intent, prediction.confidence)


def crosslingual_lift(hits: tuple[Hit, ...], settings: Settings) -> float:
    """What a best document in another language than the settings' adds to the confidence, so
    it is held to ``crosslingual_threshold`` instead of ``answer_threshold`` (cosines between
    languages run lower than within one)."""
    if not hits or settings.crosslingual_threshold is None or hits[0].lang == settings.language:
        return 0.0
    return max(0.0, settings.answer_threshold - settings.crosslingual_threshold)


def _by_retrieval(retrieval: float, settings: Settings, negative: bool = False) -> Decision:
    """An answer when retrieval alone is sure, else a fallback; no intent is acted on. A message
    the classifier put out of scope (``negative``) needs ``negative_answer_threshold``, if set."""
    threshold = settings.answer_threshold
    if negative and settings.negative_answer_threshold is not None:
        threshold = max(threshold, settings.negative_answer_threshold)
    if retrieval >= threshold:
        return Decision(Route.ANSWER, None, retrieval)
    return Decision(Route.FALLBACK, None, retrieval)

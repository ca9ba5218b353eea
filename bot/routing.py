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
(``clarify_margin``) lead to a question. Thresholds come from settings; this module holds
no numbers of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.advisor import asks_a_fact, model_in_question
from bot.situation import AFFIRMATIVE, NEGATIVE, NEW_TOPIC, PERSISTS, Situation
from bot.state import Status
from bot.types import Action, Decision, Route
from index.language import word_count

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
        r.route in (Route.ADVISE, Route.FALLBACK)
        or s.follows_up_on_models
        or s.refines_models
        or (asks_advice(s.text) and s.states_a_need)  # "哪些语言模型可以私有化部署"
    )
    if not s.parts.catalog or (s.state.advisor is None and not wants_advice) or outside_the_product(s.text):
        return None
    if r.route is not Route.ADVISE:
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
    if NEW_TOPIC.search(s.text) or (asks_advice(s.text) and s.states_a_need):
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


FAILURE = re.compile(
    r"\b(errors?|fail\w*|broken|not working|doesn'?t work|does not work|won'?t|can'?t|cannot|unable|stuck|"
    r"keeps?|getting|got|returns?|returned|returning|rejected|denied|refused|time[sd]? ?out|timed out|slow\w*|"
    r"crash\w*|exception|traceback|invalid|expired|missing|blocked|suspended|declined|cut off|drops?|"
    r"disconnect\w*|worse|wrong|down|unavailable|outage|\d{3}s?)\b|[{}]|Error\b"
    # Chinese failure words (Han characters are word characters, so no \b), and a status code against Chinese ("报429").
    r"|报错|出错|失败|错误|异常|一直报|老是报|总是报|报了|调不通|不通|不工作|用不了|不能用|没法用|无法|超时|挂了|崩了|崩溃"
    r"|卡住|卡死|卡在|没反应|没有响应|无响应|被拒|拒绝|过期|失效|无效|不行|连不上|断开|断了|掉线|太慢|很慢|变慢|变差|不对"
    r"|打不开|登不上|收不到|被封|封禁|冻结|限流|被限|宕机|(?<=[\u4e00-\u9fff])\d{3}(?![0-9])|(?<![0-9])\d{3}(?=[\u4e00-\u9fff])",
    re.IGNORECASE,
)


_WHO = (
    r"(?:a |an |some |the |your |our |one of your )?(?:real |actual |live |human )?"
    r"(?:humans?|person|people|agent|someone|somebody|anyone|representative|rep|operator|staff|colleague|manager|"
    r"supervisor|(?:support |solutions |named |on-call |sales )?engineer|support(?: person| agent| staff| team)?|"
    r"(?:billing|sales|support|account) (?:team|manager)|sales)\b"
)
# An explicit request for a person, as opposed to a mention of one ("your support team asked me for
# the request id" is a question). Chinese: 人工 but not 人工智能.
ASKS_PERSON = re.compile(
    rf"\b(?:talk|speak|chat)(?:ing)?\s+(?:to|with)\s+{_WHO}"
    rf"|\b(?:connect|transfer|put|pass|hand|forward)\s+(?:me|this|it|us|my \w+)\b.{{0,20}}"
    rf"\b(?:to|through|with|over)\b.{{0,12}}{_WHO}"
    r"|\b(?:real|actual|live)\s+(?:humans?|person|people|agent|support|engineer)\b|\banyone real\b"
    r"|\b(?:a|any|give me a|need a) human\b(?! eval\w*| review\w*| label\w*| annotat\w*| in the loop)"
    r"|\bhumans? (?:available|please|pls)\b|\bhuman\W*$|^(?:please )?contact support\W*$|\bhumn\b"
    r"|\breach (?:a |an )?(?:human|person)\b|\breach out to (?:me|us)\b|\bpage\b.{0,20}\bengineer\b"
    r"|\b(?:file|make|lodge) a (?:formal )?complaint\b|\bsomeone (?:who|that) (?:can|could|actually)\b"
    r"|\bget (?:me )?someone\b|\b(?:need|want) to (?:speak|talk) (?:to|with)\b|\bescalation\b"
    r"|\bescalat\w*\s+(?:this|it|my|the|to|our)\b|\bplease escalate\b"
    r"|\b(?:call|ring|email|phone) (?:me|us)(?: back)?\b|\bgive (?:me|us) a (?:call|ring)\b"
    r"|\bcall ?back (?:from|today|asap)\b"
    r"|\b(?:zoom|phone|video) call\b"
    r"|\b(?:book|schedule|arrange|set up|get on) a call\b"
    r"|\b(?:open|file|raise|create|log) (?:a |an )?(?:support |sev\w* \d )?(?:ticket|case)\b"
    r"|\b(?:get|need|want|have|bring)\s+(?:me\s+)?(?:a |an |some |our |the )?(?:support |real |named |on-call )?"
    r"(?:human|person|engineer|agent|someone|somebody)\b(?! (?:else|who (?:knows|uses)))"
    r"|^(?:a |an )?(?:real |live )?(?:agent|operator|representative|human|person)s?(?: please| pls| now)?\W*$"
    r"|转人工(?!审核|复核|标注|处理的)|转人共|rengong|转接|转给(?:人|客服|技术|工程师)|(?<!转)人工(?!智能|评测|评估|标注|审核|复核)|真人|活人|工作人员|专员|主管|电话会议|客服电话(?!录音)|电话可以打|专属工程师|找个?人(?:来|看|处理|聊|回)|安排(?:个|一下)?(?:人|工程师|技术|客服|专人|销售)"
    r"|(?:联系|找|让|请)(?:一下)?(?:你们|贵司)?的?(?:技术支持|客服|工程师|销售|客户经理|主管|专属工程师|我们的客户经理)"
    r"|我要投诉|投诉你们|要投诉|找客服|叫(?:你们)?的?(?:人|客服|工程师|负责人)|有没有人(?:能|可以|来)?(?:帮|管|处理|回)"
    r"|你们(?:的)?负责人|给个说法|升级处理"
    r"|[提开建]个?工单|升级(?:给|到)(?:工程师|二线|人|技术|主管|客服)|团队的人|回个?电话|打电话|电话(?:沟通|联系)|开个会|约个会|当面聊|跟我们.{0,6}(?:沟通|聊)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)  # a message is looked at by several rules
def asks_for_person(text: str) -> bool:
    """Whether the message asks to be put through to a person (not merely mentions one)."""
    return bool(ASKS_PERSON.search(text))


# A question about what an error means, when it happens or how two differ ("why would the API return
# 400 in one case and 422 in another?") asks for an explanation, not a diagnosis ...
EXPLAINS = re.compile(
    r"\bwhat(?:'s| is| are| does| do)\b.{0,50}\b(?:mean|means|meaning|stand for)\b|\bmeaning of\b|\bexplain\b"
    r"|\bdifferen(?:ce|t)\b|\bdiffer\b|\bvs\.?\b|\bversus\b|\bas opposed to\b|\band not\b"
    r"|\bwhy (?:would|does|do|is|are|might|could|can|will)\b|\bwhat (?:exactly )?(?:is|are) (?:a |an |the )?\w+\b\?"
    r"|\b(?:when|in (?:which|what) cases?|under what conditions?) (?:does|do|would|will|can|is|are)\b"
    r"|\bwhat happens (?:to|when|if|after)\b|\bhow (?:long|soon) (?:until|before)\b|\bis it safe to\b"
    r"|\bis there a way\b|\bhow (?:do|can|could|should) (?:i|we) (?:avoid|prevent|know|check|count|tell|detect|catch)\b"
    r"|\bbefore (?:sending|it happens|we hit|i hit|calling)\b|\bshould (?:i|we) retry\b"
    r"|有没有办法|怎么(?:避免|预防|提前)|之前先|发请求之前|能不能重试|要不要重试"
    r"|\b(?:conceptual|curious|just wondering|out of curiosity|in theory|hypothetically|just so i know)\b"
    r"|\bi'?d like to understand\b|\bwhat(?:'s| is| are) (?:a |an |the )?(?:\d{3}|[a-z]+_[a-z_]+)\b"
    r"|什么意思|啥意思|是什么|是啥|区别|不同|差别|有何|为什么|为啥|什么情况下?会?|什么时候会|哪些情况|怎么算"
    r"|原理|含义|代表什么|会不会|能不能重试|可以重试吗|好奇|想搞清楚|想了解|想弄明白|啥情况|什么情况|先了解|了解[下一]",
    re.IGNORECASE,
)
# ... unless the message also says something is failing now ("our calls keep getting 429 since this
# morning", "what should I do?"): then it is a report, and the flow diagnoses it.
HAPPENING = re.compile(
    r"\b(?:keeps?|kept|started|starting|suddenly|since (?:this|yesterday|last|this|the|we|\d)|right now|currently|"
    r"still|again|today|this morning|tonight|getting|stopped working|(?:is|are|went) down|broken?|not working|"
    r"(?:doesn'?t|does not|won'?t) work|can'?t (?:get|call|connect|use|reach)|every (?:call|request)|all (?:of )?"
    r"(?:our|my|the) (?:calls|requests)|in prod\w*|our (?:app|site|service) is)\b"
    r"|\bhow (?:do|can|should) (?:i|we) (?:fix|solve|resolve|stop|get rid of|debug|get past)\b"
    r"|\bwhy (?:do|does|did|am|are) (?:i|we|my|our)\b.{0,20}\b(?:get|keep|see|receive)\b"
    r"|\bwhat (?:should|do|can) (?:i|we) do\b|\bhelp\b|\bfix (?:it|this)\b"
    r"|一直|突然|现在|今天|刚才|早上|今早|昨晚|开始|老是|总是|还是|又(?:报|出现|挂|来了|失败)|怎么办|怎么解决|怎么处理|怎么修|帮忙|求助|挂了|用不了|调不通|全是|全挂",
    re.IGNORECASE,
)


# A request for a choice among models; naming models in a how-to question is none ("how do I stream
# with mer-chat-m and mer-chat-s?" is answered from the articles, not with a comparison table).
ASKS_ADVICE = re.compile(
    r"\b(?:which|what) (?:\w+ ){0,4}(?:models?|ones?|llms?|options?)\b|\brecommend\w*|\bsuggest\w*"
    r"|\bshould (?:i|we) (?:use|pick|choose|go with|switch)\b|\b(?:pick|choose|choosing|select(?:ing)?)\b"
    r"|\b(?:best|better|worse|cheap\w*|fast\w*|lowest|highest|smartest|most capable|compare\w*|comparison)\b"
    r"|\bhelp me (?:choose|pick|decide)\b|\bneed a model\b|\bmodel for\b|\bwhich (?:one|is)\b"
    r"|哪个|哪些|哪款|哪一个|推荐|选哪|选择|选型|用什么|什么模型|对比|比较|更好|更便宜|更快|最便宜|最快|最好|适合|合适",
    re.IGNORECASE,
)


# Another company's product or a general technology, with nothing of Meridian's in the message: their
# rate limits, prices and errors are not ours to answer ("what's the rate limit on gpt-4o?").
ELSEWHERE = re.compile(
    r"\b(?:open ?ai|chat ?gpt|gpt-?[345]\w*|azure openai|anthropic|claude|gemini|vertex ai|bedrock|cohere|mistral"
    r"|llama ?\d*|hugging ?face|deepseek|qwen|glm-?\d*|kimi|moonshot|baidu|stripe|twilio|copilot|netflix|spotify)\b"
    r"|通义|千问|文心|一言|智谱|豆包|混元|百度|火山引擎|讯飞|星火|月之暗面",
    re.IGNORECASE,
)
# Work the customer wants done rather than asked about, and schoolwork.
ELSEWHERE_TASK = re.compile(
    r"^(?:\w+[,!.]?\s+){0,2}(?:can you |could you |please )*(?:translate|summari[sz]e|write|rewrite|proofread|draft|"
    r"paraphrase|fix|debug|review) (?:this|the following|me|my|these)\b"
    r"|\b(?:homework|assignment|coursework|my thesis|my exam|my professor|lecture notes|leetcode)\b"
    r"|帮我(?:把|将)?(?:这段|这篇|下面|以下)?.{0,8}(?:翻译|总结|写|改写|润色|改一下)|作业|论文|考试|课程设计|毕设|面试题",
    re.IGNORECASE,
)
OURS = re.compile(
    r"\bmeridian\b|\bmer-[a-z]|\bmk_(?:live|test)|\bpk_|\bft:"
    r"|\byour (?:api|models?|endpoints?|service|platform|sdks?|docs|console|plans?|pricing|keys?|company|side|team"
    r"|support|status)\b|\byou (?:guys )?(?:offer|support|have|charge|provide)\b"
    r"|\b(?:migrat\w+|switch\w*|mov(?:e|ing) (?:from|off|over)|compatib\w+|drop-in|instead of|coming from)\b"
    r"|你们|贵司|迁移|兼容|切换|换成|替换|换到",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)  # a message is looked at by several rules
def outside_the_product(text: str) -> bool:
    """Whether the message is about another company's product or a general technology, or asks for
    work or schoolwork, and names nothing of Meridian's (its models, keys, API, "your ...")."""
    outside = ELSEWHERE.search(text) or ELSEWHERE_TASK.search(text)
    return bool(outside) and not (OURS.search(text) or MODEL_NAMED.search(text))


MODEL_NAMED = re.compile(
    r"\bmer-[a-z]|\b(?:chat|code|embed|classify|summari[sz]e|translate|vision|speech|voice|guard) "
    r"(?:large|medium|small|lite|base|multi\w*|edge|chinese|3)\b",
    re.IGNORECASE,
)


VERSUS = re.compile(r"\bvs\.?(?!\w)|\bversus\b|\bor\b", re.IGNORECASE)
VERSUS_WORDS = 6  # "chat medium vs chat large" asks to compare; "the cut-off of A vs B?" asks a fact


@lru_cache(maxsize=4096)  # a message is looked at by several rules
def asks_advice(text: str) -> bool:
    """Whether the message asks which model to use, or how models compare."""
    return bool(ASKS_ADVICE.search(text)) or (bool(VERSUS.search(text)) and word_count(text) <= VERSUS_WORDS)


# Said outright, these make the message a question whatever else it tells ("conceptual question: ...").
PLAINLY_EXPLAINS = re.compile(
    r"\b(?:conceptual(?:ly)?|just curious|out of curiosity|just wondering|in theory|hypothetically|just so i know"
    r"|what(?:'s| is) the difference|differences? between)\b|有啥区别|有什么区别|区别是|什么意思|啥意思|好奇|先了解",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)  # a message is looked at by several rules
def explains(text: str) -> bool:
    """Whether the message asks what an error means, how errors differ or how to avoid one, with
    nothing failing now (or says outright that it only asks)."""
    return bool(PLAINLY_EXPLAINS.search(text)) or (bool(EXPLAINS.search(text)) and not HAPPENING.search(text))


@lru_cache(maxsize=4096)  # a message is looked at by several rules
def reports_failure(text: str) -> bool:
    """Whether the message reports something failing (rather than asking how something works)."""
    return bool(FAILURE.search(text))


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

"""What a message says in so many words, in English and Chinese: a failure happening now, a request
for a person (not a mention of one), a question about what an error means, a request to choose
among models, another company's product or schoolwork. Each predicate is pure and cached per text,
since several routing rules ask about the same message.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.language import word_count

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


VERSUS = re.compile(r"\bvs\.?(?!\w)|\bversus\b|\bor\b|(?<=[\w-])\s+(?:还是|或者)\s*(?=\w)|跟.{1,20}比", re.IGNORECASE)
VERSUS_WORDS = 6  # "chat medium vs chat large", "A 还是 B" ask to compare; "the cut-off of A vs B?" asks a fact


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

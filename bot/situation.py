"""What the routing rules look at: one message, the conversation's state, and what follows from both.

Every derived fact is computed when a rule first asks for it and at most once per routing:
the answer a message gives to the running flow's step, the facts the advisor reads from it,
whether it leaves the flow or the advisor's question behind. Everything here is pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from bot.advisor import advise, extract_facts, resolve_models
from bot.advisor.facts import Facts, facts_to_json
from bot.advisor.replies import BEST
from bot.advisor.vocabulary import ASPECTS, WHICH_ONE
from bot.flows import OutcomeKind, advance
from bot.signals import asks_advice
from bot.types import Route
from index.language import word_count

if TYPE_CHECKING:
    from bot.flows import Outcome as StepOutcome
    from bot.startup import Parts
    from bot.state import ConversationState
    from bot.types import Decision
    from bot.understanding import Understanding
    from knowledge.flows import Flow

# Where a Chinese answer word ends: punctuation, a space, thanks or the end ("好的，谢谢", "不用了谢谢").
_ZH_END = r"(?=[\s,，.。!！~～、…]|谢谢|谢啦|多谢|麻烦|辛苦|$)"
# Answers to an offer of a person. Chinese words have no \b after them, so each is a whole answer word.
NEGATIVE = re.compile(
    r"^(n|no|nope|nah|no thanks?|no,? thank you|not now|not yet|maybe later|i'?m good)\b"
    r"|^(?:不|不用|不要|不需要|不必|不麻烦|不转|先不|暂时不用|暂时不需要|先不用|先不要)了?(?:转人工|人工|转)?了?(?:吧|啦)?"
    + _ZH_END
    + r"|^(?:算了|算了吧|没事|没事了|没关系|不了|再说吧|以后再说|回头再说|稍后再说|等等再说"
    r"|我自己来|我再试试|我自己试试)" + _ZH_END,
    re.I,
)
AFFIRMATIVE = re.compile(
    r"^(y|ya|yes|yeah|yep|yup|sure|ok|okay|please|yes please|connect me|do it|go ahead)\b"
    r"|^(?:好|好的|好啊|好呀|好吧|好嘞|好滴|行|行啊|行吧|可以|可以的|可以啊|是|是的|是啊|对|对的|嗯|嗯嗯|要|要的|需要"
    r"|麻烦了|麻烦你了|麻烦您了|请|没问题|当然|转人工|转吧|帮我转|帮我转人工|转人工吧)" + _ZH_END,
    re.IGNORECASE,
)
# A reply to the offer of a person that says the problem is still there: a yes ("no, still broken").
PERSISTS = re.compile(
    r"\bstill (?:broken|failing|fails|not working|doesn'?t work|the same|happening|an issue|there|getting|down|slow"
    r"|erroring)|\bnot (?:fixed|solved|resolved|working)\b|\bdid(?:n'?t| not) (?:help|work|fix)\b|\bno luck\b"
    r"|\bsame (?:error|problem|issue)\b"
    r"|\bnothing (?:works|worked|changed)\b|\bdoesn'?t work\b"
    r"|问题(?:还在|依旧|依然|仍然)|还是(?:不行|不好|报错|一样|没好|失败|有问题)|没(?:有)?解决|没用|没好|依然|仍然|照样|一样报错",
    re.I,
)
# A short message that continues what was just said about models ("and for Chinese?", "how much is that one?",
# "那中文呢", "那个呢", "还有别的吗", "为什么").
FOLLOW_UP = re.compile(
    r"^(and|what about|how about|and what about|same for|what if)\b|\b(that one|this one|it)\??$"
    r"|^(?:那|那么|还有|另外|如果|要是|换成|改成|为什么|为啥|为何)|呢\s*[?？]?\s*$"
    r"|(?:这个|那个|这款|那款|它)\s*[?？]?\s*$|^(?:还有|有没有|有)(?:别的|其他的?|其它的?)",
    re.I,
)
REFINE_WORDS = 4  # at most this many words change a recommendation just shown without naming the advisor
# What opens a new question rather than a follow-up ("另外 ...", "also, ...", "one more thing").
NEW_TOPIC = re.compile(
    r"^(?:另外|还有个?问题|顺便问|also\b|btw\b|by the way\b|one more thing\b|another question\b)", re.I
)
POINTS_BACK = re.compile(
    r"^(?:so |and |but |ok,? )?(?:is|does|do|can|will|would|could|should|was|are) (?:that|this|it|they|those)\b"
    r"|^(?:那|这)(?:个|样|种)?(?:也|还|是不是|会不会|算不算|跟|和)|^(?:跟|和|与).{0,12}(?:有关系|有关|一样|一回事|相同|有区别)",
    re.I,
)
# Besides a task, what makes a message a model need the intent classifier missed.
NEED_FACTS = ("languages", "volume", "hosting", "max_latency_ms", "budget", "region", "privacy")


@dataclass(frozen=True)
class Situation:
    """One message in one conversation, with ``reading``: what the message asks for on its own."""

    understood: Understanding
    state: ConversationState
    parts: Parts
    reading: Decision

    @property
    def text(self) -> str:
        return self.understood.text

    @cached_property
    def words(self) -> int:
        """How many words the message holds (two Chinese characters count as one)."""
        return word_count(self.text)

    # -- the running flow ----------------------------------------------------------------------

    @cached_property
    def may_answer_flow(self) -> bool:
        """Whether a flow is running and the message may be an answer to its step.

        A request for a person or clear frustration is never read as an answer to a step; a
        question back about the step ("what do you mean?") is not frustration.
        """
        progress = self.state.flow
        if progress is None or not progress.running:
            return False
        if self.reading.route is not Route.HANDOFF:
            return True
        if self.reading.intent != "complaint":
            return False  # an explicit request for a person
        # Frustration that still answers the step ("还是不行", "still broken") is the answer.
        flow = self.running_flow
        # A short answer only: "this is useless, nothing you suggest works" is a complaint.
        short = len(self.text.split()) <= 3
        step = advance(flow, progress.step, self.text, progress.path) if flow is not None and short else None
        return (step is not None and step.kind is not OutcomeKind.UNCLEAR) or self.text.rstrip().endswith("?")

    @cached_property
    def running_flow(self) -> Flow | None:
        """The running flow, or None when the flows were edited since it started (it lost the step)."""
        progress, flows = self.state.flow, self.parts.flows
        flow = flows.get(progress.flow_id) if progress is not None and flows is not None else None
        return flow if flow is not None and progress is not None and progress.step in flow.steps else None

    @cached_property
    def flow_step(self) -> StepOutcome | None:
        """The message applied as the answer to the running flow's step; None when it may not answer one."""
        flow, progress = self.running_flow, self.state.flow
        if not self.may_answer_flow or flow is None or progress is None:
            return None
        return advance(flow, progress.step, self.text, progress.path)

    @cached_property
    def flow_left(self) -> bool:
        """Whether the message ends the running flow unanswered: the flows changed since it
        started, or the message is no answer but a new question (one answered from the knowledge
        base, one for the advisor, or another failure). Small talk, "not sure" and the like are
        no new question: the step is shown again."""
        if not self.may_answer_flow:
            return False
        flow, step, r = self.running_flow, self.flow_step, self.reading
        if flow is None or step is None:
            return True
        other_failure = r.route is Route.TROUBLESHOOT and r.intent is not None and r.intent not in flow.intents
        thanks = r.route is Route.SMALLTALK and r.intent in ("thanks", "goodbye")  # thanks end the flow
        return step.kind is OutcomeKind.UNCLEAR and (r.route in (Route.ANSWER, Route.ADVISE) or other_failure or thanks)

    # -- models and the advisor ----------------------------------------------------------------

    @cached_property
    def follows_up(self) -> bool:
        """Whether the message reads as a follow-up ("and for Chinese?", "how much is that one?")."""
        return bool(FOLLOW_UP.search(self.text))

    @cached_property
    def points_back(self) -> bool:
        """Whether the message opens with a word that points at what was just said ("is that the
        same as ...?", "does it apply to ...", "这个在企业版也一样吗")."""
        return bool(POINTS_BACK.search(self.text))

    @cached_property
    def follows_up_on_models(self) -> bool:
        """A short follow-up right after models were recommended or described."""
        limit = self.parts.settings.follow_up_words
        return bool(self.state.last_models) and self.words <= limit and self.follows_up

    @cached_property
    def refines_models(self) -> bool:
        """A message of a few words right after models were shown that changes what the customer
        needs ("German", "On-premises": the quick replies that change an assumed default)."""
        if not self.state.last_models or self.state.facts is None or self.words > REFINE_WORDS:
            return False
        return self.advisor_facts != self.state.facts

    @cached_property
    def asks_which_one(self) -> bool:
        """ "Which one is cheaper?" after two or more models were shown, about an aspect with a winner."""
        if len(self.state.last_models) < 2 or not WHICH_ONE.search(self.text):
            return False
        return any(aspect in BEST and pattern.search(self.text) for aspect, pattern in ASPECTS.items())

    @cached_property
    def advisor_facts(self) -> Facts:
        """What the customer has said about the model they need, this message included."""
        pending = self.state.advisor
        return extract_facts(
            self.text,
            self.state.facts,
            models=self.parts.catalog,
            answering=pending.slot if pending is not None else None,
        )

    @cached_property
    def states_a_need(self) -> bool:
        """Whether a message the intent classifier did not send to the advisor still describes a
        model need: it names a task and at least one more constraint ("classify 2M German tickets
        on-prem"), or changes the facts of a recommendation just given ("and for Chinese?")."""
        facts, before = self.advisor_facts, self.state.facts
        if before is not None and facts != before:
            return True
        return facts.task is not None and any(getattr(facts, name) for name in NEED_FACTS)

    @cached_property
    def asks_to_choose(self) -> bool:
        """Whether the message asks for a choice of model, in either language, and says what among:
        a need ("哪些语言模型可以私有化部署") or two named models ("mer-chat-m 还是 mer-chat-l")."""
        if not self.parts.catalog or not asks_advice(self.text):
            return False
        return self.states_a_need or len(resolve_models(self.text, self.parts.catalog)) >= 2

    @cached_property
    def adds_nothing(self) -> bool:
        """Whether the message adds no fact for the advisor and would get no recommendation."""
        return self.advisor_facts == self.state.facts and not self._would_recommend()

    @cached_property
    def question_left(self) -> bool:
        """Whether the advisor's open question is left behind: the message, not one the classifier
        sent to the advisor, neither answers it nor follows up on a recommendation."""
        if not self.parts.catalog or self.state.advisor is None or self.reading.route is Route.ADVISE:
            return False
        return self.adds_nothing

    def _would_recommend(self) -> bool:
        """Whether the advisor's turn would show models (it is pure: its reply is only looked at)."""
        pending, facts = self.state.advisor, self.state.facts
        reply, _, _ = advise(
            "",
            self.text,
            self.parts.catalog,
            facts_to_json(facts) if facts is not None else None,
            pending.asked if pending is not None else 0,
            pending.slot if pending is not None else None,
            "model_selection",
            weights=self.parts.settings.advisor_weights,
            copy=self.parts.copy,
        )
        return bool(reply.recommendations)

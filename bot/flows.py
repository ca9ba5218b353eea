"""Guided troubleshooting: which flow a failure belongs to, and one step at a time through it.

Everything here is pure: the caller keeps the conversation state (flow id, step id and the path
of answered steps) and passes it back in. Flows come from ``knowledge.flows.load_flows``.

Detection rule (``FlowBook.detect``): every pattern of every flow is searched in the text, and
each non-empty match is ranked by

1. its kind: a match holding an error code or type identifier (``quota_exceeded``,
   ``context_length_exceeded``: snake_case) beats other text (``Too Many Requests``,
   ``RateLimitError``), which beats a bare status code (``429``). A Meridian error code names
   the cause exactly, while one status code is shared by several causes (429 is both a rate
   limit and a billing block);
2. then its length: a longer match is the more specific one;
3. then its position: the earliest match wins.

A flow is as strong as its best match, and ties go to the flow whose id sorts first. A status
code alone counts as a failure report, so "what is a 401 error" detects the 401 flow; the
routing decides, with the intent classifier, whether to start it (``bot.routing.detected_failure``).

Answer matching (``match_option``), in order: the exact label (case and surrounding spaces
ignored); the answer as a phrase of exactly one label ("quota", "curl gets 401"); a typed
status code or error code found in exactly one label; a yes-like answer
("yes", "fixed", "works now", "that did it") picks the option that ends ``fixed`` and a no-like
one ("no", "still", "same error", "didn't work") picks the first option labelled "Still ..."
(else the first not ending ``fixed``), with "no" winning when both appear ("not fixed"), and
only in steps that offer ``fixed``; finally words of the answer that appear in exactly one label,
when they all point to the same option.
Questions and "not sure" match nothing, so the step is shown again.

Chinese answers follow the same rules: a typed part of one label counts as that label ("解决了",
"未付发票"); "好了", "解决了", "可以了" are yes, "不行", "还是报错", "没用" no (a no picks the
first option labelled "还是…"), "不确定", "啥意思" and a question are unsure; the words compared
with the labels are pairs of adjacent Chinese characters. Han characters are word characters to
``re``, so codes are bounded with ``_START`` and ``_END``, which also hold next to Chinese ("报401").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from bot.errors import KnowledgeError, SupportbotError
from index.language import HAN_CHARS, WORD_END, WORD_START, has_han
from knowledge.flows import FIXED, UNRESOLVED, Flow, Option, Step, load_flows


class UnknownStepError(SupportbotError, LookupError):
    """A stored conversation names a step the flow no longer has (the flows were edited)."""


@dataclass(frozen=True)
class StepView:
    """What the handler shows for one step: the advice, an article to cite, the quick replies."""

    flow_id: str
    step_id: str
    text: str
    article: str | None
    quick_replies: tuple[str, ...]


class OutcomeKind(StrEnum):
    STEP = "step"  # the answer led to another step: show ``view``
    FIXED = "fixed"  # the customer's problem is solved
    UNRESOLVED = "unresolved"  # out of steps: offer a person
    UNCLEAR = "unclear"  # the answer matched no option: ``view`` is the same step again


@dataclass(frozen=True)
class Outcome:
    """The result of one answer. ``path`` holds the ids of the steps answered so far, in order."""

    kind: OutcomeKind
    path: tuple[str, ...]
    view: StepView | None = None
    chosen: Option | None = None

    def __post_init__(self) -> None:
        needs_view = self.kind in (OutcomeKind.STEP, OutcomeKind.UNCLEAR)
        if needs_view != (self.view is not None):
            raise ValueError(f"an outcome of kind {self.kind.value!r} {'needs' if needs_view else 'has no'} view")


@dataclass(frozen=True)
class Detection:
    """The flow a text was matched to and the fragment that decided it."""

    flow: Flow
    matched: str
    start: int


_CODE_TEXT = re.compile(r"[A-Za-z0-9]+_[A-Za-z0-9_]+")
_BARE_STATUS = re.compile(r"\s*\d{3}s?\s*")


def _rank(match: re.Match[str]) -> tuple[int, int, int]:
    text = match.group(0)
    kind = 3 if _CODE_TEXT.search(text) else 1 if _BARE_STATUS.fullmatch(text) else 2
    return kind, len(text), -match.start()


class FlowBook:
    """The shipped flows, looked up by pasted text, by intent or by id."""

    def __init__(self, flows: Iterable[Flow]) -> None:
        self._flows = {f.id: f for f in sorted(flows, key=lambda f: f.id)}
        self._by_intent: dict[str, Flow] = {}
        for flow in self._flows.values():
            for intent in flow.intents:
                if intent in self._by_intent:
                    other = self._by_intent[intent].id
                    reason = f"intent {intent!r} is handled by two flows: {other!r} and {flow.id!r}"
                    raise KnowledgeError(flow.source or flow.id, reason, field="intents")
                self._by_intent[intent] = flow

    @classmethod
    def from_folder(cls, folder: str | Path, known_articles: set[str] | None = None) -> FlowBook:
        """Load and validate a folder of flow files (raises ``KnowledgeError``)."""
        return cls(load_flows(folder, known_articles).values())

    def __len__(self) -> int:
        return len(self._flows)

    def __iter__(self) -> Iterator[Flow]:
        return iter(self._flows.values())

    def get(self, flow_id: str) -> Flow | None:
        return self._flows.get(flow_id)

    def for_intent(self, intent: str) -> Flow | None:
        """The flow that handles ``intent``, or None."""
        return self._by_intent.get(intent)

    def find(self, text: str) -> Detection | None:
        """The best match of any flow's patterns in ``text`` (rule in the module docstring), or None."""
        best: tuple[tuple[int, int, int], Detection] | None = None
        for flow in self._flows.values():
            for pattern in flow.detect:
                for match in pattern.finditer(text):
                    if not match.group(0):
                        continue
                    rank = _rank(match)
                    if best is None or rank > best[0]:
                        best = rank, Detection(flow, match.group(0), match.start())
        return best[1] if best else None

    def detect(self, text: str) -> Flow | None:
        """The flow whose patterns match ``text`` best, or None when none matches."""
        found = self.find(text)
        return found.flow if found else None


def view(flow: Flow, step_id: str) -> StepView:
    """The view of one step of ``flow``; raises ``UnknownStepError`` for a step it does not have."""
    step = flow.steps.get(step_id)
    if step is None:
        raise UnknownStepError(f"flow {flow.id!r} has no step {step_id!r}; its steps: {', '.join(flow.steps)}")
    return StepView(flow.id, step.id, step.text, step.article, tuple(o.label for o in step.options))


def start(flow: Flow) -> StepView:
    """The first step of ``flow``. Its path starts empty: no step has been answered yet."""
    return view(flow, flow.start)


def advance(flow: Flow, step_id: str, answer: str, path: Sequence[str] = ()) -> Outcome:
    """Apply the customer's ``answer`` to step ``step_id`` of ``flow``.

    Args:
        flow: the flow being followed.
        step_id: the step the customer is answering.
        answer: a quick-reply label or anything typed.
        path: the steps answered before this one.

    Returns:
        ``STEP`` with the next step, ``FIXED`` or ``UNRESOLVED``, each with ``step_id`` appended to the path;
        or ``UNCLEAR`` with the same step and the path unchanged.

    Raises:
        UnknownStepError: ``step_id`` is not a step of ``flow``.
        TypeError: ``path`` is a single string instead of a sequence of step ids.
    """
    if isinstance(path, str):
        raise TypeError(f"path must be a sequence of step ids, got the string {path!r}")
    current = view(flow, step_id)
    option = match_option(flow.steps[step_id], answer)
    if option is None:
        return Outcome(OutcomeKind.UNCLEAR, tuple(path), view=current)
    new_path = (*path, step_id)
    if option.next == FIXED:
        return Outcome(OutcomeKind.FIXED, new_path, chosen=option)
    if option.next == UNRESOLVED:
        return Outcome(OutcomeKind.UNRESOLVED, new_path, chosen=option)
    return Outcome(OutcomeKind.STEP, new_path, view=view(flow, option.next), chosen=option)


_START, _END = WORD_START, WORD_END
_TYPED_CODE = re.compile(rf"{_START}(?:\d{{3}}|[a-z0-9]+(?:_[a-z0-9]+)+){_END}")
_NO_WORDS = re.compile(
    r"\b(?:no|nope|nah|not|never|still|same|unresolved|broken|persists|fail(?:s|ed|ing)?|cannot"
    r"|(?:didn|doesn|don|isn|wasn|hasn|haven|won|can|couldn|aren)'?t)\b"
)
_YES_WORDS = re.compile(
    r"\b(?:yes|yep|yeah|yup|fixed|solved|resolved|sorted|works?|working|worked|did the trick|that did it"
    r"|all good|nomore)\b"
)
_NO_MORE = re.compile(r"\bno (?:longer|more) \w+")  # "no more errors" is good news, not a "no"
_UNSURE = re.compile(r"\b(?:not sure|unsure|no idea|don'?t know|dunno|what do you mean|how do i)\b|\?\s*$")
# Chinese: "no" words win over "yes" words ("没解决"), and good news is no "no" ("不报错了").
_ZH_NO_MORE = re.compile(
    r"(?:不再|没再|没有再)(?:报错|出错|失败|超时|报)|(?:不|没|没有)(?:报错|出错|失败|超时)了|(?:错误|报错)(?:没有了|消失了|不见了)"
)
_ZH_NO_WORDS = re.compile(
    r"不行|不可以|没用|没有用|无效|不管用|不好使|没(?:有)?(?:解决|好|修好|变化|效果|反应)|还没|还是|依然|仍然|照样|照旧"
    r"|老样子|一样的?(?:错|问题|报错)|同样的?(?:错|问题|报错)|报错|出错|失败|不能用|用不了|不对|^(?:不|否|没)$"
)
_ZH_YES_WORDS = re.compile(
    r"好了|解决了|可以了|搞定|行了|成功了|正常了|没问题了|能用了|通了|好使了|修好了|恢复了|有效|管用|是的|对的|确实|nomore"
    r"|^(?:是|对|嗯+|行|好|好的|可以)$"
)
_ZH_UNSURE = re.compile(
    r"不确定|不知道|不清楚|不太清楚|不懂|不太懂|没明白|没看懂|看不懂|啥意思|什么意思|怎么(?:弄|做|操作|看|查|改|设置)"
    r"|在哪(?:里|儿)?|[?？]\s*$"
)
_HAN_PAIRS = re.compile(rf"(?=([{HAN_CHARS}]{{2}}))")
_ZH_FILLER = frozenset({"我的", "你的", "我们", "这个", "那个", "一个", "就是", "然后", "但是", "已经", "现在", "还有"})
_WORD = re.compile(r"[a-z0-9']+")
_FILLER = frozenset(
    {"a", "an", "the", "i", "i'm", "im", "it", "its", "it's", "is", "was", "that", "this", "my", "me", "we", "our",
     "to", "of", "in", "on", "and", "or", "but", "so", "just"}
)  # fmt: skip


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").lower().split()).strip(" .!。！")


def _words(text: str) -> set[str]:
    """The words of ``text`` compared with labels: English words and pairs of adjacent Chinese characters."""
    return set(_WORD.findall(text)) | set(_HAN_PAIRS.findall(text))


def match_option(step: Step, answer: str) -> Option | None:
    """The option of ``step`` that ``answer`` picks (rules in the module docstring), or None."""
    said = _norm(answer)
    if not said:
        return None
    for option in step.options:
        if _norm(option.label) == said:
            return option
    labels = [_norm(o.label) for o in step.options]
    chinese = has_han(said)
    if len(said) >= (2 if chinese else 3):
        # Chinese runs words together: a typed part of a label is a phrase of it ("解决了", "未付发票").
        phrase = re.compile(re.escape(said) if chinese else rf"(?<![\w']){re.escape(said)}(?![\w'])")
        hits = [o for o, label in zip(step.options, labels, strict=True) if phrase.search(label)]
        if len(hits) == 1:
            return hits[0]
    for code in dict.fromkeys(_TYPED_CODE.findall(said)):
        hits = [o for o, label in zip(step.options, labels, strict=True) if re.search(rf"{_START}{code}{_END}", label)]
        if len(hits) == 1:
            return hits[0]
    if _UNSURE.search(said) or (chinese and _ZH_UNSURE.search(said)):
        return None
    fixed = next((o for o in step.options if o.next == FIXED), None)
    if fixed is not None:
        polar = _NO_MORE.sub("nomore", said)
        if chinese:
            polar = _ZH_NO_MORE.sub(" nomore ", polar)
        if _NO_WORDS.search(polar) or (chinese and _ZH_NO_WORDS.search(polar)):
            still = [o for o in step.options if o.label.lower().startswith(("still", "还是"))]
            return still[0] if still else next((o for o in step.options if o.next != FIXED), None)
        if _YES_WORDS.search(polar) or (chinese and _ZH_YES_WORDS.search(polar)):
            return fixed
    label_words = [_words(label) for label in labels]
    picked: set[int] = set()
    for word in _words(said) - _FILLER - _ZH_FILLER:
        holders = [i for i, words in enumerate(label_words) if word in words]
        if len(holders) == 1:
            picked.add(holders[0])
    return step.options[picked.pop()] if len(picked) == 1 else None

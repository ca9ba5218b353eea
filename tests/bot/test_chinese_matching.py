"""Chinese answers the assistant matches without the intent classifier: small talk, yes or no to
an offer of a person, follow-ups about models, answers to a troubleshooting step and reports of
something failing."""

from __future__ import annotations

import pytest

from bot.flows import FlowBook, OutcomeKind, advance, match_option
from bot.signals import reports_failure
from bot.situation import AFFIRMATIVE, FOLLOW_UP, NEGATIVE
from bot.understanding import smalltalk_intent
from knowledge.flows import FIXED, FLOWS_DIR, Flow, Option, Step, load_flows
from knowledge.translations import translate_flows

pytestmark = pytest.mark.unit

ZH_FLOWS = FLOWS_DIR / "zh"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", "greeting"),
        ("您好！", "greeting"),
        ("在吗", "greeting"),
        ("在吗？", "greeting"),
        ("hi 你好", "greeting"),
        ("你好，在吗", "greeting"),
        ("谢谢", "thanks"),
        ("多谢", "thanks"),
        ("感谢", "thanks"),
        ("好的谢谢", "thanks"),
        ("好的，谢谢！", "thanks"),
        ("非常感谢你的帮助", "thanks"),
        ("再见", "goodbye"),
        ("拜拜", "goodbye"),
        ("没事了", "goodbye"),
        ("好的，再见", "goodbye"),
        ("没事了，谢谢", "goodbye"),
        ("你好，我的 API key 一直报 401", None),
        ("谢谢，但是还是 429", None),
        ("好的", None),
        ("你好 请问怎么充值", None),
        ("hi hello", None),  # English stays as it was
    ],
)
def test_chinese_small_talk_is_recognised_only_as_a_whole_message(text: str, intent: str | None) -> None:
    assert smalltalk_intent(text) == intent


@pytest.mark.parametrize("text", ["不用了", "不用了，谢谢", "不要", "算了", "不需要", "不用转人工了", "没事", "先不用"])
def test_chinese_no_to_an_offer_of_a_person(text: str) -> None:
    assert NEGATIVE.match(text) and not AFFIRMATIVE.match(text)


@pytest.mark.parametrize("text", ["好的", "好", "是的", "可以", "行", "嗯", "好的，麻烦了", "转人工吧", "要"])
def test_chinese_yes_to_an_offer_of_a_person(text: str) -> None:
    assert AFFIRMATIVE.match(text) and not NEGATIVE.match(text)


@pytest.mark.parametrize("text", ["好像还是不行", "可以吗", "要不算了", "对了，还有个问题", "不要紧吧", "行不行啊"])
def test_chinese_messages_that_only_start_like_yes_or_no_are_neither(text: str) -> None:
    assert not AFFIRMATIVE.match(text) and not NEGATIVE.match(text)


@pytest.mark.parametrize(
    ("text", "follows"),
    [
        ("那个呢", True),
        ("那 chat large 呢", True),
        ("中文呢？", True),
        ("还有别的吗", True),
        ("有其他的吗", True),
        ("为什么", True),
        ("那如果要私有化部署", True),
        ("怎么创建 API key", False),
        ("发票在哪下载", False),
    ],
)
def test_chinese_follow_ups(text: str, follows: bool) -> None:
    assert bool(FOLLOW_UP.search(text)) is follows


def _yes_no_step() -> Step:
    return Step(
        "read-code",
        "看错误码",
        None,
        (Option("是的，解决了", FIXED), Option("还是不行", "check-key"), Option("报的是 quota_exceeded", "quota")),
    )


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("是的，解决了", "是的，解决了"),
        ("还是不行", "还是不行"),
        ("报的是 quota_exceeded", "报的是 quota_exceeded"),
        ("好了", "是的，解决了"),
        ("解决了", "是的，解决了"),
        ("可以了，谢谢", "是的，解决了"),
        ("搞定", "是的，解决了"),
        ("是", "是的，解决了"),
        ("现在能用了", "是的，解决了"),
        ("不报错了", "是的，解决了"),
        ("不行", "还是不行"),
        ("还是报错", "还是不行"),
        ("没用", "还是不行"),
        ("没解决", "还是不行"),
        ("还是一样的错误", "还是不行"),
        ("报quota_exceeded", "报的是 quota_exceeded"),
        ("yes", "是的，解决了"),
        ("still failing", "还是不行"),
    ],
)
def test_chinese_answers_pick_the_option_they_mean(typed: str, label: str) -> None:
    option = match_option(_yes_no_step(), typed)

    assert option is not None and option.label == label


@pytest.mark.parametrize("typed", ["不确定", "不知道", "啥意思", "在哪里看？", "还是 429？", "香蕉"])
def test_unsure_chinese_answers_match_nothing(typed: str) -> None:
    assert match_option(_yes_no_step(), typed) is None


def test_a_chinese_question_step_takes_codes_and_words_but_not_yes_or_no() -> None:
    which = Step(
        "which", "哪个错误", None, (Option("413 payload_too_large", "a"), Option("422 context_length_exceeded", "b"))
    )
    billing = Step(
        "billing",
        "哪种情况",
        None,
        (
            Option("有未付发票", "a"),
            Option("达到消费上限", "b"),
            Option("免费额度用完了", "c"),
            Option("银行卡又被拒了", "d"),
        ),
    )

    assert match_option(which, "报413") == which.options[0]
    assert match_option(which, "是的") is None and match_option(which, "不行") is None
    assert match_option(billing, "发票没付") == billing.options[0]
    assert match_option(billing, "额度用完了") == billing.options[2]
    assert match_option(billing, "卡被拒") == billing.options[3]


def _zh_flows() -> list[tuple[Flow, str, Step]]:
    """Every shipped step as the Chinese flows show it (``knowledge.translations.translate_flows``)."""
    flows = translate_flows(load_flows(FLOWS_DIR), ZH_FLOWS)
    return [(flow, step_id, step) for flow in flows.values() for step_id, step in flow.steps.items()]


def test_in_every_translated_step_chinese_labels_match_and_yes_means_fixed() -> None:
    steps = _zh_flows()
    assert steps
    for flow, step_id, step in steps:
        for option in step.options:
            assert match_option(step, option.label) == option, f"{flow.id}/{step_id}: {option.label}"
        if not any(o.next == FIXED for o in step.options):
            continue
        assert match_option(step, "好了，解决了") == next(o for o in step.options if o.next == FIXED), (
            f"{flow.id}/{step_id}"
        )
        said_no = match_option(step, "还是不行，一样的报错")
        assert said_no is not None and said_no.next != FIXED, f"{flow.id}/{step_id}"


def test_advancing_a_flow_with_a_chinese_answer() -> None:
    flow = FlowBook.from_folder(FLOWS_DIR).get("rate-limit")
    assert flow is not None

    assert advance(flow, flow.start, "yes").kind is OutcomeKind.FIXED
    assert advance(flow, flow.start, "不确定").kind is OutcomeKind.UNCLEAR


@pytest.mark.parametrize(
    ("text", "fails"),
    [
        ("一直报 429 怎么办", True),
        ("报429", True),
        ("401报错", True),
        ("接口调不通", True),
        ("请求超时了", True),
        ("服务挂了吗", True),
        ("上传文件失败", True),
        ("SDK 用不了", True),
        ("Starter 套餐的速率限制是多少", False),
        ("怎么创建 API key", False),
        ("what are the rate limits on Starter?", False),
        ("I keep getting 429", True),
    ],
)
def test_chinese_failure_reports(text: str, fails: bool) -> None:
    assert reports_failure(text) is fails

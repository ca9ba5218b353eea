"""The advisor understands Chinese (and Chinese mixed with English) as it understands English: the
facts it reads, the quick replies of ``assistant.zh.yaml`` typed back, questions about one model,
comparisons, and the lists it writes in a Chinese copy."""

from __future__ import annotations

import pytest

from bot.advisor import (
    ADVISOR_KEYS,
    Facts,
    Weights,
    advise,
    asks_a_fact,
    extract_facts,
    model_fact_reply,
    model_in_question,
    next_question,
    resolve_models,
    task_question,
    which_one_reply,
)
from bot.advisor.questions import assume
from bot.advisor.vocabulary import LANGUAGES
from bot.advisor.wording import hosting_or, language_name, languages_and
from knowledge import PACKAGE_DIR
from knowledge.catalog import HOSTING_KINDS, Model
from knowledge.copy import Copy, load_copy

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def zh() -> Copy:
    return load_copy(PACKAGE_DIR / "assistant.zh.yaml", required=ADVISOR_KEYS)


def test_the_chinese_example_sentences_give_their_facts(catalog: list[Model]) -> None:
    need = extract_facts("想在本地机房部署一个能分类德语工单的模型，推荐哪个？", models=catalog)
    numbers = extract_facts("需要 100 毫秒以内，每月 200 万条，中文", models=catalog)

    assert (need.task, need.languages, need.hosting) == ("classification", {"de"}, "on_prem")
    assert need.volume is None  # "一个" is no volume
    assert (numbers.max_latency_ms, numbers.latency_hard) == (100.0, True)
    assert (numbers.volume, numbers.volume_period, numbers.monthly_volume) == (2_000_000, "month", 2_000_000)
    assert numbers.languages == {"zh"}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("德语", {"de"}),
        ("德文工单", {"de"}),
        ("中文", {"zh"}),
        ("汉语和普通话", {"zh"}),
        ("英语", {"en"}),
        ("英文邮件", {"en"}),
        ("法语", {"fr"}),
        ("日语", {"ja"}),
        ("韩语", {"ko"}),
        ("西班牙语", {"es"}),
        ("需要支持德语、法语和意大利语", {"de", "fr", "it"}),
        ("中英双语", {"zh", "en"}),
        ("中日韩三种语言", {"zh", "ja", "ko"}),
        ("German 和中文", {"de", "zh"}),
        ("其中文档有很多", set()),
    ],
)
def test_chinese_language_names_become_iso_codes(text: str, codes: set[str]) -> None:
    assert extract_facts(text).languages == codes


def test_every_language_the_chinese_copy_names_is_one_it_understands(zh: Copy) -> None:
    for code in dict.fromkeys(LANGUAGES.values()):
        assert extract_facts(f"需要支持{language_name(zh, code)}").languages == {code}, code


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("给工单分类", "classification"),
        ("自动归类客户邮件", "classification"),
        ("给评论打标签", "classification"),
        ("工单分类", "classification"),
        ("做情感分析", "sentiment"),
        ("把长文章做个摘要", "summarisation"),
        ("会议内容总结一下", "summarisation"),
        ("翻译产品文档", "translation"),
        ("向量检索", "embeddings"),
        ("做语义搜索", "embeddings"),
        ("知识库 RAG", "embeddings"),
        ("客服机器人", "chat"),
        ("多轮对话", "chat"),
        ("语音转文字", "speech_to_text"),
        ("电话录音转写", "speech_to_text"),
        ("文字转语音", "text_to_speech"),
        ("给视频配音", "text_to_speech"),
        ("朗读文章", "text_to_speech"),
        ("识别图片里的内容", "vision"),
        ("用OCR识别票据", "ocr"),
        ("写代码", "code"),
        ("代码补全", "code"),
        ("代码审核", "code"),
        ("内容审核", "moderation"),
        ("过滤敏感词", "moderation"),
        ("区分说话人", "diarisation"),
        ("给图片打标签", "image_classification"),
        ("目标检测", "object_detection"),
        ("写营销文案", "text_generation"),
        ("情感分析的客服机器人", "sentiment"),  # a specific task beats a generic one
    ],
)
def test_chinese_task_words_become_catalog_tasks(text: str, task: str) -> None:
    assert extract_facts(text).task == task


@pytest.mark.parametrize(
    ("text", "hosting", "privacy", "region"),
    [
        ("私有化部署", "on_prem", None, None),
        ("本地部署", "on_prem", None, None),
        ("部署在自己的机房", "on_prem", None, None),
        ("只能部署在内网", "on_prem", None, None),
        ("离线部署", "on_prem", None, None),
        ("跑在我们自己的服务器上", "on_prem", None, None),
        ("要on-prem部署", "on_prem", None, None),
        ("自有云", "vpc", None, None),
        ("要VPC部署", "vpc", None, None),
        ("部署到我们自己的云账号", "vpc", None, None),
        ("端侧运行", "edge", None, None),
        ("跑在手机上", "edge", None, None),
        ("边缘设备", "edge", None, None),
        ("直接用 Meridian 云", "cloud", None, None),
        ("云上就行", "cloud", None, None),
        ("数据不能出内网", None, "own_network", None),
        ("不能上云", None, "no_cloud", None),
        ("必须离线运行", None, "no_cloud", None),
        ("数据必须留在欧洲", None, "residency", "eu-west"),
        ("数据只能存在美国境内", None, "residency", "us-east"),
        ("数据不能出境", None, "residency", None),
        ("用新加坡的区域", None, None, "ap-southeast"),
        ("云或者 VPC 都行", None, None, None),  # no single requirement
    ],
)
def test_chinese_hosting_privacy_and_places(
    text: str, hosting: str | None, privacy: str | None, region: str | None
) -> None:
    facts = extract_facts(text)

    assert (facts.hosting, facts.privacy, facts.region) == (hosting, privacy, region)


def test_a_privacy_rule_in_chinese_limits_the_hosting_kinds() -> None:
    assert extract_facts("不能上云").allowed_hosting == {"on_prem", "edge"}
    assert extract_facts("数据不能出内网").allowed_hosting == {"vpc", "on_prem", "edge"}
    assert extract_facts("欧洲语言的客服").region is None  # languages of Europe are no place for the data


@pytest.mark.parametrize(
    ("text", "latency", "hard"),
    [
        ("100 毫秒以内", 100.0, True),
        ("延迟不超过 300ms", 300.0, True),
        ("2 秒内返回", 2000.0, True),
        ("延迟低于200毫秒", 200.0, True),
        ("延迟 500ms 左右", 500.0, False),
        ("1.5 秒", 1500.0, False),
    ],
)
def test_chinese_latencies(text: str, latency: float, hard: bool) -> None:
    facts = extract_facts(text)

    assert (facts.max_latency_ms, facts.latency_hard) == (latency, hard)


@pytest.mark.parametrize(
    ("text", "volume", "period"),
    [
        ("每月 200 万条", 2_000_000, "month"),
        ("每月200万条工单", 2_000_000, "month"),
        ("每天 5 万次", 50_000, "day"),
        ("每天大概 5 万次调用", 50_000, "day"),
        ("日均 3000 条消息", 3_000, "day"),
        ("1 千万", 10_000_000, None),
        ("一千万条文档", 10_000_000, None),
        ("两百万张图片/月", 2_000_000, "month"),
        ("10 万条评论一个月", 100_000, "month"),
        ("每天5k请求", 5_000, "day"),
        ("每月 2M tokens", 2_000_000, "month"),
        ("每秒 50 次", 50, "second"),
        ("2,000 个请求每小时", 2_000, "hour"),
    ],
)
def test_chinese_volumes_with_their_units_and_periods(text: str, volume: int, period: str | None) -> None:
    facts = extract_facts(text)

    assert (facts.volume, facts.volume_period) == (volume, period)


@pytest.mark.parametrize(
    "text",
    [
        "支持 8 种语言",
        "3 个模型",
        "100 毫秒",
        "预算 500 美元",
        "32k 上下文",
        "等了 3 天",
        "一个能翻译的模型",
        "千万不能出错",
    ],
)
def test_other_chinese_numbers_are_no_volume(text: str) -> None:
    assert extract_facts(text).volume is None


def test_chinese_money_context_and_fine_tuning() -> None:
    assert extract_facts("预算每月 500 美元").budget == "cheap"
    assert extract_facts("每月 500 刀").budget == "cheap"
    assert extract_facts("每个月 3000 块").budget == "cheap"
    assert extract_facts("单价不超过 2 美元").max_price == 2.0
    assert extract_facts("5 美元以内").max_price == 5.0
    assert extract_facts("32k 上下文").min_context_tokens == 32_000
    assert extract_facts("上下文窗口至少 128k").min_context_tokens == 128_000
    assert extract_facts("需要 10 万 token 的上下文").min_context_tokens == 100_000
    assert extract_facts("要用我们自己的数据微调").fine_tuning_needed is True
    assert extract_facts("不需要微调").fine_tuning_needed is False


@pytest.mark.parametrize(
    ("text", "priorities", "budget"),
    [
        ("最快", {"speed"}, None),
        ("速度优先", {"speed"}, None),
        ("延迟低一点", {"speed"}, None),
        ("要实时", {"speed"}, None),
        ("最便宜", set(), "cheapest"),
        ("越便宜越好", set(), "cheapest"),
        ("便宜点的", set(), "cheap"),
        ("想省钱", set(), "cheap"),
        ("成本低", set(), "cheap"),
        ("效果最好", {"quality"}, None),
        ("质量最好", {"quality"}, None),
        ("要最准的", {"quality"}, None),
        ("均衡", {"balanced"}, None),
        ("平衡一点", {"balanced"}, None),
        ("要处理长文档", {"context"}, None),
    ],
)
def test_chinese_priority_and_budget_words(text: str, priorities: set[str], budget: str | None) -> None:
    facts = extract_facts(text)

    assert (facts.priorities, facts.budget) == (priorities, budget)


def test_every_chinese_quick_reply_answers_its_question(zh: Copy, catalog: list[Model]) -> None:
    tasks = [extract_facts(reply).task for reply in task_question(zh).quick_replies]
    assert None not in tasks and len(set(tasks)) == len(tasks)
    for kind in HOSTING_KINDS:
        assert extract_facts(zh.say(f"advisor.questions.hosting.{kind}")).allowed_hosting == {kind}, kind
    assert "hosting" in extract_facts(zh.say("advisor.questions.hosting.any"), answering="hosting").settled
    answers = [extract_facts(o) for o in zh.options("advisor.questions.priority.options")]
    assert [(f.priorities, f.budget) for f in answers] == [
        ({"speed"}, None),
        (frozenset(), "cheapest"),
        ({"quality"}, None),
        ({"balanced"}, None),
    ]
    # The languages and hosting kinds offered to change an assumed default are read back as such.
    facts = Facts(task="translation")
    assumed = assume(facts, "zh", catalog, zh)
    assert assumed.facts.languages == {"zh"} and assumed.facts.hosting == "cloud"
    for reply in assumed.changes:
        changed = extract_facts(reply, facts, models=catalog)
        assert changed.languages or changed.allowed_hosting, reply


def test_a_chinese_conversation_answers_every_question_by_its_quick_replies(zh: Copy, catalog: list[Model]) -> None:
    for opening in ("我需要一个模型", "想做个客服机器人", "我们要给工单分类", "语音转文字"):
        facts, asked = extract_facts(opening, models=catalog), 0
        while (question := next_question(facts, asked, catalog, zh)) is not None:
            for reply in question.quick_replies:
                assert extract_facts(reply, facts, models=catalog, answering=question.slot) != facts, reply
            facts = extract_facts(question.quick_replies[0], facts, models=catalog, answering=question.slot)
            asked += 1
        assert asked <= 3, opening


@pytest.mark.parametrize(
    ("text", "model_id", "aspect_key"),
    [
        ("mer-chat-s 支持中文吗", "mer-chat-s", "languages"),
        ("mer-chat-s支持中文吗", "mer-chat-s", "languages"),
        ("这个模型多少钱", "mer-chat-m", "price"),
        ("它的上下文多长", "mer-chat-m", "context"),
        ("这个能微调吗", "mer-chat-m", "fine_tuning"),
        ("第二个延迟多少", "mer-chat-s", "latency"),
        ("vision edge 能私有化部署吗", "mer-vision-edge", "hosting"),
    ],
)
def test_chinese_questions_about_one_model(
    zh: Copy, catalog: list[Model], text: str, model_id: str, aspect_key: str
) -> None:
    model = model_in_question(text, catalog, ["mer-chat-m", "mer-chat-s"])

    assert asks_a_fact(text)
    assert model is not None and model.id == model_id
    reply = model_fact_reply("c", text, model, None, copy=zh)
    assert reply is not None and reply.recommendations[0]["model_id"] == model_id
    said = {"languages": "种语言", "price": "价格", "context": "上下文窗口", "fine_tuning": "微调",
            "latency": "响应时间", "hosting": "部署方式"}  # fmt: skip
    fact = said[aspect_key]
    assert fact in reply.reply


def test_which_one_in_chinese_picks_among_the_models_shown(zh: Copy, catalog: list[Model]) -> None:
    cheaper = which_one_reply("c", "哪个更便宜", catalog, ["mer-chat-m", "mer-chat-s"], None, copy=zh)
    faster = which_one_reply("c", "哪个更快？", catalog, ["mer-chat-l", "mer-chat-s"], None, copy=zh)

    assert cheaper is not None and [r["model_id"] for r in cheaper.recommendations] == ["mer-chat-s"]
    assert faster is not None and [r["model_id"] for r in faster.recommendations] == ["mer-chat-s"]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("chat medium 和 chat large 哪个好", ["mer-chat-m", "mer-chat-l"]),
        ("Chat Small 对比 Chat Large", ["mer-chat-s", "mer-chat-l"]),
        ("chat-m vs chat-l 区别", ["mer-chat-m", "mer-chat-l"]),
        ("embed 3 跟 embed lite 比较", ["mer-embed-3", "mer-embed-lite"]),
    ],
)
def test_chinese_comparisons_show_the_two_models(zh: Copy, catalog: list[Model], text: str, ids: list[str]) -> None:
    reply, _, pending = advise("c", text, catalog, None, 0, None, None, weights=Weights(), copy=zh)

    assert [r["model_id"] for r in reply.recommendations] == ids
    assert pending is None and "|" in reply.reply  # the table


def test_model_names_run_together_with_chinese_are_names(catalog: list[Model]) -> None:
    assert resolve_models("chat-m对比chat-l哪个好", catalog) == ["mer-chat-m", "mer-chat-l"]
    assert resolve_models("用chat 中文版做客服", catalog) == ["mer-chat-zh"]
    facts = extract_facts("Embed 3 万条文档", models=catalog)
    assert (facts.mentioned, facts.volume, facts.task) == ((), 30_000, "embeddings")


def test_lists_follow_the_language_of_the_copy(zh: Copy, copy: Copy) -> None:
    assert languages_and(zh, {"de", "fr", "es"}) == "德语、西班牙语和法语"
    assert languages_and(zh, {"de", "fr"}) == "德语和法语"
    assert hosting_or(zh, {"on_prem", "edge"}) == "本地机房（私有化部署）或边缘设备"
    assert languages_and(copy, {"de", "fr", "es"}) == "German, Spanish and French"
    assert hosting_or(copy, {"on_prem", "edge"}) == "on-premises or on edge devices"


def test_english_is_read_as_before() -> None:
    facts = extract_facts("classify 2M German tickets a month on-prem, under 100 ms, budget of $0.50")

    assert (facts.task, facts.languages, facts.hosting) == ("classification", {"de"}, "on_prem")
    assert (facts.volume, facts.volume_period, facts.max_latency_ms, facts.max_price) == (
        2_000_000,
        "month",
        100.0,
        0.5,
    )
    assert extract_facts("context window of 32k").volume == 32_000  # as it always was

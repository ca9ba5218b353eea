"""The ``language`` expectation: which language the reply was written in (the reply JSON's "language")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.quality.expectations import EXPECT_KEYS, bad_expectation, check_turn
from bot.quality.scenarios import SCENARIO_DIR, ScenarioError, load_scenario, load_scenarios
from bot.types import Reply, Route

pytestmark = pytest.mark.unit


def _reply(language: str, route: Route = Route.ANSWER) -> dict[str, Any]:
    return Reply(reply="速率限制按项目计算。", route=route, conversation_id="c1", language=language).to_json()


def test_language_is_a_known_expectation_taking_en_or_zh() -> None:
    assert "language" in EXPECT_KEYS
    assert bad_expectation("language", "zh") is None
    assert bad_expectation("language", "en") is None


@pytest.mark.parametrize("value", ["fr", "other", "unknown", "ZH", "", "  ", 1, None, ["zh"], True])
def test_a_language_other_than_en_or_zh_is_refused(value: Any) -> None:
    problem = bad_expectation("language", value)

    assert problem is not None
    assert repr(value) in problem


def test_a_reply_in_the_expected_language_has_no_failures() -> None:
    assert check_turn({"language": "zh", "route": "answer"}, _reply("zh"), None, []) == []
    assert check_turn({"language": "en"}, _reply("en"), None, []) == []


def test_a_reply_in_another_language_says_what_was_expected_and_what_it_had() -> None:
    failures = check_turn({"language": "zh"}, _reply("en", Route.TROUBLESHOOT), None, [])

    assert failures == ["expected language 'zh', the reply had language 'en' (route 'troubleshoot')"]


def test_a_reply_json_without_a_language_says_so() -> None:
    reply = _reply("zh")
    del reply["language"]

    assert check_turn({"language": "zh"}, reply, None, []) == [
        "expected language 'zh', the reply had no language (route 'answer')"
    ]


def test_a_scenario_file_with_a_bad_language_names_the_turn_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nturns:\n  - say: 你好\n    expect: {language: chinese}\n", encoding="utf-8")

    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)

    assert "turn 1" in str(raised.value) and "'language'" in str(raised.value) and "'chinese'" in str(raised.value)


def test_every_shipped_chinese_scenario_expects_a_language_on_every_turn() -> None:
    chinese = [s for s in load_scenarios(SCENARIO_DIR) if s.path.name.startswith("zh-")]

    assert len(chinese) >= 14
    assert all("language" in t.expect for s in chinese for t in s.turns)

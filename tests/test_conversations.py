"""Scripted customer conversations (knowledge/eval/conversations/*.yaml) played against the real assistant.

Each file is one conversation, sent turn by turn through ``Assistant.reply`` as ``supportbot ask
--batch`` sends it. A file with ``known_issue`` describes how the product should behave but does
not yet: it is expected to fail, and strictly, so a fix shows up as a test to update.
"""

from __future__ import annotations

import pytest

from bot.assistant import Assistant
from bot.quality.scenarios import SCENARIO_DIR, Scenario, load_scenarios, run_scenario

pytestmark = pytest.mark.integration

FOLDER = SCENARIO_DIR


def _cases() -> list[object]:
    return [
        pytest.param(
            s,
            id=s.path.stem,
            marks=[pytest.mark.xfail(strict=True, reason=s.known_issue)] if s.known_issue else [],
        )
        for s in load_scenarios(FOLDER)
    ]


@pytest.mark.parametrize("scenario", _cases())
def test_conversation_goes_as_scripted(assistant: Assistant, scenario: Scenario) -> None:
    result = run_scenario(assistant, scenario)

    assert result.passed, f"{scenario.path.name}: {scenario.name}\n" + "\n".join(result.failures)

"""Scripted multi-turn conversations: load YAML scenarios, play them through ``Assistant.reply``, check each reply.

A scenario file holds one conversation::

    name: rate limit fixed on the second step
    known_issue: "..."            # optional: the product still gets this wrong (reported apart)
    turns:
      - say: "getting 429 too many requests on every call"
        expect: {route: troubleshoot, flow: rate-limit, step: read-code}

Every turn goes through ``assistant.reply(conversation_id, text)`` exactly as ``supportbot ask
--batch`` does: the first message opens a new conversation and later ones reuse the id its reply
returned. ``check_turn`` is the pure check of one reply's JSON against one ``expect`` mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from bot.errors import SupportbotError
from bot.quality.expectations import bad_expectation, check_turn
from bot.types import Reply
from knowledge import PACKAGE_DIR
from knowledge.catalog import DEFAULT_CATALOG, Model, load_catalog

SCENARIO_DIR = PACKAGE_DIR / "eval" / "conversations"  # shipped with the knowledge base
SCENARIO_KEYS = frozenset({"name", "turns", "known_issue"})
TURN_KEYS = frozenset({"say", "expect"})


class ScenarioError(SupportbotError, ValueError):
    """A scenario file is malformed; the message names the file, the turn and the key."""

    def __init__(self, path: str | Path, reason: str, turn: int | None = None, key: str | None = None) -> None:
        self.path, self.reason, self.turn, self.key = str(path), reason, turn, key
        where = self.path + (f": turn {turn}" if turn is not None else "") + (f": key '{key}'" if key else "")
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Turn:
    say: str
    expect: dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    turns: tuple[Turn, ...]
    known_issue: str | None = None


@dataclass(frozen=True)
class ScenarioResult:
    """Whether every expectation held; ``failures`` say the turn, what was expected and what came back."""

    name: str
    passed: bool
    failures: list[str]
    known_issue: str | None = None
    replies: list[dict[str, Any]] = field(default_factory=list)


class Replier(Protocol):
    def reply(self, conversation_id: str | None, text: str, client_message_id: str | None = None) -> Reply: ...


# -- loading -------------------------------------------------------------------------------------


def load_scenarios(folder: str | Path) -> list[Scenario]:
    """Every ``*.yaml`` scenario of ``folder``, sorted by file name.

    Raises:
        ScenarioError: naming the file (and turn and key) of the first malformed scenario, or when
            the folder holds none.
    """
    folder = Path(folder)
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise ScenarioError(folder, "no *.yaml scenario files")
    return [load_scenario(p) for p in paths]


def load_scenario(path: str | Path) -> Scenario:
    """One scenario file, validated (raises ``ScenarioError``)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ScenarioError(path, f"invalid YAML: {e}") from e
    if not isinstance(data, dict):
        raise ScenarioError(path, f"must be a mapping with name and turns, got {type(data).__name__}")
    unknown = sorted(set(data) - SCENARIO_KEYS)
    if unknown:
        raise ScenarioError(path, f"unknown key (known: {', '.join(sorted(SCENARIO_KEYS))})", key=unknown[0])
    name, turns, issue = data.get("name"), data.get("turns"), data.get("known_issue")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(path, f"must be non-empty text, got {name!r}", key="name")
    if not isinstance(turns, list) or not turns:
        raise ScenarioError(path, f"must be a non-empty list of turns, got {turns!r}", key="turns")
    if issue is not None and (not isinstance(issue, str) or not issue.strip() or "\n" in issue.strip()):
        raise ScenarioError(path, f"must be a one-line description, got {issue!r}", key="known_issue")
    return Scenario(name.strip(), path, tuple(_turn(path, n, t) for n, t in enumerate(turns, 1)), issue)


def _turn(path: Path, n: int, raw: Any) -> Turn:
    if not isinstance(raw, dict):
        raise ScenarioError(path, f"must be a mapping with say and expect, got {raw!r}", turn=n)
    unknown = sorted(set(raw) - TURN_KEYS)
    if unknown:
        raise ScenarioError(path, "unknown key (known: expect, say)", turn=n, key=unknown[0])
    say, expect = raw.get("say"), raw.get("expect") or {}
    if not isinstance(say, str) or not say.strip():
        raise ScenarioError(path, f"must be a non-empty message, got {say!r}", turn=n, key="say")
    if not isinstance(expect, dict):
        raise ScenarioError(path, f"must be a mapping, got {expect!r}", turn=n, key="expect")
    for key, value in expect.items():
        problem = bad_expectation(str(key), value)
        if problem:
            raise ScenarioError(path, problem, turn=n, key=str(key))
    if expect.get("same_ticket") and n == 1:
        raise ScenarioError(path, "the first turn has no previous turn to compare with", turn=n, key="same_ticket")
    return Turn(say, dict(expect))


# -- running -------------------------------------------------------------------------------------


def catalog_for(assistant: object) -> list[Model]:
    """The catalog of the assistant's knowledge folder, or the shipped one."""
    settings = getattr(assistant, "settings", None)
    path = Path(settings.knowledge_dir) / "catalog.yaml" if settings is not None else DEFAULT_CATALOG
    return load_catalog(path if path.is_file() else DEFAULT_CATALOG)


def run_scenario(assistant: Replier, scenario: Scenario, catalog: Sequence[Model] | None = None) -> ScenarioResult:
    """Play ``scenario`` in a new conversation and check every reply.

    The first message is sent with no conversation id; every later one with the id the
    assistant returned, as ``supportbot ask --batch`` does. All turns run even after a failure.
    """
    models = catalog if catalog is not None else catalog_for(assistant)
    conversation: str | None = None
    previous: dict[str, Any] | None = None
    failures: list[str] = []
    replies: list[dict[str, Any]] = []
    for n, turn in enumerate(scenario.turns, 1):
        try:
            reply = assistant.reply(conversation, turn.say)
        except SupportbotError as e:
            failures.append(f"turn {n} ({turn.say!r}): the assistant raised {type(e).__name__}: {e}")
            break
        conversation = reply.conversation_id
        current = reply.to_json()
        replies.append(current)
        for problem in check_turn(turn.expect, current, previous, models):
            failures.append(f"turn {n} ({turn.say!r}): {problem}")
        previous = current
    return ScenarioResult(scenario.name, not failures, failures, scenario.known_issue, replies)


def run_all(
    assistant: Replier, folder: str | Path, catalog: Sequence[Model] | None = None
) -> tuple[int, int, list[ScenarioResult]]:
    """Run every scenario of ``folder``: (how many passed, how many there are, the results)."""
    models = catalog if catalog is not None else catalog_for(assistant)
    results = [run_scenario(assistant, s, models) for s in load_scenarios(folder)]
    return sum(r.passed for r in results), len(results), results


def report(results: Sequence[ScenarioResult]) -> str:
    """A plain-text summary; known issues are counted apart from regressions."""
    regressions = [r for r in results if not r.passed and not r.known_issue]
    known = [r for r in results if r.known_issue and not r.passed]
    fixed = [r for r in results if r.known_issue and r.passed]
    passed = sum(r.passed and not r.known_issue for r in results)
    lines = [f"{passed} passed, {len(regressions)} failed, {len(known)} known issues, {len(fixed)} known issues fixed"]
    for r in regressions:
        lines += [f"FAILED {r.name}", *(f"  {f}" for f in r.failures)]
    lines += [f"KNOWN ISSUE {r.name}: {r.known_issue}" for r in known]
    lines += [f"FIXED (remove known_issue) {r.name}" for r in fixed]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bot.quality.scenarios [FOLDER]``: run the scenarios with the configured assistant."""
    import argparse

    from bot.assistant import Assistant

    parser = argparse.ArgumentParser(prog="python -m bot.quality.scenarios", description=main.__doc__)
    parser.add_argument("folder", nargs="?", default=str(SCENARIO_DIR))
    args = parser.parse_args(argv)
    assistant = Assistant()
    assistant.warm_up()
    _, _, results = run_all(assistant, args.folder)
    print(report(results))
    return 1 if any(not r.passed and not r.known_issue for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Troubleshooting flow files: the shipped flows are complete and agree with the help centre, and
every mistake a support writer can make is reported with the file, the line and the step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.errors import KnowledgeError, SupportbotError
from knowledge.flows import ENDS, FIXED, FLOWS_DIR, UNRESOLVED, Flow, Option, load_flows
from knowledge.intents import load_intents
from knowledge.loaders import PACKAGE_DIR, load_articles

pytestmark = pytest.mark.unit

VALID = """\
id: rate-limit
title: Requests fail with 429 Too Many Requests
intents: [error_rate_limit]
detect: ['\\b429\\b', 'too many requests']
start: check-headers
steps:
  check-headers:
    text: >-
      Wait the seconds in the retry-after header,
      then retry.
    article: rate-limits
    options:
      - {label: "Yes, that fixed it", next: fixed}
      - {label: "Still failing", next: backoff}
      - {label: "I see quota_exceeded", next: quota}
  backoff:
    text: Add jitter to your retries.
    options:
      - {label: Yes, next: fixed}
      - {label: "Still failing", next: unresolved}
  quota:
    text: Raise the monthly spend limit.
    options:
      - {label: "Yes, that fixed it", next: fixed}
      - {label: "Still failing", next: unresolved}
"""

# The quota step of VALID, as the cases below cut it.
QUOTA_STEP = """\
    text: Raise the monthly spend limit.
    options:
      - {label: "Yes, that fixed it", next: fixed}
      - {label: "Still failing", next: unresolved}
"""
assert QUOTA_STEP in VALID

ORPHAN = """\
  orphan:
    text: Nobody gets here.
    options:
      - {label: "Yes, that fixed it", next: fixed}
"""

LOOP = """\
  backoff:
    text: Add jitter to your retries.
    options:
      - {label: "Try the quota", next: quota}
  quota:
    text: Raise the monthly spend limit.
    options:
      - {label: "Back to jitter", next: backoff}
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of ``text`` that holds ``fragment`` (which must occur once)."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, f"{fragment!r} is on lines {lines}"
    return lines[0]


def failure(folder: Path, known_articles: set[str] | None = None) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        load_flows(folder, known_articles)
    return info.value


def test_a_valid_flow_is_read_with_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, "rate-limit.yaml", VALID)

    flows = load_flows(tmp_path, known_articles={"rate-limits"})

    flow = flows["rate-limit"]
    assert list(flows) == ["rate-limit"]
    assert flow.title == "Requests fail with 429 Too Many Requests"
    assert flow.intents == ("error_rate_limit",)
    assert flow.start == "check-headers"
    assert flow.source == str(path)
    assert list(flow.steps) == ["check-headers", "backoff", "quota"]
    first = flow.steps["check-headers"]
    assert first.text == "Wait the seconds in the retry-after header, then retry."
    assert first.article == "rate-limits"
    assert first.options[2] == Option("I see quota_exceeded", "quota")
    assert flow.steps["backoff"].article is None
    # an unquoted Yes stays the label a customer sees; YAML 1.1 would have made it True
    assert flow.steps["backoff"].options[0] == Option("Yes", FIXED)
    assert [bool(p.search("HTTP/1.1 429 TOO MANY REQUESTS")) for p in flow.detect] == [True, True]
    assert not any(p.search("error 4290") for p in flow.detect)


# (what is wrong, old text, new text, line marker in the new text, field, step, words of the reason)
MISTAKES = [
    (
        "invalid YAML",
        "    text: Add jitter to your retries.",
        "    text: Add jitter: to: your retries.",
        "Add jitter:",
        None,
        None,
        "invalid YAML",
    ),
    ("missing field", "start: check-headers\n", "", None, "start", None, "missing field 'start:'"),
    ("start is not a step", "start: check-headers", "start: check-header", "start:", "start", None, "not a step"),
    (
        "dangling branch",
        '{label: "Still failing", next: backoff}',
        '{label: "Still failing", next: back-off}',
        "next: back-off",
        "next",
        "check-headers",
        "'back-off', which is neither a step of this flow nor an end",
    ),
    ("unreachable step", VALID, VALID + ORPHAN, "  orphan:", None, "orphan", "cannot be reached from start"),
    (
        "step with no options",
        QUOTA_STEP,
        "    text: Raise the monthly spend limit.\n    options: []\n",
        "options: []",
        "options",
        "quota",
        "has no options",
    ),
    (
        "step without an options field",
        QUOTA_STEP,
        "    text: Raise the monthly spend limit.\n",
        "Raise the monthly spend limit.",
        "options",
        "quota",
        "has no options",
    ),
    (
        "cycle with no exit",
        VALID[VALID.index("  backoff:") :],
        LOOP,
        "  backoff:",
        None,
        "backoff",
        "never reaches 'fixed' or 'unresolved'",
    ),
    (
        "invalid regular expression",
        "'\\b429\\b'",
        "'(429'",
        "detect:",
        "detect",
        None,
        "invalid regular expression '(429': missing ), unterminated subpattern",
    ),
    ("pattern matching everything", "'too many requests'", "'(too many)?'", "detect:", "detect", None, "every message"),
    (
        "unknown article",
        "article: rate-limits",
        "article: rate-limitz",
        "article:",
        "article",
        "check-headers",
        "unknown article 'rate-limitz'; did you mean 'rate-limits'?",
    ),
    (
        "misspelt field",
        "article: rate-limits",
        "artcle: rate-limits",
        "artcle:",
        "artcle",
        "check-headers",
        "unknown field 'artcle'",
    ),
    (
        "two options with one label",
        '{label: "I see quota_exceeded", next: quota}',
        '{label: "still FAILING", next: quota}',
        "still FAILING",
        "label",
        "check-headers",
        "two options are labelled",
    ),
    (
        "option without next",
        '{label: "I see quota_exceeded", next: quota}',
        '{label: "I see quota_exceeded"}',
        "I see quota_exceeded",
        "next",
        "check-headers",
        "missing 'next:'",
    ),
    ("step named like an end", "  backoff:", "  fixed:", "  fixed:", "steps", "fixed", "other than fixed and unresol"),
    ("id unlike the file name", "id: rate-limit", "id: rate-limits", "id:", "id", None, "does not match the file name"),
    ("empty text", "    text: Add jitter to your retries.", "    text: ''", "text: ''", "text", "backoff", "non-empty"),
]


@pytest.mark.parametrize(
    ("old", "new", "marker", "field", "step", "reason"),
    [m[1:] for m in MISTAKES],
    ids=[m[0] for m in MISTAKES],
)
def test_each_mistake_names_the_file_line_field_and_step(
    tmp_path: Path, old: str, new: str, marker: str | None, field: str | None, step: str | None, reason: str
) -> None:
    assert old in VALID
    text = VALID.replace(old, new, 1)
    path = write(tmp_path, "rate-limit.yaml", text)

    err = failure(tmp_path, known_articles={"rate-limits", "rate-limit-headers"})

    line = line_of(text, marker) if marker else 1
    assert (err.path, err.line, err.field) == (str(path), line, field)
    message = str(err)
    assert message.startswith(f"{path}:{line}:")
    assert reason in message
    if step:
        assert f"step '{step}'" in message
    assert isinstance(err, SupportbotError) and isinstance(err, ValueError)


def test_without_known_articles_any_article_id_is_accepted(tmp_path: Path) -> None:
    write(tmp_path, "rate-limit.yaml", VALID.replace("article: rate-limits", "article: not-written-yet"))

    assert load_flows(tmp_path)["rate-limit"].steps["check-headers"].article == "not-written-yet"


def test_the_same_flow_id_in_two_files_is_reported_at_the_second(tmp_path: Path) -> None:
    write(tmp_path, "rate-limit.yaml", VALID)
    second = write(tmp_path, "rate-limit.yml", VALID)

    err = failure(tmp_path)

    assert (err.path, err.line, err.field) == (str(second), 1, "id")
    assert f"already used by {tmp_path / 'rate-limit.yaml'}" in str(err)


def test_the_same_intent_in_two_files_names_the_flow_that_has_it(tmp_path: Path) -> None:
    write(tmp_path, "rate-limit.yaml", VALID)
    text = VALID.replace("id: rate-limit", "id: slow-requests").replace("detect: [", "detect: ['slow', ")
    second = write(tmp_path, "slow-requests.yaml", text)

    err = failure(tmp_path)

    assert (err.path, err.line, err.field) == (str(second), line_of(text, "intents:"), "intents")
    assert "intent 'error_rate_limit' is already handled by flow 'rate-limit'" in str(err)


def test_a_missing_or_empty_folder_and_an_empty_file_are_reported(tmp_path: Path) -> None:
    assert "no such folder" in str(failure(tmp_path / "nowhere"))
    assert "holds no troubleshooting flows" in str(failure(tmp_path))
    empty = write(tmp_path, "rate-limit.yaml", "")
    err = failure(tmp_path)
    assert (err.path, err.line) == (str(empty), 1)
    assert "is empty" in str(err)


# --- the shipped flows ---

TROUBLESHOOT_INTENTS = {
    "error_authentication", "error_permission", "error_rate_limit", "error_payload_too_large",
    "error_timeout_latency", "error_server_outage", "error_model_not_found", "error_sdk_install",
    "error_streaming", "error_fine_tune_failed", "error_quality_drift", "error_billing_block",
}  # fmt: skip
README_URLS = {
    "https://console.meridian.example",
    "https://api.meridian.example/v1",
    "https://status.meridian.example",
    "https://docs.meridian.example",
}


@pytest.fixture(scope="module")
def shipped() -> dict[str, Flow]:
    articles = {a.id for a in load_articles(PACKAGE_DIR / "articles")}
    return load_flows(FLOWS_DIR, known_articles=articles)


def test_shipped_flows_cover_every_troubleshoot_intent_once(shipped: dict[str, Flow]) -> None:
    intents = load_intents(PACKAGE_DIR / "intents.yaml")
    routed = {name for name, route in intents.routes.items() if route == "troubleshoot"}

    covered = [intent for flow in shipped.values() for intent in flow.intents]

    assert len(shipped) >= 12
    assert routed == TROUBLESHOOT_INTENTS
    assert sorted(covered) == sorted(TROUBLESHOOT_INTENTS)
    assert all(path.stem in shipped for path in FLOWS_DIR.glob("*.yaml"))


def test_shipped_flows_have_the_shape_writers_agreed_on(shipped: dict[str, Flow]) -> None:
    for flow in shipped.values():
        assert 3 <= len(flow.steps) <= 6, flow.id
        assert flow.detect, f"{flow.id} detects nothing"
        # a real branch: some step offers two different ways on besides "fixed"
        assert any(len({o.next for o in s.options} - {FIXED}) >= 2 for s in flow.steps.values()), flow.id
        for step in flow.steps.values():
            where = f"{flow.id}/{step.id}"
            assert len(re.findall(r"[.!?](?=\s|$)", step.text)) <= 3, f"{where} is longer than 3 sentences"
            assert len(step.text) <= 350, where
            if any(o.next == UNRESOLVED for o in step.options):
                assert any(o.next == FIXED for o in step.options), f"{where} gives up without asking if it worked"
            assert all(o.next in flow.steps or o.next in ENDS for o in step.options)


def test_shipped_flows_agree_with_the_facts_of_the_knowledge_readme(shipped: dict[str, Flow]) -> None:
    catalog = yaml.safe_load((PACKAGE_DIR / "catalog.yaml").read_text(encoding="utf-8"))
    models = {m["id"] for m in catalog["models"]}
    texts = [(f"{f.id}/{s.id}", s.text) for f in shipped.values() for s in f.steps.values()]
    texts += [(f"{f.id}/{s.id}", o.label) for f in shipped.values() for s in f.steps.values() for o in s.options]

    for where, text in texts:
        for url in re.findall(r"https?://[\w.-]*meridian[\w.-]*(?:/v1)?", text):
            assert url in README_URLS, f"{where}: {url}"
        for address in re.findall(r"[\w.+-]+@[\w-]+\.[\w.-]*\w", text):
            assert address in {"support@meridian.example", "security@meridian.example"}, f"{where}: {address}"
        for key in re.findall(r"\b(?:sk|mk|pk)[_-]\w*", text):
            assert key.startswith(("mk_live_", "mk_test_", "pk_")), f"{where}: {key}"
        for found in re.finditer(r"\bmer-[a-z0-9-]*[a-z0-9]", text):
            if text[: found.start()].endswith("not `"):
                continue  # a wrong id shown as such: "not `mer-chat-medium`"
            base = re.sub(r"-\d{4}-\d{2}$", "", found.group(0))  # a dated version of a catalog model
            assert base in models, f"{where}: {found.group(0)} is not in catalog.yaml"

"""What the customer has said about the model they need (``Facts``), read from their words in
English or Chinese (``extract_facts``) and kept between turns as JSON (``facts_to_json`` /
``facts_from_json``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from bot.advisor.names import name_matches
from bot.advisor.vocabulary import (
    CEILING_BEFORE,
    CHEAP,
    CHEAPEST,
    CONTEXT_SIZE,
    COUNT_NOUN,
    FINE_TUNE,
    FINE_TUNE_NO,
    GENERIC_TASKS,
    HOSTING_PATTERNS,
    LANGUAGES,
    LATENCY_LIMIT,
    LATENCY_TARGET,
    MONEY,
    MULTIPLIERS,
    NO_PREFERENCE,
    NOT_VOLUME,
    PER_MONTH,
    PER_PERIOD_AFTER,
    PERIOD,
    PERIOD_WORDS,
    PRIORITY_PATTERNS,
    PRIVACY_PATTERNS,
    REGION_PATTERNS,
    SLOT_NO_PREFERENCE,
    TASK_PATTERNS,
    VOLUME,
    ZH_CALLS,
    ZH_CEILING_AFTER,
    ZH_CEILING_BEFORE,
    ZH_CLAUSE,
    ZH_CONTEXT_MULTIPLIERS,
    ZH_CONTEXT_SIZE,
    ZH_COUNT,
    ZH_LANGUAGE_PAIRS,
    ZH_LANGUAGES,
    ZH_LATENCY_LIMIT,
    ZH_LATENCY_TARGET,
    ZH_MONEY,
    ZH_MULTIPLIERS,
    ZH_NOT_VOLUME,
    ZH_NUMERALS,
    ZH_PAIR_CODES,
    ZH_PER_PERIOD_AFTER,
    ZH_PER_PERIOD_BEFORE,
    ZH_PERIOD_AFTER,
    ZH_PERIOD_BEFORE,
    ZH_PERIODS,
    ZH_UNITS,
    ZH_VOLUME,
)
from index.language import has_han
from knowledge.catalog import Model

# The hosting kinds a privacy need leaves: "no data leaves our network" still allows the customer's VPC.
PRIVACY_HOSTING = {"own_network": frozenset({"vpc", "on_prem", "edge"}), "no_cloud": frozenset({"on_prem", "edge"})}


@dataclass(frozen=True)
class Facts:
    """What the customer has said so far about the model they need; ``None`` or empty = not said.

    ``task`` is a catalog task name; ``languages`` ISO 639-1 codes; ``volume`` items or requests
    (per ``volume_period`` when one was given: "day", "month", ...); ``hosting`` a required hosting
    kind; ``max_latency_ms`` a limit when ``latency_hard`` ("under 100 ms"), else a target;
    ``budget`` "cheap" or "cheapest"; ``max_price`` a ceiling on a model's list price (USD per its
    unit); ``region`` a catalog region; ``privacy`` "own_network" (cloud hosting ruled out except
    the customer's VPC), "no_cloud" (on-premises or edge only) or "residency" (data stays in
    ``region``); ``priorities`` among speed, cost, quality, context, balanced; ``mentioned`` model ids
    named; ``settled`` question slots the customer answered with "no preference".
    """

    task: str | None = None
    languages: frozenset[str] = frozenset()
    volume: int | None = None
    volume_period: str | None = None
    hosting: str | None = None
    max_latency_ms: float | None = None
    latency_hard: bool = False
    budget: str | None = None
    max_price: float | None = None
    region: str | None = None
    fine_tuning_needed: bool | None = None
    privacy: str | None = None
    priorities: frozenset[str] = frozenset()
    min_context_tokens: int | None = None
    mentioned: tuple[str, ...] = ()
    settled: frozenset[str] = frozenset()

    @property
    def allowed_hosting(self) -> frozenset[str] | None:
        """The hosting kinds a candidate may offer, from ``hosting`` and ``privacy``; None = any."""
        allowed = PRIVACY_HOSTING.get(self.privacy or "")
        if self.hosting is not None:
            return frozenset({self.hosting}) & allowed if allowed is not None else frozenset({self.hosting})
        return allowed

    @property
    def monthly_volume(self) -> float | None:
        if self.volume is None:
            return None
        return self.volume * PER_MONTH.get(self.volume_period or "month", 1)

    def merged(self, newer: Facts) -> Facts:
        """These facts updated by ``newer``: what it says replaces, sets and mentions accumulate."""
        changes = {
            f: getattr(newer, f)
            for f in ("task", "volume", "hosting", "max_latency_ms", "budget", "max_price", "region",
                      "fine_tuning_needed", "privacy", "min_context_tokens")
            if getattr(newer, f) is not None
        }  # fmt: skip
        if newer.volume is not None:
            changes["volume_period"] = newer.volume_period
        if newer.max_latency_ms is not None:
            changes["latency_hard"] = newer.latency_hard
        ruled_out = self.privacy in PRIVACY_HOSTING and newer.hosting not in PRIVACY_HOSTING[self.privacy or ""]
        if newer.hosting and not newer.privacy and ruled_out:
            changes["privacy"] = None  # "actually, the cloud is fine" lifts the earlier "not in the cloud"
        return replace(
            self,
            **changes,
            languages=self.languages | newer.languages,
            priorities=self.priorities | newer.priorities,
            mentioned=tuple(dict.fromkeys(self.mentioned + newer.mentioned)),
            settled=self.settled | newer.settled,
        )


def extract_facts(
    text: str, known: Facts | None = None, *, models: Sequence[Model] = (), answering: str | None = None
) -> Facts:
    """The facts in ``text`` added to ``known`` (a later message adds to, or corrects, earlier ones).

    Args:
        text: one customer message.
        known: the facts gathered so far.
        models: the catalog, to recognise model names ("chat small", "the speech one") as ``mentioned``.
        answering: the ``Question.slot`` the message answers, so "no preference" settles that slot.
    Returns:
        The merged facts; ``known`` itself is not changed.
    """
    mentioned, text = _take_mentions(text, models)
    new = Facts(mentioned=tuple(mentioned), languages=_languages(text), **_task(text), **_where(text))
    new = replace(new, **{**_numbers(text), **_wishes(text)})
    settled = {slot for slot, p in SLOT_NO_PREFERENCE.items() if p.search(text)}
    if answering and NO_PREFERENCE.search(text):
        settled.add(answering)
    return (known or Facts()).merged(replace(new, settled=frozenset(settled)))


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


def _take_mentions(text: str, models: Sequence[Model]) -> tuple[list[str], str]:
    """Model ids named in ``text``, and the text with those names blanked (so "vision edge" is not a hosting wish)."""
    found = name_matches(text, models)
    for _, start, end in found:
        text = _blank(text, (start, end))
    return list(dict.fromkeys(model_id for model_id, _, _ in found)), text


_ZH_LANGUAGE_NAMES = [(code, re.compile(names)) for code, names in ZH_LANGUAGES.items()]


def _languages(text: str) -> frozenset[str]:
    codes = set()
    for m in re.finditer(r"[A-Za-z]+", text):
        word = m.group().lower()
        if word in LANGUAGES and (word != "polish" or m.group()[0] == "P"):  # "polish our replies" is a verb
            codes.add(LANGUAGES[word])
    if has_han(text):
        codes.update(code for code, pattern in _ZH_LANGUAGE_NAMES if pattern.search(text))
        for m in ZH_LANGUAGE_PAIRS.finditer(text):
            codes.update(ZH_PAIR_CODES[c] for c in m.group())
    return frozenset(codes)


def _task(text: str) -> dict[str, Any]:
    best: tuple[bool, int, str] | None = None
    for task, pattern in TASK_PATTERNS:
        for m in pattern.finditer(text):
            text = _blank(text, m.span())
            candidate = (task in GENERIC_TASKS, m.start(), task)
            best = candidate if best is None or candidate < best else best
    return {"task": best[2]} if best else {}


def _where(text: str) -> dict[str, Any]:
    """Privacy, region and hosting; privacy phrases first so "not in the cloud" is not a wish for cloud."""
    found: dict[str, Any] = {}
    for kind, pattern in PRIVACY_PATTERNS:
        m = pattern.search(text)
        if m:
            found.setdefault("privacy", kind)
            if kind == "residency":
                # "stay in the us" can only mean the country here, so lower case counts too.
                place = m.group().upper() if re.search(r"\bus\b", m.group(), re.I) else m.group()
                region = next((r for r, p in REGION_PATTERNS if p.search(place)), None)
                found.update({"region": region} if region else {})
            text = _blank(text, m.span())
    regions = {region for region, pattern in REGION_PATTERNS if pattern.search(text)}
    if "region" not in found and len(regions) == 1:
        found["region"] = regions.pop()
    kinds = []
    for kind, pattern in HOSTING_PATTERNS:
        for m in pattern.finditer(text):
            kinds.append(kind)
            text = _blank(text, m.span())
    if len(set(kinds)) == 1:  # "cloud or VPC" is no single requirement
        found["hosting"] = kinds[0]
    return found


def _numbers(text: str) -> dict[str, Any]:
    """Latency, volume, price ceiling and context size."""
    found: dict[str, Any] = {}
    chinese = has_han(text)
    limit = LATENCY_LIMIT.search(text) or (ZH_LATENCY_LIMIT.search(text) if chinese else None)
    target = limit or LATENCY_TARGET.search(text) or (ZH_LATENCY_TARGET.search(text) if chinese else None)
    if target:
        value, unit = [g for g in target.groups() if g is not None][:2]
        found["max_latency_ms"] = float(value) * (1 if unit.lower().startswith(("m", "毫")) else 1000)
        found["latency_hard"] = limit is not None
        text = _blank(text, target.span())
    if chinese:  # "32k 上下文" is a window, not a volume
        size = ZH_CONTEXT_SIZE.search(text)
        if size:
            value, k = (size.group(1), size.group(2)) if size.group(1) else (size.group(3), size.group(4))
            found["min_context_tokens"] = int(float(value) * ZH_CONTEXT_MULTIPLIERS.get((k or "").lower(), 1))
            text = _blank(text, size.span())
    volume = _volume(text, chinese)
    if volume is not None:
        found["volume"], found["volume_period"] = volume
    for m in MONEY.finditer(text):
        amount = float(m.group(1) or m.group(2))
        before, after = _clause_before(text, m.start()), text[m.end() :]
        if PER_PERIOD_AFTER.match(after) or (chinese and _monthly_spend(before, after)):
            found.setdefault("budget", "cheap")  # a monthly spend cannot be set against a unit price
        elif CEILING_BEFORE.search(text[: m.start()]) or (chinese and _ceiling(before, after)):
            found["max_price"] = amount
    for m in ZH_MONEY.finditer(text) if chinese else ():
        amount = float(m.group("amount")) * ZH_MULTIPLIERS.get(m.group("mult") or "", 1)
        before, after = _clause_before(text, m.start()), text[m.end() :]
        if _monthly_spend(before, after) or not m.group("usd"):  # yuan are no ceiling on dollar prices
            found.setdefault("budget", "cheap")
        elif _ceiling(before, after):
            found["max_price"] = amount
    size = CONTEXT_SIZE.search(text)
    if size:
        value, k = (size.group(1), size.group(2)) if size.group(1) else (size.group(3), size.group(4))
        found["min_context_tokens"] = int(float(value) * (1000 if k else 1))
    return found


def _clause_before(text: str, start: int) -> str:
    """What the Chinese clause holding position ``start`` says before it."""
    before = text[:start]
    ends = list(ZH_CLAUSE.finditer(before))
    return before[ends[-1].end() :] if ends else before


def _monthly_spend(before: str, after: str) -> bool:
    return bool(ZH_PER_PERIOD_BEFORE.search(before) or ZH_PER_PERIOD_AFTER.match(after))


def _ceiling(before: str, after: str) -> bool:
    return bool(ZH_CEILING_BEFORE.search(before) or ZH_CEILING_AFTER.match(after))


def _volume(text: str, chinese: bool) -> tuple[int, str | None] | None:
    """The first volume in ``text`` with its period: "2M tickets a month", "每月 200 万条"."""
    found: list[tuple[int, int, str | None]] = []
    for m in VOLUME.finditer(text):
        number, mult, tail = m.group(1), m.group(2), m.group("tail")
        before = text[max(0, m.start() - 8) : m.start()].lower()
        if NOT_VOLUME.match(tail) or before.rstrip().endswith("per") or not (mult or COUNT_NOUN.match(tail)):
            continue
        if chinese and ZH_NOT_VOLUME.match(tail):
            continue
        period = PERIOD.search(tail)
        name = (period.group(1) or PERIOD_WORDS[period.group(2).lower()]).lower() if period else None
        if name is None and chinese:
            name = _zh_period(text, m.start(), tail)
        found.append((m.start(), int(float(number.replace(",", "")) * MULTIPLIERS.get((mult or "").lower(), 1)), name))
        break
    for m in ZH_VOLUME.finditer(text) if chinese else ():
        if found and found[0][0] <= m.start():
            break
        number, mult, tail = m.group("number"), m.group("mult"), m.group("tail")
        if ZH_NOT_VOLUME.match(tail) or NOT_VOLUME.match(tail):
            continue
        value = _zh_number(number)
        per = _zh_period(text, m.start(), tail)
        spelled = not number[0].isdigit()
        if spelled and not mult and value < 100:  # "一个", "一天": no volume
            continue
        if not (mult or ZH_COUNT.match(tail) or (per and ZH_CALLS.match(tail))):
            continue
        found.insert(0, (m.start(), int(value * ZH_MULTIPLIERS.get(mult or "", 1)), per))
        break
    return (found[0][1], found[0][2]) if found else None


def _zh_number(number: str) -> float:
    """A number in digits ("2,000", "1.5") or in Chinese numerals ("两百", "三千五")."""
    if number[0].isdigit():
        return float(number.replace(",", ""))
    total, current, last_unit = 0, 0, 1
    for ch in number:
        if ch in ZH_UNITS:
            last_unit = ZH_UNITS[ch]
            total += (current or 1) * last_unit
            current = 0
        else:
            current = ZH_NUMERALS.get(ch, 0)
    if current and last_unit > 1 and number[-2] in ZH_UNITS:  # "三千五" is 3,500
        current *= last_unit // 10
    return float(total + current)


def _zh_period(text: str, start: int, tail: str) -> str | None:
    """The period a Chinese clause gives a number: after it ("/月", "一天") or before it ("每月", "日均")."""
    after = ZH_CLAUSE.split(tail, maxsplit=1)[0]
    m = ZH_PERIOD_AFTER.search(after)
    if m is None:
        found = list(ZH_PERIOD_BEFORE.finditer(_clause_before(text, start)))
        m = found[-1] if found else None
    if m is None:
        return None
    word = next(g for g in m.groups() if g is not None)
    return ZH_PERIODS.get(word)


def _wishes(text: str) -> dict[str, Any]:
    """Budget words, priorities and fine-tuning."""
    found: dict[str, Any] = {}
    if CHEAPEST.search(text):
        found["budget"] = "cheapest"
    elif CHEAP.search(text):
        found["budget"] = "cheap"
    priorities = frozenset(p for p, pattern in PRIORITY_PATTERNS if pattern.search(text))
    if priorities:
        found["priorities"] = priorities
    if FINE_TUNE_NO.search(text):
        found["fine_tuning_needed"] = False
    elif FINE_TUNE.search(text):
        found["fine_tuning_needed"] = True
    return found


def facts_to_json(facts: Facts) -> dict[str, Any]:
    """``facts`` as plain JSON values (sets as sorted lists), as a conversation state stores them."""
    data = asdict(facts)
    return {
        k: sorted(v) if isinstance(v, frozenset) else list(v) if isinstance(v, tuple) else v for k, v in data.items()
    }


def facts_from_json(data: dict[str, Any] | None) -> Facts:
    """The ``Facts`` stored as ``data`` by ``facts_to_json``; unknown keys are ignored, None is no facts."""
    if not data:
        return Facts()
    kinds = {f.name: f.type for f in fields(Facts)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in kinds:
            continue
        kind = str(kinds[name])
        if kind.startswith("frozenset"):
            value = frozenset(value or ())
        elif kind.startswith("tuple"):
            value = tuple(value or ())
        values[name] = value
    return Facts(**values)

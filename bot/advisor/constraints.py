"""The hard constraints of ``Facts``: which ones a model misses, said in words, and the customer's
requirements summed up in one line."""

from __future__ import annotations

from bot.advisor.facts import Facts
from bot.advisor.wording import hosting_or, hosting_short, languages_and, say, task_name
from knowledge.catalog import Model
from knowledge.copy import Copy

SELF_HOSTED = frozenset({"on_prem", "edge"})


def violated(model: Model, facts: Facts) -> list[str]:
    """The hard constraints of ``facts`` that ``model`` misses, among task, languages, hosting,
    region, fine_tuning and latency (in that order)."""
    out = []
    if facts.task is not None and facts.task not in model.tasks:
        out.append("task")
    if facts.languages - set(model.languages):
        out.append("languages")
    allowed = facts.allowed_hosting
    if allowed is not None and not allowed & set(model.hosting):
        out.append("hosting")
    if facts.region and facts.region not in model.regions and not region_free(model, facts):
        out.append("region")
    if facts.fine_tuning_needed and not model.fine_tunable:
        out.append("fine_tuning")
    if facts.latency_hard and facts.max_latency_ms is not None and model.latency_ms_p50 > facts.max_latency_ms:
        out.append("latency")
    return out


def violations(model: Model, facts: Facts, copy: Copy) -> list[tuple[str, str]]:
    """(constraint, explanation) for every hard constraint of ``facts`` that ``model`` misses."""
    return [(key, _explain(key, model, facts, copy)) for key in violated(model, facts)]


def _explain(key: str, model: Model, facts: Facts, copy: Copy) -> str:
    if key == "task":
        return say(copy, "violations.task", task=task_name(copy, facts.task or ""))
    if key == "languages":
        return say(copy, "violations.languages", languages=languages_and(copy, facts.languages - set(model.languages)))
    if key == "hosting":
        where = hosting_or(copy, facts.allowed_hosting or ()) or say(copy, "hosting.nowhere")
        offered = ", ".join(hosting_short(copy, h) for h in model.hosting)
        return say(copy, "violations.hosting", where=where, offered=offered)
    if key == "region":
        regions = ", ".join(model.regions) or say(copy, "regions.self_hosted")
        return say(copy, "violations.region", region=facts.region, regions=regions)
    if key == "latency":
        return say(copy, "violations.latency", latency=model.latency_ms_p50, limit=facts.max_latency_ms)
    return say(copy, f"violations.{key}")


def region_free(model: Model, facts: Facts) -> bool:
    """Whether ``model`` would run on the customer's own hardware, where no Meridian region applies:
    an allowed on-premises or edge build, or (hosting not said, so the cloud is the default) no cloud build."""
    allowed = facts.allowed_hosting
    if allowed is None:
        return not model.regions
    return bool(allowed & set(model.hosting) & SELF_HOSTED)


def describe(facts: Facts, copy: Copy) -> list[str]:
    """The customer's requirements in words: task, languages, hosting, region, fine-tuning, a latency limit."""
    parts = []
    if facts.task:
        parts.append(task_name(copy, facts.task))
    if facts.languages:
        parts.append(languages_and(copy, facts.languages))
    allowed = facts.allowed_hosting
    if allowed is not None:
        parts.append(hosting_or(copy, allowed) or say(copy, "hosting.none_left"))
    if facts.region:
        parts.append(say(copy, "requirements.region", region=facts.region))
    if facts.fine_tuning_needed:
        parts.append(say(copy, "requirements.fine_tuning"))
    if facts.latency_hard and facts.max_latency_ms is not None:
        parts.append(say(copy, "requirements.latency", limit=facts.max_latency_ms))
    return parts

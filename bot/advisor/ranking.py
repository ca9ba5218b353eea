"""Recommendations from the catalog: the models that meet every hard constraint, best first, each
with its reasons and its trade-off; or, when none fits, the closest ones and what each misses.

Filtering. A model is a candidate only if it meets every HARD constraint the customer gave:
the task, every language, the hosting kind (or the set a privacy need allows), the region
(cloud and VPC only: on-premises and edge builds keep data on the customer's hardware),
fine-tunability when needed, and latency only when it was a limit ("under 100 ms").

Ranking. Each candidate gets criterion scores in [0, 1], on a log scale across the whole catalog:

- ``speed``   1 for the fastest p50 latency in the catalog, 0 for the slowest;
- ``cost``    1 for the cheapest price among models priced in the same unit, 0 for the dearest;
- ``quality`` ``1 - cost``: within a pricing unit the catalog's larger models cost more (catalog guide);
- ``context`` 1 for the longest context window, 0 for none.

``score = sum(weight * criterion) + balance * min(speed, cost, quality)``, plus ``specialist`` when
the task is the model's first-listed (main) task, plus or minus ``language_focus`` when the model's
name or headline strength names a language the customer did (or did not) ask for, minus ``soft_miss``
for each soft wish it misses (a latency target, a price ceiling, a context size). Every criterion
starts at its weight in ``Weights``; ``emphasis`` is added to what the customer said matters (speed
when a latency was given, cost for "cheap" or a high volume, quality, context). The ``balance`` term
makes the mid-sized model the default when nothing is said, as the help centre recommends.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.advisor.constraints import describe, region_free, violated, violations
from bot.advisor.facts import PRIVACY_HOSTING, Facts
from bot.advisor.vocabulary import LANGUAGES
from bot.advisor.wording import hosting_where, joined_or, languages_and, region_city, say, task_name
from knowledge.catalog import Model
from knowledge.copy import Copy

HIGH_VOLUME_PER_MONTH = 1_000_000  # items a month from which price outweighs the other criteria


@dataclass(frozen=True)
class Weights:
    """The ranking weights documented at the top of this module."""

    speed: float = 1.0
    cost: float = 1.0
    quality: float = 1.0
    context: float = 0.5
    balance: float = 1.5
    emphasis: float = 2.0
    specialist: float = 1.0
    language_focus: float = 0.75
    soft_miss: float = 1.0


@dataclass(frozen=True)
class Recommendation:
    """A model with the facts it matches (``reasons``), its main limit (``tradeoff``) and, for a
    closest-but-not-fitting model, the hard constraints it misses (``violations``, keys in ``violated``)."""

    model_id: str
    name: str
    reasons: tuple[str, ...]
    tradeoff: str
    violations: tuple[str, ...] = ()
    violated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Advice:
    """Up to ``limit`` recommendations; when none fits, ``closest`` says what each one misses."""

    recommendations: tuple[Recommendation, ...]
    closest: tuple[Recommendation, ...]
    message: str
    constraints: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        return bool(self.recommendations)


def recommend(models: Sequence[Model], facts: Facts, *, weights: Weights, copy: Copy, limit: int = 3) -> Advice:
    """The best ``limit`` models of the catalog for ``facts``, or the closest ones when none fits.

    Args:
        models: the catalog (the scales of the ranking are taken over all of it).
        facts: what the customer needs; hard constraints filter, the rest ranks.
        weights: the ranking weights.
        copy: the assistant's sentences (``advisor.`` keys) for the reasons and the message.
        limit: at most this many recommendations (and closest models).
    Returns:
        ``Advice`` with ``recommendations`` (best first), or with empty recommendations, ``closest``
        models each naming the constraints it violates, and a message that says nothing fits.
    Raises:
        ValueError: when ``limit`` is below 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    scale = _Scale(models)
    constraints = tuple(describe(facts, copy))
    wanted = ", ".join(constraints) or say(copy, "requirements.none")
    ranked = sorted(models, key=lambda m: -_score(m, facts, scale, weights))
    fitting = [m for m in ranked if not violated(m, facts)]
    if facts.budget == "cheapest":  # "the cheapest" is a superlative: price decides, the score breaks ties
        fitting.sort(key=lambda m: (m.price.unit, m.price.amount))
    if fitting:
        recs = tuple(_recommendation(m, facts, fitting, copy) for m in fitting[:limit])
        message = say(
            copy, "advice.best_fit", wanted=wanted, name=recs[0].name, fitting=len(fitting), total=len(models)
        )
        return Advice(recs, (), message, constraints)
    # Closest: the models that do the task (all models if none does), fewest missed constraints first,
    # then by score (``ranked`` is in score order and the sort is stable).
    doers = [m for m in ranked if facts.task is None or facts.task in m.tasks] or ranked
    close = sorted(doers, key=lambda m: len(violated(m, facts)))
    closest = tuple(_recommendation(m, facts, close, copy) for m in close[:limit])
    return Advice((), closest, say(copy, "advice.nothing_fits", wanted=wanted), constraints)


def _recommendation(m: Model, facts: Facts, candidates: Sequence[Model], copy: Copy) -> Recommendation:
    missed = violations(m, facts, copy)
    return Recommendation(
        model_id=m.id,
        name=m.name,
        reasons=tuple(_reasons(m, facts, candidates, copy)),
        tradeoff="; ".join([*_soft_miss_texts(m, facts, copy), m.limits[0]]),
        violations=tuple(text for _, text in missed),
        violated=tuple(key for key, _ in missed),
    )


# --- scoring -----------------------------------------------------------------------------------------------------


class _Scale:
    """Log-scale min-max of latency, context and price (per unit) over the whole catalog."""

    def __init__(self, models: Sequence[Model]) -> None:
        self.latency = _bounds(math.log(m.latency_ms_p50) for m in models)
        self.context = _bounds(math.log1p(m.context_tokens) for m in models)
        units = {m.price.unit for m in models}
        self.price = {u: _bounds(_log_price(m) for m in models if m.price.unit == u) for u in units}

    def criteria(self, m: Model) -> dict[str, float]:
        cost = 1 - _unit(_log_price(m), self.price.get(m.price.unit, (0.0, 0.0)))
        return {
            "speed": 1 - _unit(math.log(m.latency_ms_p50), self.latency),
            "cost": cost,
            "quality": 1 - cost,
            "context": _unit(math.log1p(m.context_tokens), self.context),
        }


def _bounds(values: Iterable[float]) -> tuple[float, float]:
    vs = list(values)
    return (min(vs), max(vs)) if vs else (0.0, 0.0)


def _unit(value: float, bounds: tuple[float, float]) -> float:
    lo, hi = bounds
    return 0.5 if hi <= lo else min(1.0, max(0.0, (value - lo) / (hi - lo)))


def _log_price(m: Model) -> float:
    return math.log(max(m.price.amount, 1e-6))


def _emphasis(facts: Facts) -> set[str]:
    wanted = set(facts.priorities) - {"balanced"}
    if facts.max_latency_ms is not None:
        wanted.add("speed")
    volume = facts.monthly_volume
    if facts.budget or facts.max_price is not None or (volume is not None and volume >= HIGH_VOLUME_PER_MONTH):
        wanted.add("cost")
    if facts.min_context_tokens:
        wanted.add("context")
    return wanted


def _focus(m: Model) -> set[str]:
    """Languages the model's name or headline strength is built around ("best Chinese fluency")."""
    words = set(re.findall(r"[a-z]+", f"{m.name} {m.strengths[0]}".lower()))
    return {LANGUAGES[w] for w in words & LANGUAGES.keys()}


def _soft_misses(m: Model, facts: Facts) -> list[str]:
    """The soft wishes ``m`` misses: "latency" (a target), "price" (a ceiling), "context" (a size)."""
    misses = []
    if facts.max_latency_ms is not None and not facts.latency_hard and m.latency_ms_p50 > facts.max_latency_ms:
        misses.append("latency")
    if facts.max_price is not None and m.price.amount > facts.max_price:
        misses.append("price")
    if facts.min_context_tokens and m.context_tokens < facts.min_context_tokens:
        misses.append("context")
    return misses


def _soft_miss_texts(m: Model, facts: Facts, copy: Copy) -> list[str]:
    values: dict[str, dict[str, object]] = {
        "latency": {"latency": m.latency_ms_p50, "limit": facts.max_latency_ms},
        "price": {"price": str(m.price), "ceiling": facts.max_price},
        "context": {"tokens": m.context_tokens, "need": facts.min_context_tokens},
    }
    return [say(copy, f"soft_misses.{miss}", **values[miss]) for miss in _soft_misses(m, facts)]


def _score(m: Model, facts: Facts, scale: _Scale, weights: Weights) -> float:
    """The ranking score of ``m`` for ``facts`` (higher is better; see the module docstring)."""
    crit = scale.criteria(m)
    emphasis = _emphasis(facts)
    base = {"speed": weights.speed, "cost": weights.cost, "quality": weights.quality, "context": weights.context}
    total = sum((w + (weights.emphasis if c in emphasis else 0.0)) * crit[c] for c, w in base.items())
    total += weights.balance * min(crit["speed"], crit["cost"], crit["quality"])
    if facts.task is not None and m.tasks[0] == facts.task:
        total += weights.specialist
    focus = _focus(m)
    if focus:
        total += weights.language_focus * (1 if focus & facts.languages else -1)
    return total - weights.soft_miss * len(_soft_misses(m, facts))


# --- reasons -----------------------------------------------------------------------------------------------------


def _reasons(m: Model, facts: Facts, candidates: Sequence[Model], copy: Copy) -> list[str]:
    """Why ``m`` fits: the facts it meets, what the customer said matters, its headline strength."""
    reasons = _fits(m, facts, copy)
    emphasis = _emphasis(facts)
    if facts.max_latency_ms is not None and m.latency_ms_p50 <= facts.max_latency_ms:
        reasons.append(say(copy, "reasons.latency_under", latency=m.latency_ms_p50, limit=facts.max_latency_ms))
    elif "speed" in emphasis:
        reasons.append(say(copy, "reasons.latency", latency=m.latency_ms_p50))
    if "cost" in emphasis:
        same_unit = [c.price.amount for c in candidates if c.price.unit == m.price.unit]
        cheapest = m.price.amount <= min(same_unit) and len(candidates) > 1
        reasons.append(say(copy, "reasons.cheapest", price=str(m.price)) if cheapest else str(m.price))
    if "context" in emphasis and not _soft_misses(m, facts):
        reasons.append(say(copy, "reasons.context", tokens=m.context_tokens))
    reasons.append(m.strengths[0])
    return reasons


def _fits(m: Model, facts: Facts, copy: Copy) -> list[str]:
    """The hard constraints ``m`` meets, as reasons."""
    reasons = []
    if facts.task is not None and facts.task in m.tasks:
        key = "reasons.built_for" if m.tasks[0] == facts.task else "reasons.does"
        reasons.append(say(copy, key, task=task_name(copy, facts.task)))
    if facts.languages and facts.languages <= set(m.languages):
        reasons.append(say(copy, "reasons.supports", languages=languages_and(copy, facts.languages)))
    allowed = facts.allowed_hosting
    if allowed is not None and allowed & set(m.hosting):
        where = joined_or(copy, [hosting_where(copy, k) for k in m.hosting if k in allowed])
        key = "reasons.runs_inside" if facts.privacy in PRIVACY_HOSTING else "reasons.runs"
        reasons.append(say(copy, key, where=where))
    if facts.region and facts.region in m.regions:
        reasons.append(say(copy, "reasons.region", region=facts.region, city=region_city(copy, facts.region)))
    elif facts.region and region_free(m, facts):
        reasons.append(say(copy, "reasons.own_hardware"))
    if facts.fine_tuning_needed and m.fine_tunable:
        reasons.append(say(copy, "reasons.fine_tunable"))
    return reasons

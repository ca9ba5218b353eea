"""The model-selection advisor: facts from the customer's words, the questions still worth asking,
recommendations from the catalog, side-by-side comparisons and tolerant model names.

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

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.errors import InputError
from knowledge.catalog import Model

MAX_QUESTIONS = 3
HIGH_VOLUME_PER_MONTH = 1_000_000  # items a month from which price outweighs the other criteria

LANGUAGES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "spanish": "es", "italian": "it",
    "portuguese": "pt", "brazilian": "pt", "dutch": "nl", "flemish": "nl", "japanese": "ja", "korean": "ko",
    "chinese": "zh", "mandarin": "zh", "cantonese": "zh", "arabic": "ar", "hindi": "hi", "russian": "ru",
    "polish": "pl", "turkish": "tr", "swedish": "sv", "danish": "da", "finnish": "fi", "czech": "cs",
    "vietnamese": "vi", "ukrainian": "uk", "greek": "el", "hebrew": "he", "indonesian": "id", "thai": "th",
    "norwegian": "no", "hungarian": "hu", "romanian": "ro", "bulgarian": "bg", "croatian": "hr", "serbian": "sr",
    "slovak": "sk", "slovenian": "sl", "estonian": "et", "latvian": "lv", "lithuanian": "lt", "malay": "ms",
    "tagalog": "tl", "filipino": "tl", "swahili": "sw", "bengali": "bn", "urdu": "ur", "tamil": "ta",
    "persian": "fa", "farsi": "fa", "catalan": "ca",
}  # fmt: skip
LANGUAGE_NAMES = {code: name.title() for name, code in reversed(LANGUAGES.items())}
POPULAR_LANGUAGES = ("en", "de", "fr", "es", "zh", "ja", "it", "pt", "nl", "ko", "ar", "hi", "ru")
TASK_LABELS = {
    "chat": "chat", "text_generation": "text generation", "summarisation": "summarisation",
    "classification": "classification", "sentiment": "sentiment analysis", "moderation": "moderation",
    "translation": "translation", "code": "code", "embeddings": "embeddings", "search": "search",
    "clustering": "clustering", "vision": "image understanding", "image_classification": "image classification",
    "ocr": "OCR", "captioning": "image captioning", "object_detection": "object detection",
    "speech_to_text": "speech to text", "transcription": "transcription", "diarisation": "speaker labels",
    "text_to_speech": "text to speech",
}  # fmt: skip
HOSTING_LABELS = {"cloud": "in the Meridian cloud", "vpc": "in your own cloud account (VPC)",
                  "on_prem": "on-premises", "edge": "on edge devices"}  # fmt: skip
HOSTING_SHORT = {"cloud": "cloud", "vpc": "VPC", "on_prem": "on-premises", "edge": "edge"}
PRIVACY_HOSTING = {"own_network": frozenset({"vpc", "on_prem", "edge"}), "no_cloud": frozenset({"on_prem", "edge"})}
REGION_CITIES = {"us-east": "Virginia", "eu-west": "Frankfurt", "ap-southeast": "Singapore"}
SELF_HOSTED = frozenset({"on_prem", "edge"})


def _any(*alternatives: str, flags: int = re.I) -> re.Pattern[str]:
    """One pattern matching any of ``alternatives`` (each a regular expression)."""
    return re.compile("|".join(alternatives), flags)


# Most specific first: a phrase one pattern takes is blanked for the ones after it ("hate speech"
# is moderation, not speech to text), and a specific task beats a generic one (chat, writing).
TASK_PATTERNS = [
    ("text_to_speech", _any(r"text[\s-]*to[\s-]*speech", r"\btts\b", r"read\w* (?:\w+ )?(?:out )?aloud",
                            r"speech synthesis", r"voice[\s-]?overs?", r"\bnarrat\w+",
                            r"\bvoices?\b(?![\s-]*(?:to[\s-]*text|notes?|messages?|memos?|recordings?|calls?))")),
    ("moderation", _any(r"moderat\w+", r"\bsafety\b", r"guardrails?", r"prompt[\s-]*injections?", r"toxic\w*",
                        r"harmful", r"hate speech", r"\bnsfw\b", r"jailbreaks?", r"content filter\w*", r"\bpii\b")),
    ("diarisation", _any(r"diari[sz]\w+", r"speaker (?:labels?|identification|separation)", r"who said what")),
    ("speech_to_text", _any(r"speech[\s-]*to[\s-]*text", r"voice[\s-]*to[\s-]*text", r"\bstt\b", r"transcri\w+",
                            r"\bspeech\b", r"\baudio\b", r"voice (?:notes?|messages?|memos?|recordings?|calls?)",
                            r"call recordings?", r"podcasts?", r"dictat\w+", r"subtitles?")),
    ("ocr", _any(r"\bocr\b", r"scanned", r"\bscans\b", r"receipts?", r"handwrit\w+", r"extract\w* text from",
                 r"read\w* text (?:from|in) (?:images|photos|pictures)")),
    ("object_detection", _any(r"object detection", r"detect\w* objects", r"bounding box\w*",
                              r"count\w* (?:people|cars|objects)", r"cameras?")),
    ("captioning", _any(r"caption\w*", r"describe (?:images|photos|pictures)", r"alt[\s-]?text")),
    ("image_classification", _any(r"image classification", r"classify\w* (?:images|photos|pictures)")),
    ("vision", _any(r"\bimages?\b", r"\bphotos?\b", r"pictures?", r"\bvision\b", r"visual\w*", r"screenshots?",
                    r"\bcharts?\b", r"diagrams?")),
    ("sentiment", _any(r"sentiment", r"opinion mining")),
    ("classification", _any(r"classif\w+", r"categori[sz]\w*", r"\bcategor(?:y|ies)\b", r"\btag(?:s|ging)?\b",
                            r"\blabel(?:s|ling|ing)?\b", r"triage", r"intent detection", r"\bspam\b",
                            r"rout\w* (?:the |our |incoming )?(?:support )?(?:tickets|e-?mails|messages|requests)")),
    ("translation", _any(r"translat\w+", r"locali[sz]\w+")),
    ("clustering", _any(r"cluster\w*", r"group similar")),
    ("embeddings", _any(r"embed\w*", r"semantic search", r"vectors?\b", r"\brag\b", r"retrieval", r"similarity",
                        r"similar (?:documents|tickets|items)", r"\bsearch\b", r"dedup\w*")),
    ("code", _any(r"\bcode\b", r"\bcoding\b", r"autocomplete", r"programming", r"pull requests?",
                  r"(?<!chat )(?<!chat/)\bcompletions?\b")),
    ("summarisation", _any(r"summar\w+", r"\btl;?dr\b", r"\bdigests?\b", r"condens\w+", r"key points",
                           r"meeting notes", r"\brecaps?\b")),
    ("text_generation", _any(r"generat\w+", r"\bwrit(?:e|es|ing)\b", r"draft\w*", r"copywrit\w*", r"\bcompose\b",
                             r"product descriptions", r"marketing copy", r"blog posts?", r"rewrit\w+",
                             r"paraphras\w+")),
    ("chat", _any(r"chat\w*", r"assistants?", r"conversation\w*", r"\bbots?\b", r"virtual agents?",
                  r"answer\w* (?:customer )?questions", r"\bfaq\b")),
]  # fmt: skip
GENERIC_TASKS = frozenset({"chat", "text_generation"})

_NETWORK = (
    r"(?:our|the)\s+(?:own\s+)?(?:network|premises|infrastructure|firewall|walls|environment|systems?|building"
    r"|data ?cent(?:er|re)s?)"
)
_PLACE = r"(?:the\s+)?(?:eu|e\.u\.|europe|european union|us|u\.s\.|usa|united states|america|asia|singapore|apac)\b"
# Privacy first, so "not in the cloud" is not read as a wish for the cloud.
PRIVACY_PATTERNS = [
    ("own_network", _any(r"(?:no|nothing|none of (?:the|our))\s+(?:\w+\s+){0,2}?(?:may\s+|can\s+|must\s+|should\s+)?"
                         r"(?:leaves?|leaving|go(?:es)?\s+out(?:side)?|exits?)\s+(?:of\s+)?" + _NETWORK,
                         r"(?:can'?t|cannot|can not|must not|mustn'?t|may not|never|should not)\s+leave\s+" + _NETWORK,
                         r"(?:stay|stays|remain|remains|kept)\s+(?:inside|within|in|on|behind)\s+" + _NETWORK)),
    ("no_cloud", _any(r"(?:no|not|never|can'?t|cannot|can not|must not|mustn'?t|without|avoid|don'?t want)\s+"
                      r"(?:\w+\s+){0,3}?(?:the\s+|a\s+|any\s+|public\s+|your\s+)*cloud\b",
                      r"offline", r"air[\s-]?gapped", r"without (?:an? )?internet", r"no internet")),
    ("residency", _any(r"(?:data|everything|it)\s+(?:\w+\s+){0,3}?(?:stay|stays|remain|remains|kept|stored|hosted"
                       r"|processed|resid\w*)\s+(?:\w+\s+){0,2}?(?:in|within|inside)\s+" + _PLACE)),
]  # fmt: skip
HOSTING_PATTERNS = [
    ("vpc", _any(r"\bvpc\b", r"virtual private cloud", r"private ?link", r"dedicated (?:deployment|instance)",
                 r"(?:our|own)\s+(?:own\s+)?(?:aws|azure|gcp|google cloud|cloud)(?:\s+(?:account|tenant|project))?")),
    ("on_prem", _any(r"\bon[\s-]?prem\w*", r"self[\s-]?host\w*",
                     r"(?:our|own|in[\s-]house)\s+(?:own\s+)?(?:servers?|hardware|gpus?|data ?cent(?:er|re)s?"
                     r"|kubernetes|k8s|cluster|racks?|machines)")),
    ("edge", _any(r"\bedge\b(?![\s-]*cases?)", r"on[\s-]?device", r"mobile apps?", r"raspberry", r"embedded devices?",
                  r"\biot\b", r"\bon (?:the |their |our |users'? )?(?:phones?|laptops?|mobiles?|devices?|cameras?)\b")),
    ("cloud", _any(r"\bcloud\b", r"\bsaas\b", r"(?:hosted|managed|your) api")),
]  # fmt: skip
REGION_PATTERNS = [
    ("eu-west", _any(r"\b(?:eu|e\.u\.|europe|european union|eu[\s-]west|frankfurt)\b")),
    # "US" in capitals only: "help us" is no region.
    ("us-east", _any(r"\b(?:US|U\.S\.(?:A\.)?|USA)(?![\w.])",
                     r"(?i:\bunited states|\bamerica\b|\bus[\s-]east|virginia)", flags=0)),
    ("ap-southeast", _any(r"\b(?:asia|asia[\s-]pacific|apac|singapore|ap[\s-]southeast)\b")),
]  # fmt: skip
_UNIT = r"(\d+(?:\.\d+)?)\s*(ms|msecs?|milliseconds?|s|secs?|seconds?)\b"
LATENCY_LIMIT = _any(
    r"(?:under|below|less than|within|at most|no more than|not more than|max(?:imum)?(?: of)?|faster than|<=?|≤|sub)"
    r"[\s-]*" + _UNIT,
    _UNIT + r"\s*(?:or (?:less|faster|under|below)|max(?:imum)?\b|at most|tops|limit)",
)
LATENCY_TARGET = _any(_UNIT)
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6,
                "b": 1e9, "bn": 1e9, "billion": 1e9}  # fmt: skip
VOLUME = _any(r"(?<![\w$€.,-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|mm|mn|mio|m|bn|b|thousand|million|billion)?"
              r"\b(?P<tail>[^.!?;\n]{0,60})")  # fmt: skip
# What follows a number that is not a volume ("100 ms", "8k context", "100-page").
NOT_VOLUME = _any(r"^\s*(?:ms\b|msecs?|milli|s\b|secs?\b|seconds?|mb\b|gb\b|kb\b|%|x\b|-|tokens? (?:of )?context",
                  r"context|dimensions?|languages?|regions?|dollars?|usd|eur|€|\$|models?)")  # fmt: skip
COUNT_NOUN = _any(r"^\s*(?:[\w-]+\s+){0,2}?(?:tickets|requests|calls|documents|docs|items|messages|e-?mails|queries"
                  r"|images|photos|pictures|pages|reviews|comments|posts|conversations|chats|articles|files|records"
                  r"|texts|sentences|transcripts|recordings|users|customers|products|invoices|receipts|forms|tokens"
                  r"|words|characters|(?:minutes|hours) of audio|audio minutes|predictions|inferences)\b")  # fmt: skip
PERIOD = _any(
    r"(?:\bper|\ba|\ban|\beach|\bevery|/)\s*(second|minute|hour|day|week|month|year)\b",
    r"\b(hourly|daily|weekly|monthly|yearly|annually)\b",
)
_PERIOD_WORDS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year",
                 "annually": "year"}  # fmt: skip
_PER_MONTH = {"second": 2_592_000, "minute": 43_200, "hour": 720, "day": 30, "week": 4.3, "month": 1, "year": 1 / 12}
MONEY = _any(r"(?:\$|usd\s?|€|eur\s?)\s?(\d+(?:\.\d+)?)", r"(\d+(?:\.\d+)?)\s?(?:\$|usd\b|dollars?\b|€|eur\b|euros?\b)")
CEILING_BEFORE = _any(r"(?:under|below|less than|at most|max(?:imum)?|no more than|up to|cap(?:ped)? at"
                      r"|budget(?: of| is)?|afford)\s*$")  # fmt: skip
PER_PERIOD_AFTER = _any(r"^\s*(?:a|per|/|each)\s*(?:month|year|mo|yr)\b", r"^\s*monthly", r"^\s*yearly")
CHEAPEST = _any(r"cheapest", r"lowest (?:price|cost)", r"as cheap as possible", r"least expensive")
CHEAP = _any(
    r"\bcheap\w*",
    r"low[\s-]cost",
    r"inexpensive",
    r"affordable",
    r"(?:tight|low|small|limited|on a) budget",
    r"cost[\s-]effective",
    r"save money",
    r"economical",
    r"not (?:too )?expensive",
)
PRIORITY_PATTERNS = [
    ("quality", _any(r"best (?:quality|possible|model|results|accuracy)", r"highest (?:quality|accuracy)",
                     r"most accurate", r"top quality", r"quality (?:matters|is (?:key|critical|important))",
                     r"complex reasoning", r"state of the art", r"accura\w+ (?:matters|is (?:key|critical))")),
    ("speed", _any(r"real[\s-]?time", r"low[\s-]latency", r"fastest", r"as fast as possible", r"\bfast\b",
                   r"instant(?:ly| answers)", r"snappy", r"latency (?:matters|is (?:key|critical))", r"\bspeed\b")),
    ("context", _any(r"long (?:documents|context|contracts|reports|texts|inputs|files)",
                     r"whole (?:books?|codebase|repositor\w+)", r"large (?:documents|files|codebase)",
                     r"entire (?:codebase|repositor\w+|repo)")),
    ("balanced", _any(r"\bbalanced?\b", r"good value", r"best value", r"middle ground", r"good enough")),
]  # fmt: skip
CONTEXT_SIZE = _any(
    r"(\d+(?:\.\d+)?)\s*(k)?[\s-]*(?:tokens?\s*)?(?:of\s+)?context", r"context(?: window)? of (\d+(?:\.\d+)?)\s*(k)?"
)
FINE_TUNE_NO = _any(r"(?:no|don'?t|do not|doesn'?t|won'?t|without|not)\s+(?:need\s+(?:to\s+)?|want\s+(?:to\s+)?"
                    r"|require\s+|plan\s+to\s+)?(?:any\s+)?fine[\s-]?tun\w*")  # fmt: skip
FINE_TUNE = _any(
    r"fine[\s-]?tun\w*",
    r"custom (?:model|labels|training)",
    r"our own labels",
    r"train\w* (?:it |the model |a model )?on our (?:own )?(?:data|examples|labels|tickets|documents)",
)
NO_PREFERENCE = _any(
    r"no preference",
    r"don'?t care",
    r"doesn'?t matter",
    r"not sure",
    r"no idea",
    r"don'?t know",
    r"whatever",
    r"either",
    r"\bany\b",
    r"skip",
)
SLOT_NO_PREFERENCE = {
    "hosting": _any(r"any (?:hosting|deployment)", r"(?:hosting|deployment) (?:doesn'?t|does not) matter"),
    "languages": _any(r"any language", r"language (?:doesn'?t|does not) matter"),
}


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
        return self.volume * _PER_MONTH.get(self.volume_period or "month", 1)

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
    found = _name_matches(text, models)
    for _, start, end in found:
        text = _blank(text, (start, end))
    return list(dict.fromkeys(model_id for model_id, _, _ in found)), text


def _languages(text: str) -> frozenset[str]:
    codes = set()
    for m in re.finditer(r"[A-Za-z]+", text):
        word = m.group().lower()
        if word in LANGUAGES and (word != "polish" or m.group()[0] == "P"):  # "polish our replies" is a verb
            codes.add(LANGUAGES[word])
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
    limit = LATENCY_LIMIT.search(text)
    target = limit or LATENCY_TARGET.search(text)
    if target:
        value, unit = (target.group(1), target.group(2)) if target.group(1) else (target.group(3), target.group(4))
        found["max_latency_ms"] = float(value) * (1 if unit.lower().startswith("m") else 1000)
        found["latency_hard"] = limit is not None
        text = _blank(text, target.span())
    for m in VOLUME.finditer(text):
        number, mult, tail = m.group(1), m.group(2), m.group("tail")
        before = text[max(0, m.start() - 8) : m.start()].lower()
        if NOT_VOLUME.match(tail) or before.rstrip().endswith("per") or not (mult or COUNT_NOUN.match(tail)):
            continue
        found["volume"] = int(float(number.replace(",", "")) * _MULTIPLIERS.get((mult or "").lower(), 1))
        period = PERIOD.search(tail)
        found["volume_period"] = (period.group(1) or _PERIOD_WORDS[period.group(2).lower()]).lower() if period else None
        break
    for m in MONEY.finditer(text):
        amount = float(m.group(1) or m.group(2))
        if PER_PERIOD_AFTER.match(text[m.end() :]):  # a monthly spend cannot be set against a unit price
            found.setdefault("budget", "cheap")
        elif CEILING_BEFORE.search(text[: m.start()]):
            found["max_price"] = amount
    size = CONTEXT_SIZE.search(text)
    if size:
        value, k = (size.group(1), size.group(2)) if size.group(1) else (size.group(3), size.group(4))
        found["min_context_tokens"] = int(float(value) * (1000 if k else 1))
    return found


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


# --- questions -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A question for the customer; ``slot`` is what the answer fills (pass it back as ``answering``)."""

    slot: str
    text: str
    quick_replies: tuple[str, ...]


TASK_QUESTION = Question(
    "task",
    "What should the model do?",
    (
        "Chat assistant",
        "Classify text",
        "Embeddings / search",
        "Summarise",
        "Translate",
        "Images",
        "Speech to text",
        "Text to speech",
        "Code",
    ),
)
HOSTING_REPLIES = {"cloud": "Meridian cloud", "vpc": "Our own cloud (VPC)", "on_prem": "On-premises",
                   "edge": "On device (edge)"}  # fmt: skip
PRIORITY_QUESTION = Question(
    "priority", "What matters most to you?", ("Fastest", "Cheapest", "Best quality", "Balanced")
)


def next_question(facts: Facts, asked: int, models: Sequence[Model]) -> Question | None:
    """The most useful question still open, or None when enough is known or ``MAX_QUESTIONS`` were asked.

    Asks only what is missing and changes the outcome: the task first; the language only if the
    remaining candidates differ by language; hosting only if they differ by hosting; then what
    matters most (speed, cost, quality) if several candidates remain and no latency or budget was given.

    Args:
        facts: what is known so far.
        asked: how many advisor questions this conversation has asked already.
        models: the catalog.
    """
    if asked >= MAX_QUESTIONS:
        return None
    if facts.task is None and "task" not in facts.settled:
        return TASK_QUESTION
    candidates = [m for m in models if not violations(m, facts)]
    if len(candidates) <= 1:
        return None
    if not facts.languages and "languages" not in facts.settled:
        common = frozenset.intersection(*(frozenset(m.languages) for m in candidates))
        differing = [c for c in POPULAR_LANGUAGES if c not in common and any(c in m.languages for m in candidates)]
        if differing:
            names = [LANGUAGE_NAMES[c] for c in (["en"] if "en" in common else []) + differing[:5]]
            return Question("languages", "Which language(s) will the model work in?", tuple(names))
    if facts.allowed_hosting is None and "hosting" not in facts.settled:
        offered = {kind for m in candidates for kind in m.hosting}
        if any(set(m.hosting) != offered for m in candidates):
            replies = (*(HOSTING_REPLIES[k] for k in HOSTING_REPLIES if k in offered), "Any hosting")
            return Question("hosting", "Where must the model run?", replies)
    said = facts.max_latency_ms is not None or facts.budget or facts.max_price is not None or facts.priorities
    if not said and "priority" not in facts.settled:
        return PRIORITY_QUESTION
    return None


# --- filtering and ranking -------------------------------------------------------------------------------------


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


def _names(codes: Iterable[str]) -> str:
    names = [LANGUAGE_NAMES.get(c, c) for c in sorted(codes)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def violations(model: Model, facts: Facts) -> list[tuple[str, str]]:
    """(constraint, explanation) for every hard constraint of ``facts`` that ``model`` misses."""
    out: list[tuple[str, str]] = []
    if facts.task is not None and facts.task not in model.tasks:
        out.append(("task", f"does not do {TASK_LABELS.get(facts.task, facts.task)}"))
    missing = facts.languages - set(model.languages)
    if missing:
        out.append(("languages", f"does not support {_names(missing)}"))
    allowed = facts.allowed_hosting
    if allowed is not None and not allowed & set(model.hosting):
        wanted = " or ".join(HOSTING_LABELS[k] for k in HOSTING_LABELS if k in allowed) or "where you need it"
        offered = ", ".join(HOSTING_SHORT.get(h, h) for h in model.hosting)
        out.append(("hosting", f"does not run {wanted} (only {offered})"))
    if facts.region and facts.region not in model.regions and not _region_free(model, facts):
        out.append(("region", f"is not offered in {facts.region} (only {', '.join(model.regions) or 'self-hosted'})"))
    if facts.fine_tuning_needed and not model.fine_tunable:
        out.append(("fine_tuning", "is not fine-tunable"))
    if facts.latency_hard and facts.max_latency_ms is not None and model.latency_ms_p50 > facts.max_latency_ms:
        out.append(("latency", f"p50 latency {model.latency_ms_p50:g} ms is over your {facts.max_latency_ms:g} ms"))
    return out


def _region_free(model: Model, facts: Facts) -> bool:
    """Whether ``model`` would run on the customer's own hardware, where no Meridian region applies:
    an allowed on-premises or edge build, or (hosting not said, so the cloud is the default) no cloud build."""
    allowed = facts.allowed_hosting
    if allowed is None:
        return not model.regions
    return bool(allowed & set(model.hosting) & SELF_HOSTED)


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
    misses = []
    if facts.max_latency_ms is not None and not facts.latency_hard and m.latency_ms_p50 > facts.max_latency_ms:
        misses.append(f"p50 latency {m.latency_ms_p50:g} ms is above the {facts.max_latency_ms:g} ms you mentioned")
    if facts.max_price is not None and m.price.amount > facts.max_price:
        misses.append(f"costs {m.price}, above your ${facts.max_price:g}")
    if facts.min_context_tokens and m.context_tokens < facts.min_context_tokens:
        misses.append(f"{m.context_tokens:,}-token context, under the {facts.min_context_tokens:,} you need")
    return misses


def _score(m: Model, facts: Facts, scale: _Scale, weights: Weights = Weights()) -> float:
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


def _reasons(m: Model, facts: Facts, candidates: Sequence[Model]) -> list[str]:
    reasons = []
    if facts.task is not None and facts.task in m.tasks:
        label = TASK_LABELS.get(facts.task, facts.task)
        reasons.append(f"built for {label}" if m.tasks[0] == facts.task else f"does {label}")
    if facts.languages and facts.languages <= set(m.languages):
        reasons.append(f"supports {_names(facts.languages)}")
    allowed = facts.allowed_hosting
    if allowed is not None and allowed & set(m.hosting):
        kinds = [HOSTING_LABELS[k] for k in m.hosting if k in allowed]
        inside = ", inside your network" if facts.privacy in PRIVACY_HOSTING else ""
        reasons.append(f"runs {' or '.join(kinds)}{inside}")
    if facts.region and facts.region in m.regions:
        reasons.append(f"available in {facts.region} ({REGION_CITIES.get(facts.region, facts.region)})")
    elif facts.region and _region_free(m, facts):
        reasons.append("runs on your own hardware, so the data stays where you keep it")
    if facts.fine_tuning_needed and m.fine_tunable:
        reasons.append("fine-tunable on your data")
    if facts.max_latency_ms is not None and m.latency_ms_p50 <= facts.max_latency_ms:
        reasons.append(f"p50 latency {m.latency_ms_p50:g} ms under your {facts.max_latency_ms:g} ms")
    elif "speed" in _emphasis(facts):
        reasons.append(f"p50 latency {m.latency_ms_p50:g} ms")
    if "cost" in _emphasis(facts):
        same_unit = [c.price.amount for c in candidates if c.price.unit == m.price.unit]
        cheapest = m.price.amount <= min(same_unit)
        reasons.append(f"{m.price}" + (", the cheapest option that fits" if cheapest and len(candidates) > 1 else ""))
    if "context" in _emphasis(facts) and not _soft_misses(m, facts):
        reasons.append(f"{m.context_tokens:,}-token context")
    reasons.append(m.strengths[0])
    return reasons


def recommend(models: Sequence[Model], facts: Facts, limit: int = 3, weights: Weights = Weights()) -> Advice:
    """The best ``limit`` models of the catalog for ``facts``, or the closest ones when none fits.

    Args:
        models: the catalog (the scales of the ranking are taken over all of it).
        facts: what the customer needs; hard constraints filter, the rest ranks.
        limit: at most this many recommendations (and closest models).
        weights: the ranking weights.
    Returns:
        ``Advice`` with ``recommendations`` (best first), or with empty recommendations, ``closest``
        models each naming the constraints it violates, and a message that says nothing fits.
    Raises:
        ValueError: when ``limit`` is below 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    scale = _Scale(models)
    constraints = tuple(_describe(facts))
    wanted = ", ".join(constraints) or "no requirement yet"
    ranked = sorted(models, key=lambda m: -_score(m, facts, scale, weights))
    fitting = [m for m in ranked if not violations(m, facts)]
    if fitting:
        recs = tuple(_recommendation(m, facts, fitting) for m in fitting[:limit])
        message = f"Best fit for {wanted}: {recs[0].name} ({len(fitting)} of {len(models)} models fit)."
        return Advice(recs, (), message, constraints)
    # Closest: the models that do the task (all models if none does), fewest missed constraints first,
    # then by score (``ranked`` is in score order and the sort is stable).
    doers = [m for m in ranked if facts.task is None or facts.task in m.tasks] or ranked
    close = sorted(doers, key=lambda m: len(violations(m, facts)))
    closest = tuple(_recommendation(m, facts, close) for m in close[:limit])
    message = f"No model meets every requirement ({wanted}). The closest, and what each one misses:"
    return Advice((), closest, message, constraints)


def _recommendation(m: Model, facts: Facts, candidates: Sequence[Model]) -> Recommendation:
    missed = violations(m, facts)
    return Recommendation(
        model_id=m.id,
        name=m.name,
        reasons=tuple(_reasons(m, facts, candidates)),
        tradeoff="; ".join([*_soft_misses(m, facts), m.limits[0]]),
        violations=tuple(text for _, text in missed),
        violated=tuple(key for key, _ in missed),
    )


def _describe(facts: Facts) -> list[str]:
    parts = []
    if facts.task:
        parts.append(TASK_LABELS.get(facts.task, facts.task))
    if facts.languages:
        parts.append(_names(facts.languages))
    allowed = facts.allowed_hosting
    if allowed is not None:
        parts.append(" or ".join(HOSTING_LABELS[k] for k in HOSTING_LABELS if k in allowed) or "no hosting kind left")
    if facts.region:
        parts.append(f"data in {facts.region}")
    if facts.fine_tuning_needed:
        parts.append("fine-tunable")
    if facts.latency_hard and facts.max_latency_ms is not None:
        parts.append(f"under {facts.max_latency_ms:g} ms")
    return parts


# --- comparison ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Two models side by side: ``rows`` of (aspect, a, b), the same as plain ``table`` text, and a verdict."""

    a_id: str
    b_id: str
    rows: tuple[tuple[str, str, str], ...]
    table: str
    verdict: str

    @property
    def text(self) -> str:
        return f"{self.table}\n{self.verdict}"


def _by_id(models: Sequence[Model], model_id: str) -> Model:
    for m in models:
        if m.id == model_id:
            return m
    raise InputError(f"unknown model {model_id!r}; known: {', '.join(m.id for m in models)}")


def compare(models: Sequence[Model], a_id: str, b_id: str) -> Comparison:
    """Models ``a_id`` and ``b_id`` of ``models`` side by side.

    Raises:
        InputError: an id is not in the catalog (the message lists the known ids), or both are the same.
    """
    a, b = _by_id(models, a_id), _by_id(models, b_id)
    if a.id == b.id:
        raise InputError(f"compare needs two different models, got {a.id!r} twice")
    rows = [("", a.name, b.name)] + [(label, fmt(a), fmt(b)) for label, fmt in _ROWS]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    table = "\n".join(" | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)
    return Comparison(a.id, b.id, tuple(rows[1:]), table, _verdict(a, b))


_ROWS: list[tuple[str, Callable[[Model], str]]] = [
    ("tasks", lambda m: ", ".join(TASK_LABELS.get(t, t) for t in m.tasks)),
    ("languages", lambda m: f"{len(m.languages)} ({', '.join(m.languages[:6])}{', ...' * (len(m.languages) > 6)})"),
    ("hosting", lambda m: ", ".join(HOSTING_SHORT.get(h, h) for h in m.hosting)),
    ("latency p50", lambda m: f"{m.latency_ms_p50:g} ms"),
    ("price", lambda m: str(m.price)),
    ("context", lambda m: f"{m.context_tokens:,} tokens" if m.context_tokens else "no text input"),
    ("fine-tunable", lambda m: "yes" if m.fine_tunable else "no"),
]


def _advantages(x: Model, y: Model) -> list[str]:
    """What ``x`` offers over ``y``, as short phrases."""
    out = []
    if x.latency_ms_p50 < y.latency_ms_p50:
        out.append(f"speed ({x.latency_ms_p50:g} vs {y.latency_ms_p50:g} ms)")
    if x.price.unit == y.price.unit and x.price.amount < y.price.amount:
        out.append(f"price (${x.price.amount:g} vs ${y.price.amount:g} per {x.price.unit})")
    if x.context_tokens > y.context_tokens:
        out.append(f"context ({x.context_tokens:,} vs {y.context_tokens:,} tokens)")
    if len(x.languages) > len(y.languages):
        out.append(f"languages ({len(x.languages)} vs {len(y.languages)})")
    extra_hosting = [HOSTING_SHORT.get(h, h) for h in x.hosting if h not in y.hosting]
    if extra_hosting:
        out.append(f"hosting ({', '.join(extra_hosting)})")
    if x.fine_tunable and not y.fine_tunable:
        out.append("fine-tuning")
    extra_tasks = [TASK_LABELS.get(t, t) for t in x.tasks if t not in y.tasks]
    if extra_tasks:
        out.append(f"tasks ({', '.join(extra_tasks[:3])})")
    return out


def _verdict(a: Model, b: Model) -> str:
    pros_a, pros_b = _advantages(a, b), _advantages(b, a)
    note = "" if a.price.unit == b.price.unit else f" (prices are per {a.price.unit} vs per {b.price.unit})"
    if not pros_b:
        return f"{a.name} matches or beats {b.name} on every row{note}."
    if not pros_a:
        return f"{b.name} matches or beats {a.name} on every row{note}."
    return f"Choose {a.name} for {', '.join(pros_a)}; {b.name} for {', '.join(pros_b)}{note}."


# --- model names -----------------------------------------------------------------------------------------------

_PART_ALIASES = {
    "s": "s|small", "m": "m|medium|mid", "l": "l|large|big", "zh": "zh|chinese", "multi": "multi|multilingual",
    "embed": "embed|embeddings?", "summarize": "summari[sz]e|summari[sz]er|summary", "lite": "lite|light",
    "translate": "translate|translator|translation", "classify": "classify|classifier|classification",
}  # fmt: skip
_REVERSIBLE = frozenset({"edge"})  # "edge speech"
_SIZE_WORDS = {"small": "s", "medium": "m", "large": "l", "chinese": "zh", "multilingual": "multi"}


def _part(word: str) -> str:
    if word.isdigit():
        return rf"v?{word}"
    return f"(?:{_PART_ALIASES.get(word, re.escape(word))})"


@functools.lru_cache(maxsize=512)
def _name_patterns(m: Model) -> list[tuple[re.Pattern[str], bool]]:
    """(pattern, strict) for a model; a strict pattern needs "mer"/"Meridian" before it or "one" after it,
    because single words ("speech", "code") and "embed 3 million" are ordinary language too."""
    id_parts = m.id.split("-")
    id_parts = id_parts[1:] if id_parts[0] == "mer" and len(id_parts) > 1 else id_parts
    name_parts = [_SIZE_WORDS.get(w, w) for w in re.findall(r"[a-z0-9]+", m.name.lower()) if w != "meridian"]
    out = []
    for parts in {tuple(id_parts), tuple(name_parts)}:
        if not parts:
            continue
        orders = [parts] + ([parts[::-1]] if len(parts) == 2 and parts[1] in _REVERSIBLE else [])
        for order in orders:
            body = r"[\s_-]+".join(_part(p) for p in order)
            out.append((re.compile(rf"\b{body}\b", re.I), len(order) == 1))
    return out


_PREFIX = re.compile(r"(?:\bmer|\bmeridian)[\s_-]+$", re.I)
_ONE = re.compile(r"^\s+one\b", re.I)
# After "embed 3": "embed 3 million documents" is a volume, "Embed 3 vs Lite" a name.
_NOT_A_NAME = re.compile(r"^[\s,.]*(?:k|m|mm|bn|thousand|million|billion|[a-z]{3,}s)\b", re.I)


def _name_matches(text: str, models: Sequence[Model]) -> list[tuple[str, int, int]]:
    """(model id, start, end) of every model named in ``text``, longest names winning overlaps, in text order."""
    hits = []
    for m in models:
        for pattern, strict in _name_patterns(m):
            for match in pattern.finditer(text):
                start = match.start()
                prefix = _PREFIX.search(text[: match.start()])
                after = text[match.end() :]
                if prefix:
                    start = prefix.start()
                else:
                    bare_word = strict and not _ONE.match(after)
                    if bare_word or (match.group()[-1].isdigit() and _NOT_A_NAME.match(after)):
                        continue
                hits.append((m.id, start, match.end()))
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1])))
    kept: list[tuple[str, int, int]] = []
    for hit in hits:
        if not any(k[1] <= hit[1] and hit[2] <= k[2] for k in kept):
            kept = [k for k in kept if not (hit[1] <= k[1] and k[2] <= hit[2])] + [hit]
    return sorted(kept, key=lambda h: h[1])


def resolve_models(text: str, models: Sequence[Model]) -> list[str]:
    """Ids of the models named in ``text``, in order, tolerant of spelling: "chat medium", "Chat-M",
    "mer chat m", "embed lite", "the vision edge one", "Meridian Speech", "mer-embed-3"."""
    return list(dict.fromkeys(model_id for model_id, _, _ in _name_matches(text, models)))

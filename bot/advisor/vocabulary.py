"""What the advisor recognises in a customer's words: language names, task words, hosting, privacy
and region phrases, numbers with their units, budget and priority words, and the questions asked
about one model, in English and in Simplified Chinese (or both mixed). Understanding, not speech:
everything the advisor says is in ``assistant.yaml`` (``assistant.zh.yaml``).

Han characters are word characters to ``re``, so ``\b`` finds no boundary between "OCR" and "识别"
or between "5" and "万": every ``\b`` of the patterns here also holds next to a Han character
(``_cjk_edges``), which changes nothing for text without one. The Chinese alternatives themselves
are written without ``\b``.
"""

from __future__ import annotations

import re

# CJK unified ideographs (with extension A and the compatibility block): Chinese words.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_EDGE = rf"(?:\b|(?<=[{HAN}])|(?=[{HAN}]))"


def _cjk_edges(pattern: str) -> str:
    """``pattern`` with every ``\b`` also holding next to a Han character ("用OCR识别", "5万")."""
    return pattern.replace(r"\b", _EDGE)


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return re.search(f"[{HAN}]", text) is not None


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
POPULAR_LANGUAGES = ("en", "de", "fr", "es", "zh", "ja", "it", "pt", "nl", "ko", "ar", "hi", "ru")


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
MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6,
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
PERIOD_WORDS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year",
                 "annually": "year"}  # fmt: skip
PER_MONTH = {"second": 2_592_000, "minute": 43_200, "hour": 720, "day": 30, "week": 4.3, "month": 1, "year": 1 / 12}
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


# Words that make two named models a comparison ("chat medium vs chat large").
COMPARE_WORDS = ("vs", "versus", "compare", "comparison", "difference", "better", "or")
# What a short question about one model asks for.
ASPECTS = {
    "price": re.compile(r"\b(how much|price|pricing|costs?|expensive|cheap(er|est)?)\b", re.I),
    "latency": re.compile(r"\b(fast(er|est)?|slow(er|est)?|latency|speed|quick(er|est)?)\b", re.I),
    "languages": re.compile(r"\b(language|languages|speak|support .*(chinese|german|french|japanese))\b", re.I),
    "context": re.compile(r"\b(context|tokens? long|how long a prompt|window)\b", re.I),
    "hosting": re.compile(r"\b(on.?prem|vpc|edge|host|hosting|self.?host|run it)\b", re.I),
    "fine_tuning": re.compile(r"\b(fine.?tun\w*)\b", re.I),
}
# A reference back to a model just recommended ("how much is that one?").
REFERS = re.compile(
    r"\b(that one|this one|that model|this model|it|the first one|the second one|the other one)\b", re.I
)
SECOND = re.compile(r"\bsecond\b", re.I)
THIRD = re.compile(r"\bthird\b", re.I)
# "Which one is cheaper?" about the models just shown.
WHICH_ONE = re.compile(r"\bwhich (one|of (them|the two|these|those))\b|\bwhich is\b", re.I)

r"""What the advisor recognises in a customer's words: language names, task words, hosting, privacy
and region phrases, numbers with their units, budget and priority words, and the questions asked
about one model, in English and in Simplified Chinese (or the two mixed, as developers type).
Understanding, not speech: everything the advisor says is in ``assistant.yaml`` (``assistant.zh.yaml``).

Han characters are word characters to ``re``, so ``\b`` finds no boundary in "用OCR识别" or "5万":
every ``\b`` of these patterns also holds next to a Han character (``_cjk_edges``), which changes
nothing for text without one. The Chinese alternatives are written without ``\b``, and each list
keeps the English alternatives first, exactly as they were.
"""

from __future__ import annotations

import re

from index.language import HAN_CHARS

# CJK unified ideographs (with extension A and the compatibility block): the Chinese characters.
HAN = HAN_CHARS
_EDGE = rf"(?:\b|(?<=[{HAN}])|(?=[{HAN}]))"


def _cjk_edges(pattern: str) -> str:
    r"""``pattern`` with every ``\b`` also holding next to a Han character ("用OCR识别", "5万条")."""
    return pattern.replace(r"\b", _EDGE)


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
# Chinese names of the same languages (regular expressions: a few need a guard against the
# characters of ordinary words, "其中文档" holds 中文).
ZH_LANGUAGES = {
    "en": r"英语|英文|英国话", "de": r"德语|德文", "fr": r"法语|法国话", "es": r"西班牙语|西班牙文|西语",
    "it": r"意大利语|意大利文|意语", "pt": r"葡萄牙语|葡萄牙文|葡语|巴西葡语", "nl": r"荷兰语|荷兰文|佛兰芒语",
    "ja": r"日语|(?<![每当今昨明节生])日文", "ko": r"韩语|韩文|朝鲜语|韩国话",
    "zh": r"(?<![其集])中文|汉语|普通话|国语|粤语|华语|简体|繁体", "ar": r"阿拉伯语|阿拉伯文|阿语",
    "hi": r"印地语|印地文", "ru": r"俄语|俄文", "pl": r"波兰语", "tr": r"土耳其语", "sv": r"瑞典语",
    "da": r"丹麦语", "fi": r"芬兰语", "cs": r"捷克语", "vi": r"越南语|越南文", "uk": r"乌克兰语", "el": r"希腊语",
    "he": r"希伯来语", "id": r"印尼语|印度尼西亚语", "th": r"泰语|泰文", "no": r"挪威语", "hu": r"匈牙利语",
    "ro": r"罗马尼亚语", "bg": r"保加利亚语", "hr": r"克罗地亚语", "sr": r"塞尔维亚语", "sk": r"斯洛伐克语",
    "sl": r"斯洛文尼亚语", "et": r"爱沙尼亚语", "lv": r"拉脱维亚语", "lt": r"立陶宛语", "ms": r"马来语|马来文",
    "tl": r"他加禄语|菲律宾语", "sw": r"斯瓦希里语", "bn": r"孟加拉语", "ur": r"乌尔都语", "ta": r"泰米尔语",
    "fa": r"波斯语", "ca": r"加泰罗尼亚语",
}  # fmt: skip
# "中英双语", "中日韩": one-character names run together.
ZH_LANGUAGE_PAIRS = re.compile(r"(?:中英|英中|汉英|英汉|中日韩|中日|中韩)(?=文|双语|互译|混|两种|三种|[、，,\s]|$)")
ZH_PAIR_CODES = {"中": "zh", "汉": "zh", "英": "en", "日": "ja", "韩": "ko"}
POPULAR_LANGUAGES = ("en", "de", "fr", "es", "zh", "ja", "it", "pt", "nl", "ko", "ar", "hi", "ru")


def _any(*alternatives: str, flags: int = re.I) -> re.Pattern[str]:
    """One pattern matching any of ``alternatives`` (each a regular expression)."""
    return re.compile(_cjk_edges("|".join(alternatives)), flags)


# Most specific first: a phrase one pattern takes is blanked for the ones after it ("hate speech"
# is moderation, not speech to text), and a specific task beats a generic one (chat, writing).
TASK_PATTERNS = [
    ("text_to_speech", _any(r"text[\s-]*to[\s-]*speech", r"\btts\b", r"read\w* (?:\w+ )?(?:out )?aloud",
                            r"speech synthesis", r"voice[\s-]?overs?", r"\bnarrat\w+",
                            r"\bvoices?\b(?![\s-]*(?:to[\s-]*text|notes?|messages?|memos?|recordings?|calls?))",
                            r"(?:文字|文本)转(?:成)?(?:语音|音频)", r"语音合成", r"合成语音", r"朗读", r"配音", r"播报",
                            r"(?:念|读)出来", r"有声(?:书|读物)", r"声音克隆")),
    ("moderation", _any(r"moderat\w+", r"\bsafety\b", r"guardrails?", r"prompt[\s-]*injections?", r"toxic\w*",
                        r"harmful", r"hate speech", r"\bnsfw\b", r"jailbreaks?", r"content filter\w*", r"\bpii\b",
                        r"(?<!代码)审核", r"内容安全", r"鉴黄", r"涉黄", r"色情", r"暴力内容", r"仇恨言论",
                        r"(?:有害|违规|违禁|不良)(?:内容|信息)", r"敏感(?:词|内容|信息)", r"脏话", r"辱骂",
                        r"(?:提示词|prompt)\s*注入", r"越狱", r"护栏", r"毒性", r"有毒内容", r"脱敏",
                        r"(?:个人|隐私)信息(?:检测|识别|过滤)")),
    ("diarisation", _any(r"diari[sz]\w+", r"speaker (?:labels?|identification|separation)", r"who said what",
                         r"说话人(?:分离|识别|区分|标注|日志)", r"区分(?:不同的?)?(?:说话人|说话的人)",
                         r"谁说了什么", r"谁说的(?:哪句|什么)", r"角色分离")),
    ("speech_to_text", _any(r"speech[\s-]*to[\s-]*text", r"voice[\s-]*to[\s-]*text", r"\bstt\b", r"transcri\w+",
                            r"\bspeech\b", r"\baudio\b", r"voice (?:notes?|messages?|memos?|recordings?|calls?)",
                            r"call recordings?", r"podcasts?", r"dictat\w+", r"subtitles?",
                            r"(?:语音|音频|录音)转(?:成)?(?:文字|文本)", r"语音识别", r"转写", r"转录",
                            r"转(?:成)?文字", r"录音", r"语音", r"音频", r"听写", r"字幕", r"播客")),
    ("ocr", _any(r"\bocr\b", r"scanned", r"\bscans\b", r"receipts?", r"handwrit\w+", r"extract\w* text from",
                 r"read\w* text (?:from|in) (?:images|photos|pictures)",
                 r"文字识别", r"识别(?:图片|图像|照片|扫描件)?(?:里|中|上)?的?文字", r"扫描件", r"扫描的",
                 r"票据", r"小票", r"收据", r"(?:识别|扫描(?:的)?)发票", r"发票识别", r"手写",
                 r"提取(?:图片|图像|照片|扫描件)?(?:里|中|上)?的?文字", r"(?:证件|身份证|名片)识别")),
    ("object_detection", _any(r"object detection", r"detect\w* objects", r"bounding box\w*",
                              r"count\w* (?:people|cars|objects)", r"cameras?",
                              r"(?:目标|物体|对象)检测", r"检测(?:物体|目标)", r"识别物体", r"边界框",
                              r"(?:统计|数)(?:人数|车辆|车流|人流|物体)", r"摄像头", r"监控画面")),
    ("captioning", _any(r"caption\w*", r"describe (?:images|photos|pictures)", r"alt[\s-]?text",
                        r"(?:图像|图片|照片)(?:描述|说明)", r"描述(?:图片|图像|照片)", r"看图说话", r"替代文本")),
    ("image_classification", _any(r"image classification", r"classify\w* (?:images|photos|pictures)",
                                  r"(?:图像|图片|照片)的?(?:分类|打标签|归类)",
                                  r"(?:给|对|把)(?:图像|图片|照片)(?:进行)?(?:分类|打标签|归类)")),
    ("vision", _any(r"\bimages?\b", r"\bphotos?\b", r"pictures?", r"\bvision\b", r"visual\w*", r"screenshots?",
                    r"\bcharts?\b", r"diagrams?",
                    r"图片", r"图像", r"照片", r"视觉", r"截图", r"图表", r"示意图", r"看图", r"多模态")),
    ("sentiment", _any(r"sentiment", r"opinion mining",
                       r"情感(?:分析|倾向|识别)?", r"情绪", r"正面还是负面", r"好评还是差评", r"舆情", r"口碑")),
    ("classification", _any(r"classif\w+", r"categori[sz]\w*", r"\bcategor(?:y|ies)\b", r"\btag(?:s|ging)?\b",
                            r"\blabel(?:s|ling|ing)?\b", r"triage", r"intent detection", r"\bspam\b",
                            r"rout\w* (?:the |our |incoming )?(?:support )?(?:tickets|e-?mails|messages|requests)",
                            r"分类", r"归类", r"打标签?", r"标签", r"意图识别", r"分拣", r"垃圾(?:邮件|信息|短信)",
                            r"(?:工单|消息|邮件)(?:分发|分派|分流|路由)",
                            r"(?:分发|分派|分流|路由)(?:工单|消息|邮件)")),
    ("translation", _any(r"translat\w+", r"locali[sz]\w+",
                         r"翻译", r"互译", r"译成", r"译为", r"翻成", r"本地化")),
    ("clustering", _any(r"cluster\w*", r"group similar",
                        r"聚类", r"(?:相似|类似)的?.{0,6}(?:归|分|放)(?:到|在)?一起", r"(?:相似|类似)的?.{0,4}分组")),
    ("embeddings", _any(r"embed\w*", r"semantic search", r"vectors?\b", r"\brag\b", r"retrieval", r"similarity",
                        r"similar (?:documents|tickets|items)", r"\bsearch\b", r"dedup\w*",
                        r"向量", r"嵌入", r"语义(?:搜索|检索|匹配)", r"检索", r"搜索", r"知识库", r"相似度",
                        r"(?:相似|类似)的?(?:文档|工单|问题|内容|商品)", r"去重", r"查重", r"召回", r"以图搜图")),
    ("code", _any(r"\bcode\b", r"\bcoding\b", r"autocomplete", r"programming", r"pull requests?",
                  r"(?<!chat )(?<!chat/)\bcompletions?\b",
                  r"(?<!错误)(?<!报错)(?<!状态)代码", r"编程", r"写程序", r"补全", r"(?:生成|写)\s*sql")),
    ("summarisation", _any(r"summar\w+", r"\btl;?dr\b", r"\bdigests?\b", r"condens\w+", r"key points",
                           r"meeting notes", r"\brecaps?\b",
                           r"摘要", r"总结", r"概括", r"归纳", r"提炼", r"要点", r"纪要", r"简报")),
    ("text_generation", _any(r"generat\w+", r"\bwrit(?:e|es|ing)\b", r"draft\w*", r"copywrit\w*", r"\bcompose\b",
                             r"product descriptions", r"marketing copy", r"blog posts?", r"rewrit\w+",
                             r"paraphras\w+",
                             r"生成", r"文案", r"写作", r"撰写", r"起草", r"草拟", r"改写", r"润色", r"续写", r"仿写",
                             r"(?:商品|产品)描述", r"博客", r"写.{0,4}(?:文章|邮件|文案|内容|回复|报告)")),
    ("chat", _any(r"chat\w*", r"assistants?", r"conversation\w*", r"\bbots?\b", r"virtual agents?",
                  r"\b(?:large )?language models?\b", r"\bllms?\b", r"\btext models?\b", r"(?:大|大语言|语言|文本)模型",
                  r"answer\w* (?:customer )?questions", r"\bfaq\b",
                  r"聊天", r"对话", r"客服", r"机器人", r"助手", r"问答", r"回答(?:客户|用户)?的?问题", r"常见问题")),
]  # fmt: skip
GENERIC_TASKS = frozenset({"chat", "text_generation"})

_NETWORK = (
    r"(?:our|the)\s+(?:own\s+)?(?:network|premises|infrastructure|firewall|walls|environment|systems?|building"
    r"|data ?cent(?:er|re)s?)"
)
_PLACE = r"(?:the\s+)?(?:eu|e\.u\.|europe|european union|us|u\.s\.|usa|united states|america|asia|singapore|apac)\b"
# Chinese: what the data may not leave ("内网", "我们的服务器"), and places.
_ZH_NETWORK = r"(?:我们|我司|公司|自己)?(?:的)?(?:内网|内部网络|网络|机房|服务器|数据中心|防火墙|公司|内部|本地)"
_ZH_PLACES = r"欧洲|欧盟|美国|北美|亚洲|亚太|新加坡|东南亚|国内|中国|境内"
_ZH_PLACE = rf"(?:{_ZH_PLACES})"
# Privacy first, so "not in the cloud" is not read as a wish for the cloud.
PRIVACY_PATTERNS = [
    ("own_network", _any(r"(?:no|nothing|none of (?:the|our))\s+(?:\w+\s+){0,2}?(?:may\s+|can\s+|must\s+|should\s+)?"
                         r"(?:leaves?|leaving|go(?:es)?\s+out(?:side)?|exits?)\s+(?:of\s+)?" + _NETWORK,
                         r"(?:can'?t|cannot|can not|must not|mustn'?t|may not|never|should not)\s+leave\s+" + _NETWORK,
                         r"(?:stay|stays|remain|remains|kept)\s+(?:inside|within|in|on|behind)\s+" + _NETWORK,
                         r"(?:不能|不可以|不得|不允许|不准|不要|不会|绝不|不)\s*"
                         r"(?:出|离开|流出|传出|发出|出去到?)\s*" + _ZH_NETWORK,
                         r"(?:留在|待在|保留在|只在|只能在|存在|放在)\s*" + _ZH_NETWORK
                         + r"(?:里|内|中|之内|以内|上)?")),
    ("no_cloud", _any(r"(?:no|not|never|can'?t|cannot|can not|must not|mustn'?t|without|avoid|don'?t want)\s+"
                      r"(?:\w+\s+){0,3}?(?:the\s+|a\s+|any\s+|public\s+|your\s+)*cloud\b",
                      r"offline", r"air[\s-]?gapped", r"without (?:an? )?internet", r"no internet",
                      r"(?:不|不能|不可以|不允许|不想|不要|没法|无法|不会|不准|不得|禁止)\s*(?:上|用|走|放|放到|放在|传到?|部署到?|部署在)?"
                      r"\s*(?:任何)?(?:公有|公共|外部|第三方|你们的)?云",
                      r"离线(?!部署|环境|机房)", r"断网", r"不(?:能)?联网", r"无网", r"没有(?:外)?网",
                      r"(?:不能|无法|不可以)(?:连|访问)(?:外网|互联网|公网)", r"物理隔离", r"隔离网", r"气隙")),
    ("residency", _any(r"(?:data|everything|it)\s+(?:\w+\s+){0,3}?(?:stay|stays|remain|remains|kept|stored|hosted"
                       r"|processed|resid\w*)\s+(?:\w+\s+){0,2}?(?:in|within|inside)\s+" + _PLACE,
                       r"(?:留在|存在|存放在|保存在|放在|存储在|托管在|处理在|待在|只能在|必须在|要在)\s*"
                       + _ZH_PLACE + r"(?:境内|以内|之内|内|的?(?:机房|区域|节点|服务器|数据中心))?",
                       r"(?:不能|不可以|不得|不允许|不准|不要|不|禁止)\s*(?:出|离开)\s*(?:境|国|" + _ZH_PLACES + r")",
                       r"(?:不能|不可以|不得|不允许|不准|禁止)\s*(?:跨境|出境)", r"数据(?:本地化|不出境)")),
]  # fmt: skip
HOSTING_PATTERNS = [
    ("vpc", _any(r"\bvpc\b", r"virtual private cloud", r"private ?link", r"dedicated (?:deployment|instance)",
                 r"(?:our|own)\s+(?:own\s+)?(?:aws|azure|gcp|google cloud|cloud)(?:\s+(?:account|tenant|project))?",
                 r"自有云", r"私有云", r"专有云", r"专属(?:部署|实例)", r"独享实例",
                 r"(?:我们|我司|公司)?自己的\s*(?:aws|azure|gcp|阿里云|腾讯云|华为云|云)(?:\s*(?:账号|账户|环境|上|里))?",
                 r"我们的\s*(?:aws|azure|gcp|阿里云|腾讯云|华为云)(?:\s*(?:账号|账户|环境))?")),
    ("on_prem", _any(r"\bon[\s-]?prem\w*", r"self[\s-]?host\w*",
                     r"(?:our|own|in[\s-]house)\s+(?:own\s+)?(?:servers?|hardware|gpus?|data ?cent(?:er|re)s?"
                     r"|kubernetes|k8s|cluster|racks?|machines)",
                     r"私有化", r"本地化?部署", r"部署(?:在|到)(?:我们的?|自己的?)?(?:本地|内网|机房|服务器)",
                     r"本地机房", r"(?:自己|我们|公司|自建)的?(?:机房|服务器|gpu|显卡|集群|数据中心|硬件)",
                     r"机房", r"内网", r"自托管", r"自部署", r"自己部署", r"线下部署", r"离线(?:部署|环境|机房)",
                     r"本地(?:运行|跑|服务器)")),
    ("edge", _any(r"\bedge\b(?![\s-]*cases?)", r"on[\s-]?device", r"mobile apps?", r"raspberry", r"embedded devices?",
                  r"\biot\b", r"\bon (?:the |their |our |users'? )?(?:phones?|laptops?|mobiles?|devices?|cameras?)\b",
                  r"端侧", r"边缘", r"(?:手机|移动|设备|终端)端",
                  r"(?:手机|设备|终端|笔记本|电脑|摄像头|平板)(?:上|里)", r"移动应用", r"嵌入式", r"树莓派",
                  r"物联网", r"终端设备", r"(?:app|App|APP)\s*(?:里|内|上)")),
    ("cloud", _any(r"\bcloud\b", r"\bsaas\b", r"(?:hosted|managed|your) api",
                   r"云", r"托管", r"你们的\s*(?:api|API|接口|服务)")),
]  # fmt: skip
REGION_PATTERNS = [
    ("eu-west", _any(r"\b(?:eu|e\.u\.|europe|european union|eu[\s-]west|frankfurt)\b",
                     r"欧盟", r"欧洲(?!的?(?:语言|语种|各国语言|小语种))", r"法兰克福")),
    # "US" in capitals only: "help us" is no region.
    ("us-east", _any(r"\b(?:US|U\.S\.(?:A\.)?|USA)(?![\w.])",
                     r"(?i:\bunited states|\bamerica\b|\bus[\s-]east|virginia)", r"美国", r"北美", r"弗吉尼亚",
                     flags=0)),
    ("ap-southeast", _any(r"\b(?:asia|asia[\s-]pacific|apac|singapore|ap[\s-]southeast)\b",
                          r"亚洲(?!的?(?:语言|语种))", r"亚太", r"新加坡", r"东南亚")),
]  # fmt: skip
_UNIT = r"(\d+(?:\.\d+)?)\s*(ms|msecs?|milliseconds?|s|secs?|seconds?)\b"
LATENCY_LIMIT = _any(
    r"(?:under|below|less than|within|at most|no more than|not more than|max(?:imum)?(?: of)?|faster than|<=?|≤|sub)"
    r"[\s-]*" + _UNIT,
    _UNIT + r"\s*(?:or (?:less|faster|under|below)|max(?:imum)?\b|at most|tops|limit)",
)
LATENCY_TARGET = _any(_UNIT)
# Chinese latencies: "100 毫秒以内" and "不超过 2 秒" are limits, "延迟 200ms 左右" a target.
_ZH_UNIT = r"(\d+(?:\.\d+)?)\s*(毫秒|ms|msecs?|milliseconds?|秒钟|秒|s|secs?|seconds?)(?![A-Za-z])"
ZH_LATENCY_LIMIT = _any(
    r"(?:低于|小于|少于|不超过|不高于|不能超过|不要超过|不可以超过|别超过|不大于|最多|最长|最慢|控制在|压到|压在|要在|必须在|得在)"
    r"\s*" + _ZH_UNIT,
    _ZH_UNIT + r"\s*(?:以内|之内|以下|内|封顶|为上限|是上限|或更(?:少|快|短))",
)
ZH_LATENCY_TARGET = _any(_ZH_UNIT)
MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6,
                "b": 1e9, "bn": 1e9, "billion": 1e9}  # fmt: skip
VOLUME = _any(r"(?<![^\W" + HAN + r"])(?<![$€.,-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*"
              r"(k|mm|mn|mio|m|bn|b|thousand|million|billion)?\b(?P<tail>[^.!?;\n]{0,60})")  # fmt: skip
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
# Chinese volumes: "每月 200 万条", "每天 5 万次调用", "一千万", "两百万张图片".
_ZH_DIGITS = "零〇一二两三四五六七八九十百千"
ZH_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
               "九": 9}  # fmt: skip
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
ZH_MULTIPLIERS = {"千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8}
ZH_VOLUME = re.compile(
    rf"(?<![\d.,$€{_ZH_DIGITS}])(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|[一二两三四五六七八九十][{_ZH_DIGITS}]*)"
    r"\s*(?P<mult>十万|百万|千万|万|千|亿)?(?=(?P<tail>[^。！？；.!?;\n]{0,40}))",
    re.I,
)
# What follows a Chinese number that is not a volume: money, time, sizes, a context window, models.
ZH_NOT_VOLUME = _any(r"^\s*(?:美元|美金|刀|块|元|人民币|欧元|毫秒|秒"
                     r"|分钟(?![的]?(?:音频|录音|语音))|小时(?![的]?(?:音频|录音|语音))"
                     r"|天|个?月|年|周|%|％|个?百分点|倍|种|个?模型|个?语言|维|个?区域|mb|gb|kb|兆|位"
                     r"|(?:个\s*)?tokens?\s*(?:的)?\s*上下文|上下文|k\s*(?:的)?\s*上下文)")  # fmt: skip
ZH_COUNT = _any(r"^\s*(?:条|张|篇|封|份|页|通|段|句|笔|单|件)",
                r"^\s*(?:个|条|次|份|张|篇|封|通)?\s*(?:请求|调用|工单|文档|消息|邮件|评论|图片|照片|对话|会话|问题|查询"
                r"|文件|记录|用户|客户|商品|发票|票据|字|词|句子|token|tokens|次推理|推理|预测|样本|帖子|文章"
                r"|(?:分钟|小时)(?:的)?(?:音频|录音|语音))")  # fmt: skip
ZH_CALLS = re.compile(r"^\s*次")  # "每秒 50 次": a count only with a period
# A period in Chinese, before the number ("每月 200 万条", "日均 5 万") or after it ("200 万条/月").
_ZH_PERIOD_WORD = r"(秒钟?|分钟|小时|天|日|周|星期|礼拜|个?月|年)"
ZH_PERIOD_BEFORE = re.compile(rf"(?:每|一|1)\s*(?:个)?\s*{_ZH_PERIOD_WORD}|([日天周月年])均")
ZH_PERIOD_AFTER = re.compile(rf"(?:/|每|一|1)\s*(?:个)?\s*{_ZH_PERIOD_WORD}")
ZH_PERIODS = {"秒": "second", "秒钟": "second", "分钟": "minute", "小时": "hour", "天": "day", "日": "day",
              "周": "week", "星期": "week", "礼拜": "week", "月": "month", "个月": "month", "年": "year"}  # fmt: skip
# Where a Chinese clause ends: what is said before it is no part of the number after it.
ZH_CLAUSE = re.compile(r"[，,。；;！!？?\n]")
MONEY = _any(r"(?:\$|usd\s?|€|eur\s?)\s?(\d+(?:\.\d+)?)", r"(\d+(?:\.\d+)?)\s?(?:\$|usd\b|dollars?\b|€|eur\b|euros?\b)")
CEILING_BEFORE = _any(r"(?:under|below|less than|at most|max(?:imum)?|no more than|up to|cap(?:ped)? at"
                      r"|budget(?: of| is)?|afford)\s*$")  # fmt: skip
PER_PERIOD_AFTER = _any(r"^\s*(?:a|per|/|each)\s*(?:month|year|mo|yr)\b", r"^\s*monthly", r"^\s*yearly")
# Chinese money: "500 美元", "500 刀", "1 万美元"; "预算每月 500 美元" is a spend, "单价不超过 2 美元" a ceiling.
# Yuan ("500 块") say the budget is tight, but are no ceiling on the catalog's dollar prices.
ZH_MONEY = re.compile(
    r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<mult>千|万)?\s*(?:(?P<usd>美元|美金|刀(?!片)|欧元)|块钱|块|元|人民币|rmb)", re.I
)
ZH_CEILING_BEFORE = re.compile(r"(?:不超过|不高于|低于|少于|小于|最多|最高|顶多|上限|封顶|控制在"
                               r"|预算(?:是|为|在|只有|大概|大约)?|能接受)\s*(?:\$|usd|€)?\s*$", re.I)  # fmt: skip
ZH_CEILING_AFTER = re.compile(r"^\s*(?:以内|以下|之内|封顶|为上限|是上限)")
ZH_PER_PERIOD_BEFORE = re.compile(r"(?:每|一)\s*个?\s*(?:月|年)|包月|包年|月度|年度|月预算|年预算|月费|年费")
ZH_PER_PERIOD_AFTER = re.compile(r"^\s*(?:/|每|一|1)\s*个?\s*(?:月|年)|^\s*(?:包月|包年)")
CHEAPEST = _any(r"cheapest", r"lowest (?:price|cost)", r"as cheap as possible", r"least expensive",
                r"最便宜", r"越便宜越好", r"(?:价格|成本|费用|花费)最低", r"最低(?:的)?(?:价格|成本|费用)",
                r"最省钱")  # fmt: skip
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
    r"便宜",
    r"省钱",
    r"(?:成本|价格|费用|花费)(?:要|尽量|比较|很)?(?:低|少)",
    r"低成本",
    r"低价",
    r"实惠",
    r"预算(?:有限|紧|不多|少|紧张|不高|不够)",
    r"(?:不要|别|不能|不想)太贵",
)
PRIORITY_PATTERNS = [
    ("quality", _any(r"best (?:quality|possible|model|results|accuracy)", r"highest (?:quality|accuracy)",
                     r"most accurate", r"top quality", r"smartest", r"most (?:capable|powerful|intelligent)",
                     r"strongest", r"quality (?:matters|is (?:key|critical|important))",
                     r"complex reasoning", r"state of the art", r"accura\w+ (?:matters|is (?:key|critical))",
                     r"效果最好", r"效果(?:优先|第一|要好)", r"(?:质量|效果)最(?:好|高|强)", r"质量(?:优先|第一|要高)",
                     r"高质量", r"最准确?", r"(?:准确率|精度|准确度)(?:最高|优先|要高)", r"最(?:强|聪明|先进)",
                     r"(?:准确|质量|效果|精度)(?:率|性|度)?(?:很|最|比较|非常)?(?:重要|关键)", r"复杂推理")),
    ("speed", _any(r"real[\s-]?time", r"low(?:est)?[\s-]latency", r"least latency", r"fastest", r"quickest",
                   r"(?:lowest|shortest|best) response times?", r"延迟最(?:低|小)", r"最(?:低|小)(?:的)?延迟",
                   r"响应最快", r"as fast as possible", r"\bfast\b",
                   r"instant(?:ly| answers)", r"snappy", r"latency (?:matters|is (?:key|critical))", r"\bspeed\b",
                   r"最快", r"越快越好", r"尽(?:量|可能)快", r"速度", r"实时", r"低延迟",
                   r"延迟(?:要|尽量|越|很|比较)*低", r"延迟(?:很|最|比较|非常)?(?:重要|关键)", r"响应(?:要|得)?快",
                   r"秒回", r"要快")),
    ("context", _any(r"long (?:documents|context|contracts|reports|texts|inputs|files)",
                     r"whole (?:books?|codebase|repositor\w+)", r"large (?:documents|files|codebase)",
                     r"entire (?:codebase|repositor\w+|repo)",
                     r"长(?:文档|上下文|文本|合同|报告|输入|文件)", r"超长", r"整本书", r"整个(?:代码库|仓库|项目)",
                     r"大文件")),
    ("balanced", _any(r"\bbalanced?\b", r"good value", r"best value", r"middle ground", r"good enough",
                      r"均衡", r"平衡", r"性价比", r"折中", r"够用就(?:行|好)", r"差不多就行")),
]  # fmt: skip
CONTEXT_SIZE = _any(
    r"(\d+(?:\.\d+)?)\s*(k)?[\s-]*(?:tokens?\s*)?(?:of\s+)?context", r"context(?: window)? of (\d+(?:\.\d+)?)\s*(k)?"
)
# "32k 上下文", "10 万 token 的上下文", "上下文窗口至少 128k".
ZH_CONTEXT_SIZE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(k|千|万)?\s*(?:个\s*)?(?:tokens?)?\s*(?:的)?\s*上下文"
    r"|上下文(?:窗口|长度)?\s*(?:要|需要|得|至少|最少|要有|达到|能到|有|是|为|:|：)*\s*(\d+(?:\.\d+)?)\s*(k|千|万)?",
    re.I,
)
ZH_CONTEXT_MULTIPLIERS = {"k": 1000, "千": 1000, "万": 10000}
FINE_TUNE_NO = _any(r"(?:no|don'?t|do not|doesn'?t|won'?t|without|not)\s+(?:need\s+(?:to\s+)?|want\s+(?:to\s+)?"
                    r"|require\s+|plan\s+to\s+)?(?:any\s+)?fine[\s-]?tun\w*",
                    r"(?:不|无|没|没有)(?:需要|用|打算|想|要|必|准备|计划)?(?:做|进行)?\s*(?:任何)?\s*"
                    r"(?:微调|精调|fine[\s-]?tun\w*)")  # fmt: skip
FINE_TUNE = _any(
    r"fine[\s-]?tun\w*",
    r"custom (?:model|labels|training)",
    r"our own labels",
    r"train\w* (?:it |the model |a model )?on our (?:own )?(?:data|examples|labels|tickets|documents)",
    r"微调",
    r"精调",
    r"定制(?:模型|训练)",
    r"自定义标签",
    r"(?:用|拿|基于)(?:我们)?自己的(?:数据|标签|样本|工单|文档|语料)(?:来|去)?(?:训练|调)",
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
    r"都可以",
    r"都行",
    r"都好",
    r"无所谓",
    r"随便",
    r"没(?:有)?(?:偏好|要求|讲究)",
    r"不确定",
    r"不知道",
    r"不清楚",
    r"跳过",
    r"不限",
    r"(?:你|您)(?:来)?(?:推荐|定|决定)",
)
SLOT_NO_PREFERENCE = {
    "hosting": _any(r"any (?:hosting|deployment)", r"(?:hosting|deployment) (?:doesn'?t|does not) matter",
                    r"(?:部署|哪里|在哪)(?:方式|在哪(?:里)?)?(?:都可以|都行|无所谓|不限|随便)"),
    "languages": _any(r"any language", r"language (?:doesn'?t|does not) matter",
                      r"(?:什么|哪种|任何)?语言(?:都可以|都行|无所谓|不限|随便)"),
}  # fmt: skip


# Words that make two named models a comparison ("chat medium vs chat large"; "chat m 和 chat l 哪个好",
# when the Chinese words stand apart).
COMPARE_WORDS = ("vs", "versus", "compare", "comparison", "difference", "better", "or",
                 "和", "跟", "与", "还是", "对比", "比较", "区别", "哪个好", "哪个更好", "有什么区别",
                 "差别")  # fmt: skip
# The same in running Chinese text, where words do not stand apart ("chat m对比chat l").
COMPARES = _any(r"\b(?:vs|versus|compare|comparison|difference|better)\b",
                r"对比", r"比较", r"区别", r"差别", r"哪个(?:更)?(?:好|强|合适|适合)",
                r"(?:和|跟|与|还是).{1,40}哪个")  # fmt: skip
_ZH_LANGUAGE_NAMES = "|".join(ZH_LANGUAGES.values())


def _re(pattern: str, flags: int = re.I) -> re.Pattern[str]:
    return re.compile(_cjk_edges(pattern), flags)


# What a short question about one model asks for.
ASPECTS = {
    "price": _re(
        r"\b(how much|price|pricing|costs?|expensive|cheap(er|est)?)\b"
        r"|多少钱|价格|价钱|费用|收费|计费|定价|贵不贵|贵吗|便宜吗|(?:更|最)(?:便宜|贵)|怎么(?:算钱|收费)"
    ),
    "latency": _re(
        r"\b(fast(er|est)?|slow(er|est)?|latency|speed|quick(er|est)?)\b"
        r"|多快|快不快|快吗|(?:更|最)(?:快|慢)|慢不慢|慢吗|速度|延迟|响应(?:时间|速度)|耗时"
    ),
    "languages": _re(
        r"\b(language|languages|speak|support .*(chinese|german|french|japanese))\b"
        r"|语言|语种|多语|支持.{0,8}(?:" + _ZH_LANGUAGE_NAMES + r")"
        r"|(?:" + _ZH_LANGUAGE_NAMES + r")(?:效果|表现|能力)?(?:怎么样|如何|好吗|行吗|可以吗|支持吗)"
    ),
    "context": _re(
        r"\b(context|tokens? long|how long a prompt|window)\b"
        r"|上下文|多长的?(?:输入|提示词?|prompt|文本|文档)|(?:输入|token)(?:长度)?上限|最大长度|窗口"
    ),
    "hosting": _re(
        r"\b(on.?prem|vpc|edge|host|hosting|self.?host|run it)\b"
        r"|私有化|私有云|端侧|边缘|离线|自托管|本地(?:部署|跑|运行)|部署(?:方式|在哪|到哪|选项)"
        r"|(?:能|可以|支持)(?:本地|私有化)?部署"
    ),
    "fine_tuning": _re(r"\b(fine.?tun\w*)\b|微调|精调|训练自己的|定制训练"),
}
# A reference back to a model just recommended ("how much is that one?", "这个多少钱").
REFERS = _re(
    r"\b(that one|this one|that model|this model|it|the first one|the second one|the other one)\b"
    r"|这个|那个|这款|那款|它|第一个|第二个|第三个|前者|后者|另一个|上面(?:那|这)个|刚才(?:那|这)个"
)
SECOND = _re(r"\bsecond\b|第二个|第二款|后者")
THIRD = _re(r"\bthird\b|第三个|第三款")
# "Which one is cheaper?" / "哪个更便宜" about the models just shown.
WHICH_ONE = _re(
    r"\bwhich (one|of (them|the two|these|those))\b|\bwhich is\b|哪(?:一)?(?:个|款)|谁更|谁(?:的)?(?:价格|速度|延迟)"
)

"""The Chinese side of the knowledge base, read beside the English it translates.

Every Chinese file mirrors an English one and is checked against it:

- ``articles/zh/<id>.md``: an article with the English one's id and the same ``## `` sections in
  the same order (headings translated); its ``questions:`` are how Chinese customers ask.
  An article with no translation stays in the Chinese index in English, and a Chinese reply
  quoting it says the source is in English (``missing_translations`` lists them at build time).
- ``assistant.zh.yaml``: the assistant's sentences; a key it lacks is said in English.
- ``catalog.zh.yaml``: each model's strengths and limits, as many as the English has.
- ``troubleshooting/zh/<flow>.yaml``: each step's text and option labels, the options in the
  English order; ``detect_zh`` adds patterns that recognise the failure in Chinese.
- ``intents.zh.yaml``: labels and examples of the English intents (routes come from English).
- ``glossary.zh.yaml``: the one Chinese term for each English one, also taught to jieba.

``fact_differences`` is the consistency check between two versions of an article: the numbers,
prices, limits and region names of each must be the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from index.types import Document
from knowledge.catalog import Model, Price
from knowledge.errors import KnowledgeError
from knowledge.flows import Flow, Option, Step
from knowledge.loaders import Article, load_articles, parse_article

ZH = "zh"
_NUMBER = re.compile(r"(?<![A-Za-z_])\d+(?:[.,]\d+)*")
_REGION = re.compile(r"\b(?:us-east|eu-west|ap-southeast)\b")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Bilingual:
    """The articles of a knowledge base in both languages: ``zh`` holds the translated ones by id,
    ``missing`` the ids of English articles with no translation yet."""

    english: tuple[Article, ...]
    zh: Mapping[str, Article]

    @property
    def missing(self) -> list[str]:
        return [a.id for a in self.english if a.id not in self.zh]


def sections(body: str) -> list[str]:
    """The ``## `` headings of an article body, in order."""
    return [line[3:].strip() for line in body.splitlines() if line.startswith("## ")]


def load_bilingual(articles_dir: Path) -> Bilingual:
    """The English articles of ``articles_dir`` and their translations in ``articles_dir/zh``.

    Raises:
        KnowledgeError: naming the file and line of a translation with no English article or
            with other sections than the English one.
    """
    english = load_articles(articles_dir)
    by_id = {a.id: a for a in english}
    zh: dict[str, Article] = {}
    folder = Path(articles_dir) / ZH
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        article = parse_article(path)
        source = by_id.get(article.id)
        if source is None:
            raise KnowledgeError(path, f"translates {article.id!r}, but there is no English article of that id", line=2)
        _check_sections(source, article, path)
        zh[article.id] = article
    return Bilingual(tuple(english), zh)


def _check_sections(english: Article, chinese: Article, path: Path) -> None:
    en, zh = sections(english.body), sections(chinese.body)
    if len(en) != len(zh):
        listed = "; ".join(en)
        raise KnowledgeError(
            path, f"has {len(zh)} sections, the English article {len(en)} ({listed}): translate each one, in order"
        )


def chinese_documents(bilingual: Bilingual) -> list[Document]:
    """The documents of the Chinese index: each article in Chinese where it is translated (its
    Chinese questions, then its English title and questions as keys, so mixed messages find it
    too), otherwise in English."""
    docs: list[Document] = []
    for en in bilingual.english:
        zh = bilingual.zh.get(en.id)
        if zh is None:
            docs.append(en.to_document())
            continue
        keys = tuple(dict.fromkeys([*zh.questions, en.title, *en.questions]))
        docs.append(Document(id=en.id, title=zh.title, text=zh.body, url=en.url, keys=keys, tags=en.tags, lang=ZH))
    return docs


def fact_differences(english: str, chinese: str) -> list[str]:
    """What two versions of one text disagree on: numbers (prices, limits, sizes) and region
    names that one has and the other lacks. Empty when they agree."""

    def facts(text: str) -> tuple[set[str], set[str]]:
        text = _URL.sub(" ", text)
        return {n.rstrip(".,") for n in _NUMBER.findall(text)}, set(_REGION.findall(text))

    (en_numbers, en_regions), (zh_numbers, zh_regions) = facts(english), facts(chinese)
    out = []
    if en_numbers - zh_numbers:
        out.append(f"numbers missing from the Chinese: {', '.join(sorted(en_numbers - zh_numbers))}")
    if zh_numbers - en_numbers:
        out.append(f"numbers only in the Chinese: {', '.join(sorted(zh_numbers - en_numbers))}")
    if en_regions != zh_regions:
        out.append(f"regions differ: {sorted(en_regions)} vs {sorted(zh_regions)}")
    return out


# -- the catalog, the flows ----------------------------------------------------------------------


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise KnowledgeError(path, f"invalid YAML: {e}", line=mark.line + 1 if mark else None) from e


def translate_catalog(models: Sequence[Model], path: Path) -> list[Model]:
    """``models`` with the strengths and limits of ``catalog.zh.yaml`` at ``path``, and their
    price units in Chinese (its ``units``); a model the file lacks keeps its English text.

    Raises:
        KnowledgeError: for an unknown model id or a list of another length than the English.
    """
    if not path.is_file():
        return list(models)
    data = _read(path) or {}
    entries = data.get("models") or {}
    units = {str(k): str(v) for k, v in (data.get("units") or {}).items()}
    known = {m.id for m in models}
    for model_id in entries:
        if model_id not in known:
            raise KnowledgeError(path, f"no model {model_id!r} in the catalog", field=str(model_id))
    out = []
    for m in models:
        entry = entries.get(m.id) or {}
        strengths = _translated_list(entry, "strengths", m.strengths, m.id, path)
        limits = _translated_list(entry, "limits", m.limits, m.id, path)
        out.append(
            replace(
                m,
                strengths=strengths,
                limits=limits,
                price=_in_chinese(m.price, units),
                input_price=_in_chinese(m.input_price, units) if m.input_price is not None else None,
                training_price=_in_chinese(m.training_price, units) if m.training_price is not None else None,
            )
        )
    return out


def _in_chinese(price: Price, units: Mapping[str, str]) -> Price:
    """``price`` with its unit as Chinese customers read it ("$2.00 / 1M 输出 token"), when known."""
    return replace(price, unit=units[price.unit], per=" / ") if price.unit in units else price


def _translated_list(
    entry: Mapping[str, Any], name: str, english: tuple[str, ...], model_id: str, path: Path
) -> tuple[str, ...]:
    values = tuple(str(v) for v in entry.get(name) or ())
    if values and len(values) != len(english):
        raise KnowledgeError(path, f"{model_id}: {len(values)} {name}, the English has {len(english)}")
    return values or english


def translate_flows(flows: Mapping[str, Flow], folder: Path) -> dict[str, Flow]:
    """``flows`` with the Chinese texts of ``folder/<file>.yaml`` (matched by flow id): titles,
    step texts and option labels (by position), and ``detect_zh`` patterns added to ``detect``.

    Raises:
        KnowledgeError: for a translation of an unknown flow or step, or a step with another
            number of options than the English.
    """
    out = dict(flows)
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data = _read(path) or {}
        flow = flows.get(str(data.get("id")))
        if flow is None:
            raise KnowledgeError(path, f"translates flow {data.get('id')!r}, which does not exist", field="id")
        steps = dict(flow.steps)
        for step_id, entry in (data.get("steps") or {}).items():
            step = steps.get(step_id)
            if step is None:
                raise KnowledgeError(path, f"flow {flow.id!r} has no step {step_id!r}", field=f"steps.{step_id}")
            steps[step_id] = _translate_step(step, entry or {}, path)
        try:
            extra = tuple(re.compile(p, re.IGNORECASE) for p in data.get("detect_zh") or ())
        except re.error as e:
            raise KnowledgeError(path, f"a detect_zh pattern does not compile: {e}", field="detect_zh") from e
        title = str(data.get("title") or flow.title)
        out[flow.id] = replace(flow, title=title, steps=steps, detect=flow.detect + extra, source=str(path))
    return out


def _translate_step(step: Step, entry: Mapping[str, Any], path: Path) -> Step:
    labels = [str(x) for x in entry.get("options") or ()]
    if labels and len(labels) != len(step.options):
        raise KnowledgeError(
            path, f"step {step.id!r} has {len(labels)} options, the English {len(step.options)}", field="options"
        )
    options = tuple(Option(label, o.next) for label, o in zip(labels, step.options, strict=True)) if labels else None
    return replace(step, text=str(entry.get("text") or step.text).strip(), options=options or step.options)


# -- the glossary ----------------------------------------------------------------------------------


def load_glossary(path: Path) -> dict[str, str]:
    """English term -> Chinese term from ``glossary.zh.yaml`` (empty when there is none)."""
    if not path.is_file():
        return {}
    data = _read(path) or {}
    terms = data.get("terms") or {}
    if not isinstance(terms, dict):
        raise KnowledgeError(path, "'terms' must map English terms to Chinese ones", field="terms")
    return {str(k): str(v) for k, v in terms.items()}


def chinese_terms(path: Path, models: Sequence[Model] = ()) -> list[str]:
    """The words jieba must keep whole: the glossary's Chinese terms (a bracketed gloss split
    off), its ``keep`` list and the model names."""
    if not path.is_file():
        return [m.name for m in models]
    data = _read(path) or {}
    words = [re.split(r"[（(]", v)[0].strip() for v in load_glossary(path).values()]
    return [*words, *(str(w) for w in data.get("keep") or ()), *(m.name for m in models)]

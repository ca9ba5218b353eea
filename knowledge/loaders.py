"""Loaders for the knowledge files. Each validates what it reads and fails with
``KnowledgeError`` naming the file, the line and the field of the bad value."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from index.language import word_count
from index.types import Document
from knowledge.errors import KnowledgeError

PACKAGE_DIR = Path(__file__).resolve().parent
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Article:
    """A help article: front matter plus Markdown body."""

    id: str
    title: str
    tags: tuple[str, ...]
    questions: tuple[str, ...]
    body: str
    path: str

    @property
    def url(self) -> str:
        return f"/kb/{self.id}"

    def to_document(self) -> Document:
        return Document(id=self.id, title=self.title, text=self.body, url=self.url, keys=self.questions, tags=self.tags)


def _yaml(text: str, path: Path, first_line: int = 1) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(e, "problem", None) or str(e)
        raise KnowledgeError(path, f"invalid YAML: {problem}", line=line) from e


def compose_yaml(path: Path) -> yaml.Node | None:
    """The YAML node tree of ``path`` (nodes keep their line numbers for error messages).

    Raises:
        KnowledgeError: naming the file and line of invalid YAML, or text that is not UTF-8.
    """
    try:
        return yaml.compose(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise KnowledgeError(path, f"invalid YAML: {getattr(e, 'problem', None) or e}", line=line) from e
    except UnicodeDecodeError as e:
        raise KnowledgeError(path, f"not UTF-8 text ({e.reason})") from e


def _field_line(lines: list[str], key: str, offset: int) -> int:
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            return offset + i
    return offset


def _str_list(value: Any, path: Path, line: int, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(path, f"must be a list of non-empty strings, got {value!r}", line=line, field=field)
    return tuple(v.strip() for v in value)


def parse_article(path: Path, text: str | None = None) -> Article:
    """Parse one article file (YAML front matter between ``---`` lines, then Markdown)."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise KnowledgeError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from e
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise KnowledgeError(path, "must start with a '---' line opening the front matter", line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise KnowledgeError(path, "front matter is never closed by a '---' line", line=1) from None
    front_lines = lines[1:end]
    meta = _yaml("\n".join(front_lines), path, first_line=2)
    if not isinstance(meta, dict):
        raise KnowledgeError(path, "front matter must be a mapping of fields", line=2)
    at = lambda key: _field_line(front_lines, key, 2)  # noqa: E731
    for key in ("id", "title"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise KnowledgeError(path, f"is required and must be text, got {meta.get(key)!r}", line=at(key), field=key)
    art_id = meta["id"].strip()
    if not ID_PATTERN.match(art_id):
        raise KnowledgeError(
            path, f"must be lowercase letters, digits and hyphens, got {art_id!r}", line=at("id"), field="id"
        )
    if path.suffix == ".md" and path.stem != art_id:
        raise KnowledgeError(path, f"{art_id!r} does not match the file name {path.name!r}", line=at("id"), field="id")
    unknown = set(meta) - {"id", "title", "tags", "questions"}
    if unknown:
        key = sorted(unknown)[0]
        raise KnowledgeError(path, "unknown field (known: id, title, tags, questions)", line=at(key), field=key)
    body = "\n".join(lines[end + 1 :]).strip()
    if word_count(body) < 20:
        raise KnowledgeError(path, f"the article body has only {word_count(body)} words", line=end + 2)
    return Article(
        id=art_id,
        title=meta["title"].strip(),
        tags=_str_list(meta.get("tags"), path, at("tags"), "tags"),
        questions=_str_list(meta.get("questions"), path, at("questions"), "questions"),
        body=body,
        path=str(path),
    )


def load_articles(folder: Path) -> list[Article]:
    """All articles under ``folder`` (``*.md``, sorted by name); ids must be unique."""
    folder = Path(folder)
    if not folder.is_dir():
        raise KnowledgeError(folder, "no such folder of articles")
    articles = [parse_article(p) for p in sorted(folder.glob("*.md")) if p.name.lower() != "readme.md"]
    if not articles:
        raise KnowledgeError(folder, "holds no articles (*.md)")
    seen: dict[str, str] = {}
    for a in articles:
        if a.id in seen:
            raise KnowledgeError(a.path, f"id {a.id!r} is already used by {seen[a.id]}", line=2, field="id")
        seen[a.id] = a.path
    return articles


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line of a JSONL file; bad lines name their number."""
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise KnowledgeError(path, f"invalid JSON: {e.msg}", line=n) from e
            if not isinstance(row, dict):
                raise KnowledgeError(path, "each line must be a JSON object", line=n)
            yield n, row


def _faq_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if path.suffix == ".jsonl":
        yield from read_jsonl(path)
    elif path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            for n, row in enumerate(reader, start=2):
                yield n, dict(row)
    else:
        raise KnowledgeError(path, "an FAQ import must be .jsonl or .csv")


def load_faq(path: Path) -> list[Document]:
    """FAQ entries from JSONL or CSV with ``id, question, answer[, title, url, questions]``.

    ``questions`` (other phrasings) is a list in JSONL and ``|``-separated in CSV.
    """
    path = Path(path)
    docs: list[Document] = []
    seen: set[str] = set()
    for n, row in _faq_rows(path):
        for key in ("id", "question", "answer"):
            value = row.get(key)
            if value is None or not str(value).strip():
                raise KnowledgeError(path, f"is required, got {value!r}", line=n, field=key)
        doc_id = str(row["id"]).strip()
        if doc_id in seen:
            raise KnowledgeError(path, f"id {doc_id!r} appears twice", line=n, field="id")
        seen.add(doc_id)
        extra = row.get("questions") or []
        if isinstance(extra, str):
            extra = [q for q in extra.split("|") if q.strip()]
        if not isinstance(extra, list) or not all(isinstance(q, str) for q in extra):
            raise KnowledgeError(path, f"must be a list of strings, got {extra!r}", line=n, field="questions")
        question = str(row["question"]).strip()
        docs.append(
            Document(
                id=doc_id,
                title=str(row.get("title") or question).strip(),
                text=str(row["answer"]).strip(),
                url=str(row.get("url") or ""),
                keys=tuple(dict.fromkeys([question, *(q.strip() for q in extra)])),
            )
        )
    if not docs:
        raise KnowledgeError(path, "holds no FAQ entries")
    return docs


def load_documents(kb: Path) -> list[Document]:
    """The documents of a knowledge base: a folder (its ``articles/``) or an FAQ file."""
    kb = Path(kb)
    if kb.is_file():
        return load_faq(kb)
    articles_dir = kb / "articles" if (kb / "articles").is_dir() else kb
    return [a.to_document() for a in load_articles(articles_dir)]

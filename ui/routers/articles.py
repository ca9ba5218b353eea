"""Knowledge-base articles at ``/kb/{id}``: where the source links of a reply lead."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from ui.deps import AssistantDep
from ui.pages.article import article_page

router = APIRouter()


@router.get("/kb/{doc_id}", response_class=HTMLResponse)
def article(doc_id: str, assistant: AssistantDep, lang: Literal["en", "zh"] = "en") -> HTMLResponse:
    """The article's page in ``lang`` (a Chinese reply's sources link with ``?lang=zh``); 404
    when there is no such article."""
    document = assistant.document(doc_id, lang)
    if document is None:
        raise HTTPException(status_code=404, detail=f"no article {doc_id!r}")
    title, markdown = document
    site = assistant.parts_for(lang).copy.say("brand.title")
    return article_page(title, markdown, site=site, lang="zh-CN" if lang == "zh" else "en")

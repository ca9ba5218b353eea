"""Knowledge-base articles at ``/kb/{id}``: where the source links of a reply lead."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from ui.deps import AssistantDep
from ui.pages.article import article_page

router = APIRouter()


@router.get("/kb/{doc_id}", response_class=HTMLResponse)
def article(doc_id: str, assistant: AssistantDep) -> HTMLResponse:
    """The article's page; 404 when there is no such article."""
    document = assistant.document(doc_id)
    if document is None:
        raise HTTPException(status_code=404, detail=f"no article {doc_id!r}")
    title, markdown = document
    return article_page(title, markdown, site=assistant.copy.say("brand.title"))

"""Liveness (``/healthz``), readiness (``/readyz``) and Prometheus metrics (``/metrics``)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import PlainTextResponse

from ui.deps import AssistantDep, MetricsDep
from ui.schemas import ErrorOut, Ok

router = APIRouter()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Ok, responses={503: {"model": ErrorOut}})
def readyz(assistant: AssistantDep) -> Ok:
    """Ready when the model and the index are loaded and the database answers."""
    try:
        ready = assistant.retriever is not None and assistant.desk.ping()
    except Exception as e:
        raise HTTPException(status_code=503, detail=f"not ready: {type(e).__name__}") from e
    if not ready:
        raise HTTPException(status_code=503, detail="not ready: the database does not answer")
    return Ok()


@router.get("/metrics", response_class=PlainTextResponse)
def prometheus(metrics: MetricsDep) -> PlainTextResponse:
    """Prometheus text format: requests, latency histogram, replies by route, fallbacks, handoffs."""
    return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

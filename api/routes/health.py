"""Liveness: answers without touching the store's query engine."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

router = APIRouter()


@router.get("/health", tags=["meta"])
def health() -> dict:
    return {"ok": True}


def register(app: FastAPI) -> None:
    app.include_router(router)

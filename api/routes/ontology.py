"""The ontology: its generated HTML documentation and its Turtle source."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse

import ontology

from ..deps import SettingsDep
from ..errors import ApiError

router = APIRouter(tags=["ontology"])
ONTOLOGY_TTL = ontology.ONTOLOGY_TTL
SHAPES_TTL = ONTOLOGY_TTL.with_name("shapes.ttl")


@router.get("/ontologie", response_class=FileResponse, summary="Ontology documentation (HTML)")
def ontology_docs(settings: SettingsDep) -> FileResponse:
    path = settings.build_dir / "ontology.html"
    if not path.is_file():
        raise ApiError("ontology documentation not built yet; run 'kringloop build'", status=503)
    return FileResponse(path, media_type="text/html; charset=utf-8")


@router.get("/ontologie/kringloop.ttl", response_class=FileResponse, summary="Ontology (Turtle)")
def ontology_turtle() -> FileResponse:
    return FileResponse(ONTOLOGY_TTL, media_type="text/turtle; charset=utf-8")


@router.get("/ontologie/shapes.ttl", response_class=FileResponse, summary="SHACL shapes (Turtle)")
def shapes_turtle() -> FileResponse:
    return FileResponse(SHAPES_TTL, media_type="text/turtle; charset=utf-8")


def register(app: FastAPI) -> None:
    app.include_router(router)

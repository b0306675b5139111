"""``GET``/``POST /api/v1/notes``: a printable note for the council, as HTML or as an A4 PDF.

GET takes the profile as URL parameters (the intake page's button is a link, and the link can be
shared); POST takes the body of ``POST /api/v1/recommendations``. PDF with ``?format=pdf`` or
``Accept: application/pdf``, else HTML. What the note says is made in ``api/notes``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from recommender import InvalidProfile
from recommender.inputs import Profile

from ..deps import get_store
from ..notes import compose_note, note_query, render_html, render_pdf
from ..ratelimit import rate_limit
from .pages import choose_lang
from .recommendations import RecommenderDep

router = APIRouter(prefix="/api/v1", tags=["notes"])

Format = Literal["html", "pdf"]


class NoteParams(Profile):
    """The profile as URL parameters (lists repeat their parameter: ``themes=a&themes=b``)."""

    # a link may carry more than the note reads (``lang``, a campaign tag): other parameters are not an error
    model_config = ConfigDict(extra="ignore")
    nis_code: str | None = Field(default=None, pattern=r"^\d{5}$")
    format: Format | None = None


class NoteRequest(BaseModel):
    """The body of a recommendations request (its ``limit`` has no meaning for a note of three practices)."""

    model_config = ConfigDict(extra="forbid")
    nis_code: str | None = Field(default=None, pattern=r"^\d{5}$")
    profile: Profile | None = None
    limit: int | None = Field(default=None, ge=1, le=100)


def _answer(request: Request, rec: Any, *, nis_code: str | None, profile: dict[str, Any], fmt: Format | None,
            in_query: bool) -> Response:
    lang, _ = choose_lang(request)
    fmt = fmt or ("pdf" if "application/pdf" in request.headers.get("accept", "") else "html")
    site = str(request.base_url).rstrip("/")
    try:
        note = compose_note(get_store(request), rec, nis_code=nis_code, profile=profile, lang=lang, site_url=site)
    except InvalidProfile as exc:
        # the field as this request names it (a URL parameter or the body's profile); an unknown NIS code in a
        # note's parameters is bad input (422), as in a recommendations body, so it is re-raised as InvalidProfile
        field = exc.field if not in_query or exc.field == "profile" else "query." + exc.field.removeprefix("profile.")
        raise InvalidProfile(field, exc.problem) from None
    own = f"{site}/api/v1/notes?{note_query(nis_code=nis_code, profile=profile, lang=lang)}"
    other = "en" if lang == "nl" else "nl"
    links = {"self": own, "pdf": own + "&format=pdf", "back": f"{site}/vind-peers?lang={lang}",
             "other_lang": f"{site}/api/v1/notes?{note_query(nis_code=nis_code, profile=profile, lang=other)}"}
    if fmt == "pdf":
        slug = re.sub(r"[^a-z0-9]+", "-", (note.government or "bestuur").casefold()).strip("-") or "bestuur"
        return Response(render_pdf(note, links=links), media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="kringloop-nota-{slug}.pdf"'})
    return HTMLResponse(render_html(note, links=links))


@router.get("/notes", response_class=HTMLResponse, dependencies=[rate_limit("recommendations")],
            responses={200: {"content": {"application/pdf": {}}}})
def read_note(request: Request, params: Annotated[NoteParams, Query()], rec: RecommenderDep) -> Response:
    """The note for the profile in the URL (shareable link), as HTML, or as PDF with ``format=pdf``."""
    profile = params.model_dump(exclude={"nis_code", "format"})
    return _answer(request, rec, nis_code=params.nis_code, profile=profile, fmt=params.format, in_query=True)


@router.post("/notes", response_class=HTMLResponse, dependencies=[rate_limit("recommendations")],
             responses={200: {"content": {"application/pdf": {}}}})
def create_note(request: Request, body: NoteRequest, rec: RecommenderDep,
                format: Annotated[Format | None, Query()] = None) -> Response:  # noqa: A002 - the URL parameter's name
    """The note for a recommendations request body, as HTML, or as PDF (``?format=pdf`` or ``Accept``)."""
    profile = body.profile.model_dump() if body.profile else {}
    return _answer(request, rec, nis_code=body.nis_code, profile=profile, fmt=format, in_query=False)


def register(app: FastAPI) -> None:
    app.include_router(router)

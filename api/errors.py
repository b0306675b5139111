"""One error shape for every API response, and the one map from domain errors to HTTP.

Every answer that is not a success has the body ``{"ok": false, "error": ..., "status": ...}``, with
``errors: [{"field", "message", "valid"?}]`` when a request field is at fault. The packages below
``api/`` raise their own errors and know nothing of HTTP; :data:`STATUS` is the only place that turns
them into a status code. Routes raise :class:`ApiError` only for what is HTTP's own (a missing page).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.curation import CurationConflict, CurationNotFound
from kg.curation_graph import CurationError
from kg.errors import KgError, ShapesMissing, StoreMissing, UnknownQuery
from recommender.cop import CopError, CopInputError, Infeasible, PlanTimeout
from recommender.errors import InvalidProfile, RecommenderError, UnknownGovernment
from state.errors import StateError, StateUnavailable

from .error_shape import MAX_MESSAGE, ApiError, error_body, short
from .search import SearchError

__all__ = ["MAX_MESSAGE", "STATUS", "ApiError", "body_of", "error_body", "install", "short", "status_of"]


# domain error -> HTTP status; the first class that matches wins, so subclasses come before their bases
STATUS: tuple[tuple[type[Exception], int], ...] = (
    (UnknownQuery, 404), (StoreMissing, 503), (ShapesMissing, 503),
    (CurationNotFound, 404), (CurationConflict, 409), (CurationError, 422),
    (KgError, 400),
    (InvalidProfile, 422),      # UnknownGovernment too, but 404 when the URL names it (see status_of)
    (RecommenderError, 400),
    (CopInputError, 422), (Infeasible, 422), (PlanTimeout, 503),
    (CopError, 400),
    (StateUnavailable, 503),    # the PostgreSQL state cannot be reached: momentary, never a stack trace
    (StateError, 400),
    (SearchError, 422),
)
DOMAIN_ERRORS = (KgError, RecommenderError, CopError, StateError, SearchError)
RETRY_AFTER_S = 5   # a 503 from a domain error is momentary (a store being published, a busy solver, a database restarting)


def status_of(exc: Exception, method: str = "POST") -> int:
    """The HTTP status of a domain error."""
    if isinstance(exc, UnknownGovernment) and method in ("GET", "HEAD"):
        return 404    # an unknown government in a URL path is a missing resource; in a body, invalid input
    return next((status for cls, status in STATUS if isinstance(exc, cls)), 500)


def body_of(exc: Exception, status: int) -> dict:
    """The canonical body for a domain error: the field at fault and, for an infeasible plan, the conflicts."""
    extra: dict[str, object] = {}
    field = getattr(exc, "field", None)
    if field is not None:
        error = {"field": field, "message": str(getattr(exc, "problem", exc))}
        if getattr(exc, "valid", None):
            error["valid"] = list(exc.valid)
        extra["errors"] = [error]
    message = str(exc)
    if isinstance(exc, Infeasible):
        message = f"infeasible: {exc}"
        extra |= {"plan_status": "infeasible", "conflicts": [c.text_en for c in exc.conflicts],
                  "conflicts_nl": [c.text_nl for c in exc.conflicts],
                  "conflict_details": [c.as_dict() for c in exc.conflicts]}
    return error_body(message, status, **extra)


def install(app: FastAPI) -> None:
    """Map every error to the canonical JSON body; users never see a stack trace."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(str(exc), exc.status, **exc.extra), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]} for e in exc.errors()]
        first = errors[0] if errors else {"field": "", "message": "invalid request"}
        message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return JSONResponse(error_body(message, 422, errors=errors), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(str(exc.detail), exc.status_code), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    async def _domain(request: Request, exc: Exception) -> JSONResponse:
        status = status_of(exc, request.method)
        headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None
        return JSONResponse(body_of(exc, status), status_code=status, headers=headers)

    for error in DOMAIN_ERRORS:
        app.add_exception_handler(error, _domain)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body("internal error", 500), status_code=500)

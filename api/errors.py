"""One error shape for every API response: {"ok": false, "error": ..., "status": ...}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import KgError, StoreMissing, UnknownQuery


class ApiError(Exception):
    """An error with an HTTP status, raised by routes."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None, headers: dict[str, str] | None = None,
                 extra: dict | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
        self.headers = headers or {}
        self.extra = extra or {}


STATUS: dict[type[Exception], int] = {UnknownQuery: 404, StoreMissing: 503, KgError: 400}


MAX_MESSAGE = 300   # an error never echoes more than a short excerpt of what was sent


def short(message: str, limit: int = MAX_MESSAGE) -> str:
    """The message, cut to ``limit`` characters with a mark where it was cut."""
    message = str(message)
    return message if len(message) <= limit else message[: limit - 1] + "…"


def error_body(message: str, status: int, **extra: object) -> dict:
    if isinstance(extra.get("errors"), list):
        extra["errors"] = [{**e, "message": short(e.get("message", ""))} if isinstance(e, dict) else e
                           for e in extra["errors"][:20]]
    return {"ok": False, "error": short(message), "status": status, **extra}


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

    @app.exception_handler(KgError)
    async def _kg(request: Request, exc: KgError) -> JSONResponse:
        status = next((s for t, s in STATUS.items() if isinstance(exc, t)), 400)
        return JSONResponse(error_body(str(exc), status), status_code=status)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body("internal error", 500), status_code=500)

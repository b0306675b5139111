"""The canonical error body, {"ok": false, "error": ..., "status": ...}, and the HTTP-level error.

Kept apart from the map in ``api/errors.py`` so that a SPARQL worker process can raise and render
errors without importing the recommender (and numpy's threads, which would stop it from leaving the
network: see ``api/sparql/_worker._leave_network``).
"""

from __future__ import annotations


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


__all__ = ["MAX_MESSAGE", "ApiError", "error_body", "short"]

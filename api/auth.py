"""Coordinator access: ``Authorization: Bearer <token>`` checked against the hashed tokens (state/tokens.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .errors import ApiError
from state.tokens import verify_token


def require_coordinator(request: Request) -> str:
    """The coordinator's name; 401 without a valid token. The token itself is never logged or echoed."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="kringloop"'}
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError("a coordinator token is required (Authorization: Bearer <token>)", status=401, headers=challenge)
    name = verify_token(request.app.state.settings.state_location, token.strip())
    if name is None:
        raise ApiError("the token is unknown or revoked", status=401, headers=challenge)
    return name


Coordinator = Annotated[str, Depends(require_coordinator)]

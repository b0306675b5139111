"""Errors of the private state."""

from __future__ import annotations


class StateError(Exception):
    """Something about the private state the caller must hear about (a bad registration, a bad backup)."""


class StateUnavailable(StateError):
    """The state database cannot be reached (PostgreSQL down, unreachable or restarting): momentary.

    The message is for the public error body and names no host; ``detail`` keeps the driver's reason for the log.
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

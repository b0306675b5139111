"""Errors of the private state."""

from __future__ import annotations


class StateError(Exception):
    """Something about the private state the caller must hear about (a bad registration, a bad backup)."""

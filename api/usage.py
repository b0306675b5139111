"""The error for bad command-line input: printed in one line, exit code 2."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input from the command line."""

"""Field types for request bodies that are stored: bounded text without control characters, codes, URLs.

Text is stored as data (SQLite parameters, RDF literals), never pasted into a query, so quotes,
brackets or SPARQL keywords are harmless; what is refused is what cannot be stored or shown
faithfully: control characters and unpaired surrogates (which cannot be encoded as UTF-8).
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, StringConstraints


def _clean(value: str) -> str:
    for char in value:
        if char not in "\t\n\r" and unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError(f"contains a control character or unpaired surrogate (U+{ord(char):04X})")
    return value


def _web_address(value: str) -> str:
    if not urlsplit(value).netloc:
        raise ValueError("must be an http(s) web address with a host")
    return value


def Text(max_length: int, *, min_length: int = 0) -> Any:  # noqa: N802 - reads as a type in models
    """A string of at most ``max_length`` characters; with ``min_length`` 1 it must not be blank."""
    constraints = StringConstraints(min_length=min_length, max_length=max_length,
                                    pattern=r"\S" if min_length else None)
    return Annotated[str, constraints, AfterValidator(_clean)]


Code = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Slug = Annotated[str, StringConstraints(min_length=2, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]+$")]
Url = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s<>\"{}|\\^`]+$"),
                AfterValidator(_web_address)]

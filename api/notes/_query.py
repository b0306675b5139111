"""A note's request as a URL query, so that a link brings the same note back (and can be shared)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

PROFILE_SCALARS = ("name", "government_type", "province", "population", "maturity", "description")
PROFILE_LISTS = ("themes", "instruments", "barriers", "drivers")


def note_query(*, nis_code: str | None, profile: dict[str, Any] | None, lang: str, **extra: str) -> str:
    """The query string of ``GET /api/v1/notes`` for this request; lists repeat their parameter.

    >>> note_query(nis_code="33037", profile={"themes": ["textiel", "water"]}, lang="nl")
    'nis_code=33037&themes=textiel&themes=water&lang=nl'
    """
    profile = profile or {}
    pairs: list[tuple[str, str]] = [("nis_code", nis_code)] if nis_code else []
    pairs += [(k, str(profile[k])) for k in PROFILE_SCALARS if profile.get(k) not in (None, "")]
    pairs += [(k, code) for k in PROFILE_LISTS for code in profile.get(k) or []]
    pairs += [("lang", lang), *extra.items()]
    return urlencode(pairs)

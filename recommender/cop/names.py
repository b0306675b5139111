"""A pasted list of government names or NIS codes, resolved to planner participants with messages.

Coordinators paste what they have: a column from a spreadsheet, "Stad Gent", "Kruishoutem" (merged into
Kruisem on 2025-01-01), "24062". Each entry resolves to one current government, or says why not: unknown
(with close names to choose from), ambiguous (with the candidates), or former (resolved to its successor,
and said so). Matching ignores case, accents, hyphens and a leading "stad"/"gemeente".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..profiles import GovernmentProfile
from .adapter import participant_from_profile, participant_id

MAX_ENTRIES = 1000
MAX_NAME = 120
MAX_SUGGESTED = 50   # close names are looked for (3 ms each) for this many misses per list
_SPLIT = re.compile(r"[\n\r\t;]+")
_PREFIX = re.compile(r"^(stad|gemeente|lokaal bestuur|gemeentebestuur|stadsbestuur)\s+")
_NIS = re.compile(r"^\d{5}$")


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and punctuation as spaces.

    >>> fold("  Sint-Niklaas "), fold("Zwalm"), fold("Ingelmunster/")
    ('sint niklaas', 'zwalm', 'ingelmunster')
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[-'’.,/()]+", " ", text).split())


def entries(text: str) -> list[str]:
    """The entries of a pasted list: one per line (or separated by tabs or semicolons), blanks dropped."""
    out: list[str] = []
    for line in _SPLIT.split(text):
        line = line.strip()
        if not line:
            continue
        # "24062 Leuven" or "24062, Leuven": the code says it all
        code = re.match(r"^(\d{5})\b", line)
        out.append(code.group(1) if code else line)
    return out


@dataclass
class Resolved:
    """One entry of the list and what it became."""

    query: str
    status: str                      # found | successor | ambiguous | unknown
    participant: dict[str, object] | None = None
    candidates: list[dict[str, object]] = field(default_factory=list)
    message_nl: str = ""
    message_en: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"query": self.query, "status": self.status, "participant": self.participant,
                "candidates": self.candidates, "message_nl": self.message_nl, "message_en": self.message_en}


class NameIndex:
    """Current and former governments by folded name, NIS code and IRI."""

    def __init__(self, profiles: Mapping[str, GovernmentProfile], successors: Mapping[str, str]) -> None:
        self.profiles, self.successors = profiles, successors
        self.by_name: dict[str, list[GovernmentProfile]] = {}
        for p in profiles.values():
            self.by_name.setdefault(fold(p.name), []).append(p)
        self.by_nis = {p.nis_code: p for p in profiles.values() if p.nis_code}
        self.iri_to_id = {iri: participant_id(p) for iri, p in profiles.items()}

    def describe(self, profile: GovernmentProfile) -> dict[str, object]:
        """What the page needs to list a participant and to count its kinds."""
        p = participant_from_profile(profile, iri_to_id=self.iri_to_id)
        return {"id": p.id, "iri": profile.iri, "name": profile.name, "nis_code": profile.nis_code,
                "municipality": profile.nis_code is not None, "type": profile.type, "province": profile.province,
                "adoption_group": p.adoption_group, "frontrunner": p.frontrunner}

    def _current(self, profile: GovernmentProfile, query: str) -> Resolved:
        if not profile.former:
            return Resolved(query, "found", self.describe(profile))
        successor = self.profiles.get(self.successors.get(profile.iri, ""))
        if successor is None or successor.former:
            return Resolved(query, "unknown", message_nl=f"{profile.name} bestaat niet meer als gemeente",
                            message_en=f"{profile.name} no longer exists as a municipality")
        return Resolved(query, "successor", self.describe(successor),
                        message_nl=f"{profile.name} is sinds 1 januari 2025 deel van {successor.name}; "
                                   f"{successor.name} is toegevoegd",
                        message_en=f"{profile.name} has been part of {successor.name} since 1 January 2025; "
                                   f"{successor.name} was added")

    def resolve(self, query: str, *, suggest: bool = True) -> Resolved:
        """One entry: a NIS code, an IRI or a name; ``suggest`` looks for close names when none matches."""
        if _NIS.match(query):
            profile = self.by_nis.get(query)
            if profile is None:
                return Resolved(query, "unknown", message_nl=f"geen gemeente met NIS-code {query}",
                                message_en=f"no municipality with NIS code {query}")
            return self._current(profile, query)
        if query in self.profiles:
            return self._current(self.profiles[query], query)
        key = fold(query)
        hits = self.by_name.get(key) or self.by_name.get(_PREFIX.sub("", key)) or []
        current = [p for p in hits if not p.former]
        if len(current) == 1 or (not current and len(hits) == 1):
            return self._current(current[0] if current else hits[0], query)
        if len(current) > 1:
            return self._ambiguous(query, current)
        starts = sorted({p.iri: p for name, ps in self.by_name.items() if name.startswith(key + " ") or
                         name.startswith(key) and len(key) >= 4 for p in ps if not p.former}.values(),
                        key=lambda p: p.name)
        if len(starts) > 1:
            return self._ambiguous(query, starts)
        # one name that starts so, or close names: offered, never added unasked ("Heist" is not Knokke-Heist)
        # no name is that long; difflib on a pasted paragraph would cost seconds
        close = difflib.get_close_matches(key, list(self.by_name), n=3, cutoff=0.75) if suggest and len(key) <= MAX_NAME else []
        suggestions = starts or [p for name in close for p in self.by_name[name] if not p.former][:3]
        hint_nl = f"; bedoelt u {' of '.join(p.name for p in suggestions)}?" if suggestions else ""
        hint_en = f"; did you mean {' or '.join(p.name for p in suggestions)}?" if suggestions else ""
        return Resolved(query, "unknown", candidates=[self.describe(p) for p in suggestions],
                        message_nl=f"'{query}' is geen bestuur dat we kennen{hint_nl}",
                        message_en=f"'{query}' is not a government we know{hint_en}")

    def _ambiguous(self, query: str, options: list[GovernmentProfile]) -> Resolved:
        shown = options[:8]
        names = ", ".join(p.name for p in shown) + (f" (+{len(options) - 8})" if len(options) > 8 else "")
        return Resolved(query, "ambiguous", candidates=[self.describe(p) for p in shown],
                        message_nl=f"'{query}' kan {len(options)} besturen zijn: {names}; kies er een",
                        message_en=f"'{query}' could be {len(options)} governments: {names}; pick one")

    def resolve_all(self, queries: Iterable[str]) -> list[Resolved]:
        out: list[Resolved] = []
        misses = 0
        for q in queries:
            out.append(self.resolve(q, suggest=misses < MAX_SUGGESTED))
            misses += out[-1].status == "unknown"
        return out

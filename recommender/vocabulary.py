"""The codes a request may use, read from the graph's concept schemes: the one place a code is checked.

Recommendations, registrations and CoP plans all check codes here, so a code the graph knows is valid
everywhere and an unknown one gets the same answer everywhere: the field, the code, a close match when
there is one ("did you mean 'kennis-bestuur'?") and the valid codes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import InvalidProfile
from .inputs import Profile
from .knowledge import KnowledgeBase

# request field -> concept scheme (skos:ConceptScheme slug in the graph)
FIELD_SCHEMES = {"themes": "theme", "instruments": "instrument", "barriers": "barrier", "drivers": "driver",
                 "maturity": "maturity", "government_type": "government_type", "support_forms": "ondersteuning",
                 "groups": "cop"}


class UnknownCode(InvalidProfile):
    """A code that is not in the concept scheme its field takes codes from; ``valid`` lists those codes."""

    def __init__(self, field: str, message: str, valid: Iterable[str] = ()) -> None:
        self.valid = sorted(valid)
        super().__init__(field, message)


@dataclass(frozen=True)
class Vocabulary:
    """Valid codes per concept scheme, and the province names, as the graph has them."""

    codes: Mapping[str, frozenset[str]]
    provinces: frozenset[str]

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase) -> Vocabulary:
        codes: dict[str, set[str]] = {}
        for scheme, code in kb.concepts:
            codes.setdefault(scheme, set()).add(code)
        provinces = {kb.province_name(g.iri) for g in kb.governments.values() if g.type == "provincie"}
        return cls({s: frozenset(c) for s, c in codes.items()}, frozenset(p for p in provinces if p))

    def valid(self, fieldname: str) -> frozenset[str]:
        return self.codes.get(FIELD_SCHEMES.get(fieldname, fieldname), frozenset())

    def code(self, path: str, fieldname: str, code: str) -> str:
        """``code`` if the scheme of ``fieldname`` has it; else UnknownCode naming ``path``."""
        known = self.valid(fieldname)
        if code not in known:
            raise UnknownCode(path, f"unknown code {code!r}{_suggestion(code, known)}", known)
        return code

    def check_profile(self, profile: Profile, path: str = "profile") -> Profile:
        """``profile`` with its province as the graph writes it, if every code in it is known."""
        for fieldname in ("government_type", "maturity"):
            if getattr(profile, fieldname):
                self.code(f"{path}.{fieldname}", fieldname, getattr(profile, fieldname))
        for fieldname in ("themes", "instruments", "barriers", "drivers"):
            for n, code in enumerate(getattr(profile, fieldname)):
                self.code(f"{path}.{fieldname}.{n}", fieldname, code)
        if profile.province:
            return profile.model_copy(update={"province": self.province(f"{path}.province", profile.province)})
        return profile

    def province(self, path: str, name: str) -> str:
        """A province name as the graph writes it ("Provincie Limburg" and "limburg" are Limburg)."""
        wanted = name.removeprefix("Provincie ").strip()
        by_folded = {p.casefold(): p for p in self.provinces}
        if wanted.casefold() in by_folded:
            return by_folded[wanted.casefold()]
        raise UnknownCode(path, f"unknown province {name!r}{_suggestion(wanted, self.provinces)}", self.provinces)


def _suggestion(given: str, known: Iterable[str]) -> str:
    """"; did you mean 'x'?" when one valid value is close, then the valid values."""
    known = sorted(known)
    close = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{hint} (valid: {', '.join(known)})" if known else hint


__all__ = ["FIELD_SCHEMES", "UnknownCode", "Vocabulary"]

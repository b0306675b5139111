"""Counted nouns and the names of kinds of participants, in Dutch and English, for conflicts and reports.

A coordinator reads "hoogstens 1 deelnemer" and "3 groepen", never "deelnemer(s)".
"""

from __future__ import annotations


def count(n: int, one: str, many: str) -> str:
    """``n`` with the noun in the right number.

    >>> count(1, "deelnemer", "deelnemers"), count(4, "groep", "groepen"), count(0, "groep", "groepen")
    ('1 deelnemer', '4 groepen', '0 groepen')
    """
    return f"{n} {one if n == 1 else many}"


def verb(n: int, one: str, many: str) -> str:
    """The verb form agreeing with ``n`` (``verb(1, "kan", "kunnen")`` is "kan")."""
    return one if n == 1 else many


# adoption groups (concepts.yaml `adoption_groups`) as nouns: (nl one, nl many, en one, en many)
ADOPTION_NOUNS = {
    "koplopers": ("koploper", "koplopers", "front-runner", "front-runners"),
    "early-majority": ("deelnemer uit de vroege meerderheid", "deelnemers uit de vroege meerderheid",
                       "early-majority participant", "early-majority participants"),
    "late-majority": ("deelnemer uit de late meerderheid", "deelnemers uit de late meerderheid",
                      "late-majority participant", "late-majority participants"),
}
ADOPTION_LABELS = {"koplopers": ("koplopers", "front-runners"), "early-majority": ("vroege meerderheid", "early majority"),
                   "late-majority": ("late meerderheid", "late majority")}
# government types (concepts.yaml `government_types`) as nouns
GOVERNMENT_NOUNS = {
    "gemeente": ("gemeente", "gemeenten", "municipality", "municipalities"),
    "centrumstad": ("centrumstad", "centrumsteden", "regional centre city", "regional centre cities"),
    "provincie": ("provincie", "provincies", "province", "provinces"),
    "pom": ("POM", "POM's", "POM", "POMs"),
    "intergemeentelijk": ("intercommunale", "intercommunales", "intermunicipal association",
                          "intermunicipal associations"),
}


def kind_nouns(family: str, value: str) -> tuple[str, str, str, str]:
    """(nl one, nl many, en one, en many) for a value of the maturity or government type mix."""
    table = ADOPTION_NOUNS if family == "maturity_mix" else GOVERNMENT_NOUNS
    return table.get(value, (f"deelnemer van het type '{value}'", f"deelnemers van het type '{value}'",
                             f"participant of kind '{value}'", f"participants of kind '{value}'"))

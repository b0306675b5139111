"""A plan as files for coordinators: CSV (one row per assignment) and XLSX (assignments, groups, partners).

Both speak the coordinator's language: Dutch headers and labels in the Dutch export, English with
``lang="en"``. The CSV is what Excel in a Dutch (Belgian) locale opens as columns on a double click: UTF-8
with a byte order mark (else Excel reads it as Windows-1252) and ``;`` as separator (the list separator
where the decimal sign is a comma); a comma-separated variant is there for other tools.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from .words import ADOPTION_LABELS

ASSIGNMENT_COLUMNS = ("group", "group_name", "participant", "name", "province", "government_type",
                      "adoption_group", "frontrunner", "reasons")
HEADERS = {
    "nl": {"group": "Groepcode", "group_name": "Groep", "participant": "NIS-code of id", "name": "Bestuur",
           "province": "Provincie", "government_type": "Soort bestuur", "adoption_group": "Maturiteit",
           "frontrunner": "Koploper", "reasons": "Waarom in deze groep"},
    "en": {"group": "Group code", "group_name": "Group", "participant": "NIS code or id", "name": "Government",
           "province": "Province", "government_type": "Type of government", "adoption_group": "Maturity",
           "frontrunner": "Front-runner", "reasons": "Why in this group"},
}
SHEETS = {"nl": ("Samenvatting", "Indeling", "Groepen", "Partners"),
          "en": ("Summary", "Assignments", "Groups", "Partners")}
STATUS = {"optimal": ("optimaal", "optimal"), "feasible": ("haalbaar (niet bewezen optimaal)",
                                                            "feasible (not proven optimal)")}
YES = {"nl": "ja", "en": "yes"}
# the rule of a group report line (explain.group_report's "constraint"), before any ":value"
RULES = {"min_size": ("minimumgrootte", "minimum size"), "max_size": ("maximumgrootte", "maximum size"),
         "min_frontrunners_per_group": ("koplopers per groep", "front-runners per group"),
         "maturity_mix": ("maturiteitsmix", "maturity mix"),
         "government_type_mix": ("mix van bestuurstypes", "government type mix"),
         "max_per_province": ("deelnemers per provincie", "participants per province"),
         "must_link": ("moeten samen", "must be together"), "cannot_link": ("mogen niet samen", "must be apart"),
         "fixed": ("vastgelegd", "fixed")}
FILE_STEM = {"nl": "cop-indeling", "en": "cop-plan"}
DELIMITERS = {"semicolon": ";", "comma": ","}

Labels = Mapping[str, tuple[str, str]]


def _text(item: Mapping[str, Any], lang: str) -> str:
    return str(item.get(f"text_{lang}", ""))


def _label(code: str, labels: Labels, lang: str) -> str:
    pair = labels.get(code)
    return (pair[0] if lang == "nl" else pair[1]) if pair else code


def assignment_rows(body: Mapping[str, Any], *, lang: str = "nl", labels: Labels | None = None
                    ) -> list[dict[str, object]]:
    """One row per participant-group assignment, codes as labels, reasons joined into one cell."""
    labels = {**(labels or {}), **ADOPTION_LABELS}
    names = {g["code"]: g.get(f"name_{lang}", g["code"]) for g in body["groups"]}
    return [{"group": a["group"], "group_name": names.get(a["group"], a["group"]), "participant": a["participant"],
             "name": a.get("name", ""), "province": a.get("province") or "",
             "government_type": _label(a.get("government_type", ""), labels, lang),
             "adoption_group": _label(a.get("adoption_group", ""), labels, lang),
             "frontrunner": YES[lang] if a.get("frontrunner") else "",
             "reasons": "; ".join(_text(r, lang) for r in a["reasons"])} for a in body["assignments"]]


def to_csv(body: Mapping[str, Any], *, lang: str = "nl", labels: Labels | None = None, delimiter: str = ";") -> str:
    """The assignments as CSV text, header row first, in ``lang`` (no byte order mark: see ``csv_bytes``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([HEADERS[lang][c] for c in ASSIGNMENT_COLUMNS])
    writer.writerows([row[c] for c in ASSIGNMENT_COLUMNS] for row in assignment_rows(body, lang=lang, labels=labels))
    return out.getvalue()


def csv_bytes(body: Mapping[str, Any], *, lang: str = "nl", labels: Labels | None = None,
              delimiter: str = ";") -> bytes:
    """The CSV file as Excel wants it: UTF-8 with a byte order mark."""
    return to_csv(body, lang=lang, labels=labels, delimiter=delimiter).encode("utf-8-sig")


def file_name(fmt: str, *, lang: str = "nl", day: dt.date) -> str:
    """What the file holds and when it was made, e.g. ``cop-indeling-2026-12-02.csv``.

    >>> file_name("xlsx", lang="en", day=dt.date(2026, 12, 2))
    'cop-plan-2026-12-02.xlsx'
    """
    return f"{FILE_STEM[lang]}-{day.isoformat()}.{fmt}"


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for column, name in zip(ws.columns, header, strict=True):
        width = max([len(name)] + [len(str(c.value or "")) for c in column])
        ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 80)


def to_xlsx(body: Mapping[str, Any], *, lang: str = "nl", labels: Labels | None = None) -> bytes:
    """A workbook with a summary, the assignments, each group's rules and the suggested partners."""
    nl = lang == "nl"
    wb = Workbook()
    wb.remove(wb.active)
    baseline = body.get("baseline") or {}
    unassigned = ", ".join(u.get("name") or u["participant"] for u in body.get("unassigned", []))
    status = STATUS.get(body["status"], (body["status"], body["status"]))[0 if nl else 1]
    summary, assignments, groups, partners = SHEETS[lang]
    _sheet(wb, summary, ["Gegeven", "Waarde"] if nl else ["Item", "Value"],
           [["Status", status],
            ["Doelwaarde" if nl else "Objective", body["objective"]],
            ["Afstand tot het optimum (gap)" if nl else "Gap to the optimum", body["gap"]],
            ["Rekentijd (s)" if nl else "Solve time (s)", body["solve_seconds"]],
            ["Doelwaarde van de eenvoudige verdeling (greedy)" if nl else "Objective of the simple (greedy) plan",
             baseline.get("objective")],
            ["Niet ingedeeld" if nl else "Not placed", unassigned]])
    rows = assignment_rows(body, lang=lang, labels=labels)
    _sheet(wb, assignments, [HEADERS[lang][c] for c in ASSIGNMENT_COLUMNS],
           [[row[c] for c in ASSIGNMENT_COLUMNS] for row in rows])
    yes, no = (("ja", "nee") if nl else ("yes", "no"))
    _sheet(wb, groups,
           ["Groep", "Leden", "Regel", "Krap (houdt net)", "Toelichting"] if nl else
           ["Group", "Members", "Rule", "Tight (just holds)", "Explanation"],
           [[g.get(f"name_{lang}", g["code"]), len(g["members"]), _label(r["constraint"].split(":")[0], RULES, lang),
             yes if r["tight"] else no, _text(r, lang)] for g in body["groups"] for r in g["report"]])
    group_names = {g["code"]: g.get(f"name_{lang}", g["code"]) for g in body["groups"]}
    labels = labels or {}
    _sheet(wb, partners,
           ["Groep", "Organisatie", "Adres (IRI)", "Rol in de vijfhoek", "Praktijken"] if nl else
           ["Group", "Organisation", "Address (IRI)", "Pentagon role", "Practices"],
           [[group_names.get(p["group"], p["group"]), o["name"], o["iri"],
             _label(o.get("pentagon_role") or "", labels, lang), ", ".join(o["cases"])]
            for p in body["partners"] for o in p["organisations"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

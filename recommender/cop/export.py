"""A plan as files for coordinators: CSV (one row per assignment) and XLSX (assignments, groups, partners)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

ASSIGNMENT_COLUMNS = ("group", "group_name", "participant", "name", "province", "government_type",
                      "adoption_group", "frontrunner", "reasons")


def _text(item: Mapping[str, Any], lang: str) -> str:
    return str(item.get(f"text_{lang}", ""))


def assignment_rows(body: Mapping[str, Any], *, lang: str = "nl") -> list[dict[str, object]]:
    """One row per participant-group assignment, reasons joined into one cell."""
    names = {g["code"]: g.get(f"name_{lang}", g["code"]) for g in body["groups"]}
    return [{"group": a["group"], "group_name": names.get(a["group"], a["group"]), "participant": a["participant"],
             "name": a.get("name", ""), "province": a.get("province") or "",
             "government_type": a.get("government_type", ""), "adoption_group": a.get("adoption_group", ""),
             "frontrunner": "ja" if a.get("frontrunner") and lang == "nl" else "yes" if a.get("frontrunner") else "",
             "reasons": "; ".join(_text(r, lang) for r in a["reasons"])} for a in body["assignments"]]


def to_csv(body: Mapping[str, Any], *, lang: str = "nl") -> str:
    """The assignments as CSV (UTF-8 text, header row first)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ASSIGNMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(assignment_rows(body, lang=lang))
    return out.getvalue()


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


def to_xlsx(body: Mapping[str, Any], *, lang: str = "nl") -> bytes:
    """A workbook with a summary, the assignments, each group's rules and the suggested partners."""
    wb = Workbook()
    wb.remove(wb.active)
    baseline = body.get("baseline") or {}
    _sheet(wb, "Samenvatting" if lang == "nl" else "Summary", ["key", "value"],
           [["status", body["status"]], ["objective", body["objective"]], ["gap", body["gap"]],
            ["solve_seconds", body["solve_seconds"]], ["greedy_objective", baseline.get("objective")],
            ["greedy_status", baseline.get("status")],
            ["unassigned", ", ".join(u["participant"] for u in body.get("unassigned", []))]])
    rows = assignment_rows(body, lang=lang)
    _sheet(wb, "Indeling" if lang == "nl" else "Assignments", list(ASSIGNMENT_COLUMNS),
           [[row[c] for c in ASSIGNMENT_COLUMNS] for row in rows])
    _sheet(wb, "Groepen" if lang == "nl" else "Groups",
           ["group", "size", "constraint", "value", "limit", "tight", "text"],
           [[g["code"], len(g["members"]), r["constraint"], str(r.get("value")), str(r.get("limit")), r["tight"],
             _text(r, lang)] for g in body["groups"] for r in g["report"]])
    _sheet(wb, "Partners", ["group", "organisation", "iri", "pentagon_role", "cases"],
           [[p["group"], o["name"], o["iri"], o.get("pentagon_role", ""), ", ".join(o["cases"])]
            for p in body["partners"] for o in p["organisations"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

"""What the search box can find, read from the graph through named queries (``kg/queries/search_*.rq``).

Three kinds of documents: practices (cases), governments and organisations. A practice carries the
text it is matched on (title, summaries in Dutch and English, theme and instrument labels, the names
of its leads and partners, the provinces of its leads) and the values of the facets it can be
filtered on. Nothing here is computed but the size class of a lead municipality, which is a band of
its population (the population itself comes from the graph with its source).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kg import queries
from kg.store import GraphStore

LEAD_ROLES = frozenset({"trekker", "co-trekker"})

# Bands of population for the "size of the lead municipality" facet: a presentation choice, not a
# fact of the graph. Flemish municipalities run from ~1 000 to ~530 000 inhabitants; about half have
# fewer than 15 000, so the small bands are the ones a small municipality needs to tell apart.
SIZE_CLASSES: tuple[tuple[str, int, int | None, str, str], ...] = (
    ("klein", 0, 10_000, "minder dan 10 000 inwoners", "under 10,000 inhabitants"),
    ("middelklein", 10_000, 25_000, "10 000 tot 25 000 inwoners", "10,000 to 25,000 inhabitants"),
    ("middelgroot", 25_000, 50_000, "25 000 tot 50 000 inwoners", "25,000 to 50,000 inhabitants"),
    ("groot", 50_000, 100_000, "50 000 tot 100 000 inwoners", "50,000 to 100,000 inhabitants"),
    ("zeer-groot", 100_000, None, "100 000 inwoners of meer", "100,000 inhabitants or more"),
)

# The facets a practice can be filtered on, in the order the page shows them. Each is multi-valued
# for a practice except year and status (a practice has at most one of each).
FACETS = ("theme", "instrument", "province", "size", "pentagon", "year", "status", "lead_type")


def size_class(population: int) -> tuple[str, str, str]:
    """The band (code, Dutch label, English label) that ``population`` falls in.

    >>> size_class(9_999)[0], size_class(10_000)[0], size_class(530_000)[0]
    ('klein', 'middelklein', 'zeer-groot')
    """
    for code, low, high, nl, en in SIZE_CLASSES:
        if population >= low and (high is None or population < high):
            return code, nl, en
    raise ValueError(f"population must be zero or more, not {population}")


@dataclass
class Document:
    """One thing the search box can find, with the text it is matched on (by column) and what it shows."""

    kind: str                                        # "case", "government" or "organisation"
    key: str                                         # its identifier
    show: dict[str, Any]                             # the fields a result card shows
    text: dict[str, str]                             # search column -> text
    facets: dict[str, set[str]] = field(default_factory=dict)   # facet -> codes (cases only)


def _pair(nl: str | None, en: str | None) -> dict[str, str | None]:
    return {"nl": nl, "en": en or nl}


def _label(code: str, nl: str | None, en: str | None) -> dict[str, Any]:
    return {"code": code, **_pair(nl or code, en)}


def read_documents(store: GraphStore) -> tuple[list[Document], dict[str, dict[str, dict[str, Any]]]]:
    """Every practice, government and organisation as a document, and the labels of every facet value."""
    labels: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in FACETS}
    cases = _cases(store, labels)
    titles = {doc.key: doc.show["name"] for doc in cases}
    return cases + _governments(store) + _organisations(store, titles), labels


def _cases(store: GraphStore, labels: dict[str, dict[str, dict[str, Any]]]) -> list[Document]:
    concepts: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    partner_names: dict[str, list[str]] = defaultdict(list)
    for row in queries.select(store, "search_case_concepts"):
        if row["facet"] in ("theme", "instrument", "pentagon"):
            concepts[row["case"]][row["facet"]].append(_label(row["code"], row["label_nl"], row["label_en"]))
        elif row["facet"] == "partnerName":
            partner_names[row["case"]].append(row["label_nl"])
    participants: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in queries.select(store, "search_case_participants"):
        participants[row["case"]].append(row)

    documents = []
    for row in queries.select(store, "search_cases"):
        iri = row["case"]
        facets: dict[str, set[str]] = defaultdict(set)
        for name in ("theme", "instrument", "pentagon"):
            for concept in concepts[iri][name]:
                facets[name].add(concept["code"])
                labels[name][concept["code"]] = concept
        if row["year"] is not None:
            facets["year"].add(str(row["year"]))
            labels["year"][str(row["year"])] = _label(str(row["year"]), str(row["year"]), None)
        if row["status"]:
            facets["status"].add(row["status"])
            labels["status"][row["status"]] = _label(row["status"], row["status_nl"], row["status_en"])
        leads, partners, places = [], [], []
        for p in participants[iri]:
            name = p["name"] or ""
            if p["role"] in LEAD_ROLES:
                leads.append(name)
                if p["type"]:
                    facets["lead_type"].add(p["type"])
                    labels["lead_type"][p["type"]] = _label(p["type"], p["type_nl"], p["type_en"])
                if p["province_id"]:
                    facets["province"].add(p["province_id"])
                    labels["province"][p["province_id"]] = _label(p["province_id"], p["province_name"],
                                                                  p["province_name_en"])
                    places.append(p["province_name"] or "")
                if p["municipality"] and p["population"] is not None:
                    code, nl, en = size_class(int(p["population"]))
                    facets["size"].add(code)
                    labels["size"][code] = _label(code, nl, en)
            else:
                partners.append(name)
        if row["lead_organisation_name"]:
            leads.append(row["lead_organisation_name"])
        partners += partner_names[iri]
        title = row["title"] or row["id"]
        show = {"kind": "case", "iri": iri, "id": row["id"], "name": title, "year": row["year"],
                "leads": ", ".join(sorted(set(leads))) or None,
                "summary": _pair(row["abstract_nl"], row["abstract_en"]),
                "status": _label(row["status"], row["status_nl"], row["status_en"]) if row["status"] else None,
                "themes": concepts[iri]["theme"], "instruments": concepts[iri]["instrument"]}
        # the code too: 'circulair-bouwen' is what people call the theme labelled 'Circulair en
        # veranderingsgericht bouwen'
        concept_text = " ".join(f"{c['code']} {c['nl']} {c['en']}" for name in ("theme", "instrument")
                                for c in concepts[iri][name])
        documents.append(Document("case", row["id"], show, {
            "name": title, "concepts": concept_text, "people": " ".join(leads + partners),
            "summary_nl": row["abstract_nl"] or "", "summary_en": row["abstract_en"] or "",
            "places": " ".join(sorted(set(places)))}, dict(facets)))
    return documents


def _governments(store: GraphStore) -> list[Document]:
    documents = []
    for r in queries.select(store, "browse_search_governments"):
        name = r["name"] or r["id"]
        show = {"kind": "government", "iri": r["gov"], "id": r["id"], "name": name, "type": r["type"],
                "type_label": _pair(r["type_nl"], r["type_en"]), "province": r["province_name"],
                "municipality": r["municipality"], "former": r["former"]}
        documents.append(Document("government", r["id"], show, {
            "name": f"{name} {r['id']}", "concepts": f"{r['type_nl'] or ''} {r['type_en'] or ''}",
            "people": "", "summary_nl": "", "summary_en": "", "places": r["province_name"] or ""}))
    return documents


def _organisations(store: GraphStore, titles: dict[str, str]) -> list[Document]:
    documents = []
    for r in queries.select(store, "browse_search_organisations"):
        name = r["name"] or r["id"]
        show = {"kind": "organisation", "iri": r["org"], "id": r["id"], "name": name,
                "kind_label": _pair(r["kind_nl"], r["kind_en"]), "description": r["description"],
                "cases": [{"id": cid, "title": titles.get(cid, cid)} for cid in (r["case_ids"] or "").split()]}
        documents.append(Document("organisation", r["id"], show, {
            "name": name, "concepts": f"{r['kind_nl'] or ''} {r['kind_en'] or ''}", "people": "",
            "summary_nl": r["description"] or "", "summary_en": "", "places": ""}))
    return documents

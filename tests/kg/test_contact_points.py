"""Contacts in the graph: each website comes from a public source record and carries that source."""

from __future__ import annotations

from pathlib import Path

import csv

import pytest
import yaml
from rdflib import Graph

from kg import queries
from kg.store import GraphStore

DATA = Path(__file__).resolve().parents[2] / "data"
ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"


def _organisations() -> list[dict]:
    return [o for p in sorted(DATA.glob("cases/organisations*.yaml")) for o in yaml.safe_load(p.read_text(encoding="utf-8"))]


def _municipal_websites() -> list[dict]:
    with (DATA / "contacts" / "municipal_websites.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_contact_is_a_website_from_the_sources_with_its_source(graph_store: GraphStore) -> None:
    rows = queries.select(graph_store, "browse_contacts")
    in_graph = {(r["agent"], r["url"].rstrip("/"), r["source"]) for r in rows}
    expected = {(f"https://w3id.org/kringloop/id/gemeente/{m['nis_code']}", m["website"].rstrip("/"), m["source_url"])
                for m in _municipal_websites()}
    assert {row for row in in_graph if "/gemeente/" in row[0]} == expected  # nothing invented or lost
    organisations = {(o["url"].rstrip("/"), o["source_url"]) for o in _organisations() if o.get("url") and o.get("source_url")}
    assert {row[1:] for row in in_graph if "/gemeente/" not in row[0]} == organisations
    assert len(expected) >= 250 and len(organisations) >= 50  # 271 and 52 when written


def test_municipal_websites_follow_the_source_file(graph_store: GraphStore) -> None:
    contacts = {r["agent"]: r for r in queries.select(graph_store, "browse_contacts")}
    leuven = contacts["https://w3id.org/kringloop/id/gemeente/24062"]
    assert leuven["url"] == "https://www.leuven.be"
    assert leuven["source"].startswith("https://github.com/lblod/app-organization-portal/blob/")
    # merged on 1 January 2025 (the record describes a predecessor) and "geenwebsite": no contact
    assert "https://w3id.org/kringloop/id/gemeente/71072" not in contacts  # Hasselt
    assert "https://w3id.org/kringloop/id/gemeente/73028" not in contacts  # Herstappe


def test_a_known_lead_organisation_has_its_website(graph_store: GraphStore) -> None:
    contacts = {r["agent"]: r for r in queries.select(graph_store, "browse_contacts")}
    mobius = next(iri for iri in contacts if iri.endswith("/id/organisatie/mobius"))
    assert contacts[mobius]["url"] == "https://www.mobius.eu"
    assert contacts[mobius]["source"] == "https://blog.mobius.eu/nl-be/success-stories/zo-doen-ze-het-in-mechelen"


def test_case_leads_name_governments_and_organisations(graph_store: GraphStore) -> None:
    leads = queries.select(graph_store, "case_leads")
    by_case: dict[str, list[dict]] = {}
    for row in leads:
        by_case.setdefault(row["case"].rsplit("/", 1)[-1], []).append(row)
    assert {r["role"] for r in leads} == {"trekker", "co-trekker"}
    resource_hub = by_case["leuven-resource-hub"]
    assert [(r["name"], r["government"]) for r in resource_hub] == [("Leuven", True)]


CONTACT_WITHOUT_SOURCE = """
@prefix schema: <https://schema.org/> .
<https://w3id.org/kringloop/id/organisatie/x> schema:contactPoint <https://w3id.org/kringloop/id/organisatie/x/contact> .
<https://w3id.org/kringloop/id/organisatie/x/contact> a schema:ContactPoint ; schema:url <https://example.org/> .
"""


@pytest.mark.parametrize(("turtle", "problem"), [
    (CONTACT_WITHOUT_SOURCE, "zonder bron"),
    (CONTACT_WITHOUT_SOURCE.replace("schema:url <https://example.org/>", "schema:url \"example.org\""), "website-IRI"),
])
def test_the_shapes_refuse_a_contact_without_source_or_website(turtle: str, problem: str) -> None:
    import pyshacl

    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    conforms, _, text = pyshacl.validate(Graph().parse(data=turtle, format="turtle"), shacl_graph=shapes)
    assert not conforms and problem in text

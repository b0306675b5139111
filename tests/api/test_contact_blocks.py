"""Someone to contact: the blocks on practice and government pages, and the fields of the recommendation API."""

from __future__ import annotations


import pytest
from fastapi.testclient import TestClient

from api.routes import browse
from kg import queries
from kg.namespaces import DEFAULT_BASE_IRI
from kg.store import GraphStore


@pytest.fixture(scope="module")
def websites(graph_store: GraphStore) -> dict[str, tuple[str, str]]:
    return {r["agent"]: (r["url"], r["source"]) for r in queries.select(graph_store, "browse_contacts")}


def test_practice_page_shows_the_leads_website_with_its_source(client: TestClient, graph_store: GraphStore) -> None:
    leads = browse.case_leads(graph_store, base_iri=DEFAULT_BASE_IRI)
    case_iri, lead = next((c, lead) for c, found in sorted(leads.items()) for lead in found if lead["website"])
    page = client.get(f"/praktijk/{case_iri.rsplit('/', 1)[-1]}?lang=nl").text
    block = page[page.index('data-testid="contact"'):page.index('aria-labelledby="src-h"')]
    assert f'href="{lead["website"]}"' in block and f'href="{lead["source"]}"' in block
    assert lead["name"] in block


def test_practice_page_says_when_no_contact_is_known(client: TestClient, graph_store: GraphStore) -> None:
    leads = browse.case_leads(graph_store, base_iri=DEFAULT_BASE_IRI)
    case_iri, found = next((c, found) for c, found in sorted(leads.items()) if not any(x["website"] for x in found))
    case_id = case_iri.rsplit("/", 1)[-1]
    page = client.get(f"/praktijk/{case_id}?lang=nl").text
    block = page[page.index('data-testid="contact"'):page.index('aria-labelledby="src-h"')]
    assert found[0]["name"] in block
    assert "geen contact bekend" in block and 'data-testid="contact-website"' not in block
    english = client.get(f"/praktijk/{case_id}?lang=en").text
    assert "no contact known" in english
    client.cookies.clear()


def test_government_page_contact(client: TestClient, websites: dict[str, tuple[str, str]]) -> None:
    for gov_id, iri in (("ivago", next(i for i in websites if i.endswith("/organisatie/ivago"))),
                        ("24062", "https://w3id.org/kringloop/id/gemeente/24062")):
        page = client.get(f"/bestuur/{gov_id}?lang=nl").text
        block = page[page.index('data-testid="contact"'):][:1500]
        assert f'href="{websites[iri][0]}"' in block and f'href="{websites[iri][1]}"' in block
    hasselt = client.get("/bestuur/71072").text  # merged in 2025: the source's record is a predecessor's
    block = hasselt[hasselt.index('data-testid="contact"'):]
    assert "geen contact bekend" in block[:600]


def test_recommended_practices_carry_their_leads_and_contacts(client: TestClient,
                                                              websites: dict[str, tuple[str, str]]) -> None:
    practices = client.get("/api/v1/governments/24062/practices", params={"limit": 100}).json()
    leads = [lead for p in practices for lead in p["leads"]]
    assert leads and all(lead["role"] in ("trekker", "co-trekker") for lead in leads)
    with_contact = [lead for lead in leads if lead["contact"]]
    assert with_contact and len(with_contact) < len(leads)  # some known, some shown as missing
    for lead in with_contact:
        assert (lead["contact"]["website"], lead["contact"]["source"]) == websites[lead["iri"]]
    for lead in leads:
        if lead["iri"] not in websites:
            assert lead["contact"] is None


def test_recommended_peers_carry_a_contact_only_from_the_graph(client: TestClient,
                                                                websites: dict[str, tuple[str, str]]) -> None:
    body = {"profile": {"themes": ["afvalstromen"], "government_type": "intergemeentelijk"}, "limit": 100}
    response = client.post("/api/v1/recommendations", json=body)
    assert response.status_code == 200, response.text
    peers = response.json()["peers"]
    assert all("contact" in p for p in peers)
    for peer in peers:
        expected = websites.get(peer["iri"])
        assert (peer["contact"] and (peer["contact"]["website"], peer["contact"]["source"])) == (expected or None)

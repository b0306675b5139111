"""IRIs under the base dereference: HTML for people, RDF by Accept or ?format=, 404 for unknown ones; dumps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from fixtures.sparql_support import BASE, MINI_TRIG, make_settings, sparql_app, write_mini_store
from rdflib.compare import isomorphic

LEUVEN = f"{BASE}id/gemeente/24062"
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
             "application/rdf+xml": "xml"}


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("linked-data")
    write_mini_store(directory / "store")
    # stand-ins for the dumps the build writes next to the store
    (directory / "kringloop.ttl").write_text(f"<{LEUVEN}> <{SKOS.prefLabel}> \"Leuven\"@nl .\n", encoding="utf-8")
    (directory / "kringloop.nt").write_text(f"<{LEUVEN}> <{SKOS.prefLabel}> \"Leuven\"@nl .\n", encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def client(build_dir: Path) -> Iterator[TestClient]:
    with TestClient(sparql_app(make_settings(build_dir / "store", build_dir, sparql_workers=1))) as test_client:
        yield test_client


def expected_leuven() -> rdflib.Graph:
    """Leuven's triples in the fixture, with its centroid blank node, read independently with rdflib."""
    dataset = rdflib.Dataset()
    dataset.parse(MINI_TRIG, format="trig")
    graph = rdflib.Graph()
    subject = rdflib.URIRef(LEUVEN)
    for s, p, o, _ in dataset.quads((subject, None, None, None)):
        graph.add((s, p, o))
        if isinstance(o, rdflib.BNode):
            for triple in dataset.quads((o, None, None, None)):
                graph.add(triple[:3])
    return graph


@pytest.mark.parametrize("media_type", list(RDF_TYPES))
def test_iri_dereferences_to_rdf_by_accept(client: TestClient, media_type: str) -> None:
    response = client.get("/id/gemeente/24062", headers={"accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    got = rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media_type])
    assert isomorphic(got, expected_leuven())


@pytest.mark.parametrize(("value", "media_type"), [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                                   ("nt", "application/n-triples"), ("html", "text/html")])
def test_format_parameter_overrides_accept(client: TestClient, value: str, media_type: str) -> None:
    response = client.get(f"/id/gemeente/24062?format={value}", headers={"accept": "application/rdf+xml"})
    assert response.headers["content-type"].split(";")[0] == media_type


def test_browsers_get_a_readable_page(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/id/gemeente/24062", headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>Leuven</h1>" in page
    # links under the base stay on this server and show the linked thing's Dutch label
    assert re.search(r'<a href="/id/provincie/20001">Provincie Vlaams-Brabant</a>', page)
    assert '<a href="/id/gemeente/24011">Bierbeek</a>' in page
    # Dutch before other languages
    assert page.index("Leuven <span") < page.index("Louvain")
    # the case that names Leuven as lead links back
    assert '<a href="/id/case/leuven-materialenbank">Materialenbank Leuven</a>' in page


def test_scripts_without_preference_get_turtle(client: TestClient) -> None:
    response = client.get("/id/gemeente/24062", headers={"accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_html_escapes_data(client: TestClient) -> None:
    page = client.get("/id/case/bierbeek-kringwinkel", headers={"accept": "text/html"}).text
    assert "Kringwinkel &#34;Bierbeek&#34;" in page or "Kringwinkel &quot;Bierbeek&quot;" in page


@pytest.mark.parametrize("path", ["/id/gemeente/99999", "/id/nothing", "/graph/nope"])
def test_unknown_iris_are_404_in_the_canonical_shape(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 404
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": 404} and BASE in body["error"]


def test_unacceptable_media_type_is_406(client: TestClient) -> None:
    assert client.get("/id/gemeente/24062", headers={"accept": "image/png"}).status_code == 406


def test_named_graph_iri_dereferences(client: TestClient) -> None:
    response = client.get("/graph/cases", headers={"accept": "application/n-triples"})
    graph = rdflib.Graph().parse(data=response.text, format="nt")
    assert (rdflib.URIRef(f"{BASE}graph/cases"), rdflib.URIRef("http://purl.org/dc/terms/title"),
            rdflib.Literal("Praktijken", lang="nl")) in graph


def test_ontology_terms_dereference(client: TestClient) -> None:
    response = client.get("/def", headers={"accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    kl = rdflib.Namespace("https://w3id.org/kringloop/def#")
    assert (kl.Case, rdflib.RDFS.label, rdflib.Literal("Praktijk", lang="nl")) in graph
    assert (kl.theme, rdflib.RDF.type, rdflib.OWL.ObjectProperty) in graph
    page = client.get("/def", headers={"accept": "text/html"}).text
    assert "Praktijk" in page


def test_dumps_at_stable_urls(client: TestClient, build_dir: Path) -> None:
    response = client.get("/dumps/kringloop.nt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/n-triples")
    assert response.content == (build_dir / "kringloop.nt").read_bytes()
    assert client.get("/dumps/kringloop.ttl").headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("name", ["kringloop.jsonld", "secrets.txt", "..%2Fstore%2FCURRENT"])
def test_missing_or_unknown_dumps_are_404(client: TestClient, name: str) -> None:
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 404 and response.json()["ok"] is False


@pytest.mark.parametrize("path", ["/id/%C3%A4%5B%5C", "/id/a%11b", "/graph/x%20y"])
def test_paths_that_are_no_valid_iri_are_404_not_500(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 404 and response.json()["ok"] is False


def test_html_view_has_the_site_layout_and_links_to_the_page_for_people(client: TestClient) -> None:
    page = client.get("/id/gemeente/24062", headers={"accept": "text/html"}).text
    assert 'class="site-header"' in page and 'href="/sparql-editor"' in page  # base.html's navigation
    assert '<a class="button-link" href="/bestuur/24062">' in page
    case_page = client.get("/id/case/leuven-materialenbank", headers={"accept": "text/html"}).text
    assert '<a class="button-link" href="/praktijk/leuven-materialenbank">' in case_page
    # a concept has no page for people: no such link
    concept = client.get("/id/concept/thema/textiel", headers={"accept": "text/html"}).text
    assert "button-link" not in concept


def test_html_view_speaks_english_on_request(client: TestClient) -> None:
    page = client.get("/id/gemeente/24062?lang=en", headers={"accept": "text/html"}).text
    client.cookies.clear()  # the language choice is remembered in a cookie: keep the other tests Dutch
    assert "Go to this government&#39;s page" in page or "Go to this government's page" in page


@pytest.mark.parametrize("path", ["/id/gemeente/99999", "/graph/nope"])
def test_unknown_iri_is_an_html_404_for_a_browser(client: TestClient, path: str) -> None:
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(path + "?lang=nl", headers={"accept": browser_accept})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "Niet gevonden" in response.text and 'class="site-header"' in response.text
    assert f"{BASE}{path[1:]}" in response.text


@pytest.mark.parametrize("accept", ["application/json", "application/ld+json", "*/*"])
def test_unknown_iri_is_a_json_404_for_a_client(client: TestClient, accept: str) -> None:
    response = client.get("/id/gemeente/99999", headers={"accept": accept})
    assert response.status_code == 404 and response.headers["content-type"].startswith("application/json")
    assert response.json()["status"] == 404

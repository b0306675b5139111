"""The SPARQL 1.1 Protocol at /sparql: methods, formats, negotiation, datasets, limits and error shape."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from fixtures.sparql_support import BASE, GRAPHS, MINI_TRIG, make_settings, sparql_app, write_mini_store
from rdflib.compare import isomorphic

from api.sparql import check_query, load_examples

PREFIXES = "PREFIX kl: <https://w3id.org/kringloop/def#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
MUNICIPALITIES = PREFIXES + "SELECT ?m ?name WHERE { ?m a kl:CurrentMunicipality ; skos:prefLabel ?name . " \
                            "FILTER(lang(?name) = 'nl') } ORDER BY ?name"
EXPECTED_NAMES = ["Beringen", "Bierbeek", "Leuven"]
CASE_TITLES = PREFIXES + "SELECT ?case ?title WHERE { ?case a kl:Case ; <http://purl.org/dc/terms/title> ?title } ORDER BY ?case"
CONSTRUCT_LEUVEN = PREFIXES + f"CONSTRUCT {{ ?m skos:prefLabel ?l }} WHERE {{ BIND(<{BASE}id/gemeente/24062> AS ?m) ?m skos:prefLabel ?l }}"
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
QUADS = list(ox.parse(path=str(MINI_TRIG)))
SIZES = {name: sum(1 for q in QUADS if q.graph_name.value == iri) for name, iri in GRAPHS.items()}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sparql-protocol")
    write_mini_store(directory / "store")
    return directory


@pytest.fixture(scope="module")
def client(store_dir: Path) -> Iterator[TestClient]:
    with TestClient(sparql_app(make_settings(store_dir / "store", store_dir))) as test_client:
        yield test_client


def names_from(response) -> list[str]:
    fmt = RESULT_TYPES[response.headers["content-type"].split(";")[0]]
    return [row["name"].value for row in ox.parse_query_results(response.content, format=fmt)]


def assert_canonical_error(response, status: int, *, containing: str = "") -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert containing.lower() in body["error"].lower()


# --- methods -------------------------------------------------------------------------------------

def test_get_with_query_answers_json_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": MUNICIPALITIES})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert response.headers["x-kringloop-truncated"] == "false"
    assert names_from(response) == EXPECTED_NAMES


def test_post_form(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": MUNICIPALITIES})
    assert response.status_code == 200
    assert names_from(response) == EXPECTED_NAMES


def test_post_sparql_query_body(client: TestClient) -> None:
    response = client.post("/sparql", content=MUNICIPALITIES.encode(),
                           headers={"content-type": "application/sparql-query; charset=utf-8"})
    assert response.status_code == 200
    assert names_from(response) == EXPECTED_NAMES


def test_post_other_content_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content=b'{"query": "ASK {}"}', headers={"content-type": "application/json"})
    assert_canonical_error(response, 415, containing="content-type")


def test_post_body_query_with_query_in_url_too_is_400(client: TestClient) -> None:
    response = client.post("/sparql?query=ASK%7B%7D", content=b"ASK {}",
                           headers={"content-type": "application/sparql-query"})
    assert_canonical_error(response, 400)


def test_two_query_parameters_are_400(client: TestClient) -> None:
    response = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert_canonical_error(response, 400, containing="one query")


# --- result formats and negotiation ----------------------------------------------------------------

@pytest.mark.parametrize("media_type", list(RESULT_TYPES))
def test_select_in_each_parseable_format(client: TestClient, media_type: str) -> None:
    response = client.get("/sparql", params={"query": MUNICIPALITIES}, headers={"accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert names_from(response) == EXPECTED_NAMES


def test_select_csv(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CASE_TITLES}, headers={"accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["case", "title"]
    # the quotes and tab in the title survive CSV quoting
    assert rows[1] == [f"{BASE}id/case/bierbeek-kringwinkel", 'Kringwinkel "Bierbeek", met tabs\tin de titel']
    assert rows[2] == [f"{BASE}id/case/leuven-materialenbank", "Materialenbank Leuven"]


def test_tsv_escapes_tabs_inside_literals(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CASE_TITLES, "format": "tsv"})
    lines = response.text.splitlines()
    assert lines[0] == "?case\t?title"
    assert all(line.count("\t") == 1 for line in lines)


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    ("text/*", "text/csv"),
    ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml, text/csv;q=0", "application/sparql-results+xml"),
], ids=["q-values", "low-q-json", "any", "text-wildcard", "browser", "plain-json", "q-zero"])
def test_accept_negotiation_honours_q_values(client: TestClient, accept: str, expected: str) -> None:
    response = client.get("/sparql", params={"query": MUNICIPALITIES}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


def test_unsatisfiable_accept_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": MUNICIPALITIES}, headers={"accept": "image/png"})
    assert_canonical_error(response, 406, containing="application/sparql-results+json")


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": MUNICIPALITIES, "format": "xml"},
                          headers={"accept": "text/csv"})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


def test_unknown_format_parameter_is_406(client: TestClient) -> None:
    assert_canonical_error(client.get("/sparql", params={"query": MUNICIPALITIES, "format": "yaml"}), 406)


@pytest.mark.parametrize("media_type", list(GRAPH_TYPES))
def test_construct_in_each_graph_format(client: TestClient, media_type: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT_LEUVEN}, headers={"accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    got = rdflib.Graph().parse(data=response.content, format=GRAPH_TYPES[media_type])
    expected = rdflib.Graph().parse(data=f"""<{BASE}id/gemeente/24062> <http://www.w3.org/2004/02/skos/core#prefLabel>
        "Leuven"@nl, "Louvain"@fr .""", format="turtle")
    assert isomorphic(got, expected)


def test_construct_defaults_to_turtle_and_refuses_result_formats(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": CONSTRUCT_LEUVEN}).headers["content-type"].startswith("text/turtle")
    response = client.get("/sparql", params={"query": CONSTRUCT_LEUVEN},
                          headers={"accept": "application/sparql-results+xml"})
    assert_canonical_error(response, 406)


def test_describe(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"DESCRIBE <{BASE}id/gemeente/24011>"},
                          headers={"accept": "application/n-triples"})
    graph = rdflib.Graph().parse(data=response.content, format="nt")
    # Bierbeek has 7 triples; the cap (5 in these tests) applies to DESCRIBE too
    assert set(graph.subjects()) == {rdflib.URIRef(f"{BASE}id/gemeente/24011")}
    assert len(graph) == 5 and response.headers["x-kringloop-truncated"] == "true"


@pytest.mark.parametrize(("query", "expected"), [(f"ASK {{ <{BASE}id/gemeente/24062> ?p ?o }}", True),
                                                 (f"ASK {{ <{BASE}id/gemeente/00000> ?p ?o }}", False)])
@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask(client: TestClient, query: str, expected: bool, media_type: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"accept": media_type})
    assert bool(ox.parse_query_results(response.content, format=RESULT_TYPES[media_type])) is expected


# --- datasets ---------------------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count_of(response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_the_union_of_named_graphs(client: TestClient) -> None:
    assert count_of(client.get("/sparql", params={"query": COUNT})) == len(QUADS) == sum(SIZES.values())


def test_default_graph_uri_restricts_to_local_graphs(client: TestClient) -> None:
    only_meta = count_of(client.get("/sparql", params={"query": COUNT, "default-graph-uri": GRAPHS["meta"]}))
    assert only_meta == SIZES["meta"]
    both = client.get("/sparql", params=[("query", COUNT), ("default-graph-uri", GRAPHS["meta"]),
                                         ("default-graph-uri", GRAPHS["ontology"])])
    assert count_of(both) == SIZES["meta"] + SIZES["ontology"]


def test_named_graph_uri_limits_graph_patterns(client: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post("/sparql", data={"query": query, "named-graph-uri": GRAPHS["cases"]})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [GRAPHS["cases"]]


def test_from_a_local_graph_is_honoured(client: TestClient) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS['meta']}> WHERE {{ ?s ?p ?o }}"
    assert count_of(client.get("/sparql", params={"query": query})) == SIZES["meta"]


@pytest.mark.parametrize("graph", ["https://example.org/elsewhere", "file:///etc/passwd"])
def test_protocol_graph_outside_the_store_is_400(client: TestClient, graph: str) -> None:
    response = client.get("/sparql", params={"query": COUNT, "default-graph-uri": graph})
    assert_canonical_error(response, 400, containing="graphs")


# --- limits and errors --------------------------------------------------------------------------------

ALL_TRIPLES = "SELECT * WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("media_type", [*RESULT_TYPES, "text/csv"])
def test_row_cap_truncates_and_says_so(client: TestClient, media_type: str) -> None:
    response = client.get("/sparql", params={"query": ALL_TRIPLES}, headers={"accept": media_type})
    assert response.status_code == 200
    assert response.headers["x-kringloop-truncated"] == "true"
    if media_type == "text/csv":
        assert len(response.text.strip().splitlines()) == 1 + 5
    else:
        assert len(list(ox.parse_query_results(response.content, format=RESULT_TYPES[media_type]))) == 5
    if media_type == "application/sparql-results+json":
        assert response.json()["truncated"] is True


def test_construct_is_capped_too(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"accept": "application/n-triples"})
    assert response.headers["x-kringloop-truncated"] == "true"
    assert len(response.text.strip().splitlines()) == 5


def test_result_under_the_cap_is_not_marked(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": MUNICIPALITIES})
    assert response.headers["x-kringloop-truncated"] == "false"
    assert "truncated" not in response.json()


def test_query_longer_than_the_limit_is_413(client: TestClient) -> None:
    long_query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 2000
    assert_canonical_error(client.post("/sparql", data={"query": long_query}), 413, containing="2000")


def test_huge_body_is_refused_before_reading(client: TestClient) -> None:
    response = client.post("/sparql", content=b"x" * 20_000, headers={"content-type": "application/sparql-query"})
    assert_canonical_error(response, 413)


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p }", "SELEC * {}", "ASK { FILTER( }", ""],
                         ids=["missing-object", "typo", "broken-filter", "empty"])
def test_syntax_errors_are_400(client: TestClient, query: str) -> None:
    assert_canonical_error(client.get("/sparql", params={"query": query}), 400)


def test_non_utf8_body_is_400(client: TestClient) -> None:
    response = client.post("/sparql", content=b"ASK { \xff }", headers={"content-type": "application/sparql-query"})
    assert_canonical_error(response, 400, containing="utf-8")


# --- descriptions ----------------------------------------------------------------------------------

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def test_service_description_without_query(client: TestClient) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    service = rdflib.URIRef("http://testserver/sparql")
    assert (service, rdflib.RDF.type, SD.Service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert {str(n) for n in graph.objects(None, SD.name)} == set(GRAPHS.values())
    formats = set(graph.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV") in formats
    examples = set(graph.objects(service, rdflib.RDFS.seeAlso))
    assert len(examples) == len(load_examples()) >= 15
    assert all(graph.value(e, SH.select) or graph.value(e, SH.construct) or graph.value(e, SH.ask) for e in examples)


def test_service_description_as_json_ld(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "application/ld+json"})
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert (None, rdflib.RDF.type, SD.Service) in graph


def test_void(client: TestClient) -> None:
    response = client.get("/.well-known/void")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    dataset = rdflib.URIRef(f"{BASE}id/dataset/kringloop")
    assert (dataset, VOID.sparqlEndpoint, rdflib.URIRef("http://testserver/sparql")) in graph
    assert graph.value(dataset, VOID.triples).toPython() == len(QUADS)
    assert (dataset, VOID.dataDump, rdflib.URIRef("http://testserver/dumps/kringloop.nt")) in graph
    # the build's own description from the meta graph is included
    assert graph.value(dataset, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
    assert graph.value(rdflib.URIRef(GRAPHS["cases"]), VOID.triples).toPython() == SIZES["cases"]


def test_examples_endpoint(client: TestClient) -> None:
    examples = client.get("/api/v1/sparql/examples").json()
    assert len(examples) >= 15
    assert len({e["name"] for e in examples}) == len(examples)
    for example in examples:
        assert set(example) == {"name", "title", "title_en", "description", "description_en", "query"}
        assert all(example[k].strip() for k in example)
        checked = check_query(example["query"], max_length=20_000, local_graphs=frozenset())
        assert checked.form in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


# --- CORS -------------------------------------------------------------------------------------------

def test_cors_is_off_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_when_configured(store_dir: Path) -> None:
    settings = make_settings(store_dir / "store", store_dir, cors_origins=["https://example.org"], sparql_workers=1)
    with TestClient(sparql_app(settings)) as cors_client:
        response = cors_client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.org"})
        assert response.headers["access-control-allow-origin"] == "https://example.org"
        other = cors_client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_json_results_are_valid_json_with_w3c_shape(client: TestClient) -> None:
    document = json.loads(client.get("/sparql", params={"query": MUNICIPALITIES}).content)
    assert document["head"]["vars"] == ["m", "name"]
    first = document["results"]["bindings"][0]
    assert first["m"] == {"type": "uri", "value": f"{BASE}id/gemeente/71004"}
    assert first["name"] == {"type": "literal", "value": "Beringen", "xml:lang": "nl"}


def test_the_service_answers_outside_the_event_loop_too(client: TestClient) -> None:
    """``SparqlService.execute`` (blocking) is the path for scripts; same answer as over HTTP."""
    result = client.app.state.sparql.execute(MUNICIPALITIES, accept="text/tab-separated-values")
    assert result.format.key == "tsv" and result.rows == 3 and not result.truncated
    assert [row["name"].value for row in ox.parse_query_results(result.body, format=ox.QueryResultsFormat.TSV)] \
        == EXPECTED_NAMES


def test_what_sparqlwrapper_sends_for_json_ld_and_n3_is_accepted(client: TestClient) -> None:
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2"
    # SPARQLWrapper.setReturnFormat(JSONLD) on GET: two format parameters and its own Accept header
    r = client.get("/sparql", params=[("query", construct), ("format", "json-ld"),
                                      ("format", "application/ld+json,application/x-json+ld"),
                                      ("output", "json-ld")],
                   headers={"Accept": "application/ld+json,application/x-json+ld"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    r = client.get("/sparql", params={"query": construct, "format": "text/n3"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = client.get("/sparql", params={"query": construct, "format": "no/such-thing"})
    assert r.status_code == 406


def test_a_browser_opening_the_endpoint_gets_the_editor_and_a_client_gets_rdf(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", headers={"Accept": browser}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/sparql-editor"
    for accept in (None, "*/*", "text/turtle"):
        r = client.get("/sparql", headers={"Accept": accept} if accept else {}, follow_redirects=False)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle"), accept


def test_head_and_options_answer(client: TestClient) -> None:
    head = client.head("/sparql", params={"query": "ASK {}"})
    assert head.status_code == 200 and head.content == b"" and "sparql-results+json" in head.headers["content-type"]
    options = client.options("/sparql")
    assert options.status_code == 204 and set(options.headers["allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}

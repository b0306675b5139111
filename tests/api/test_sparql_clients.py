"""Real SPARQL clients against /sparql served over HTTP: SPARQLWrapper 2.0 and rdflib's SPARQLStore.

They send what they send (format parameters, Accept lists, form posts), so these tests catch what a
hand-written request would not: SPARQLWrapper asks for JSON-LD with ``format=json-ld`` and with
``format=application/ld+json,application/x-json+ld``, and for N3 with ``text/n3``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rdflib
import SPARQLWrapper  # in the dev extra: a missing install fails here rather than skipping
from fixtures.live_server import serving
from fixtures.sparql_support import BASE, make_settings, sparql_app, write_mini_store
from rdflib.plugins.stores.sparqlstore import SPARQLStore

PREFIXES = "PREFIX kl: <https://w3id.org/kringloop/def#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
MUNICIPALITY_NAMES = PREFIXES + ("SELECT ?m ?name WHERE { ?m a kl:CurrentMunicipality ; skos:prefLabel ?name . "
                                 "FILTER(lang(?name) = 'nl') } ORDER BY ?name")
EXPECTED_NAMES = ["Beringen", "Bierbeek", "Leuven"]
LEUVEN = f"{BASE}id/gemeente/24062"
CONSTRUCT_LEUVEN = PREFIXES + f"CONSTRUCT {{ <{LEUVEN}> skos:prefLabel ?l }} WHERE {{ <{LEUVEN}> skos:prefLabel ?l }}"
LEUVEN_LABELS = {rdflib.Literal("Leuven", lang="nl"), rdflib.Literal("Louvain", lang="fr")}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """/sparql of the app on a free port of 127.0.0.1, over the small fixture store."""
    directory = tmp_path_factory.mktemp("sparql-clients")
    write_mini_store(directory / "store")
    app = sparql_app(make_settings(directory / "store", directory, sparql_max_rows=1000))
    with serving(app, name="sparql-client-server", start_timeout_s=60) as url:
        yield f"{url}/sparql"


def wrapper(endpoint: str, query: str, *, fmt: str, method: str = "GET") -> object:
    client = SPARQLWrapper.SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(endpoint: str, method: str) -> None:
    result = wrapper(endpoint, MUNICIPALITY_NAMES, fmt=SPARQLWrapper.JSON, method=method).queryAndConvert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == EXPECTED_NAMES


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_xml(endpoint: str, method: str) -> None:
    document = wrapper(endpoint, MUNICIPALITY_NAMES, fmt=SPARQLWrapper.XML, method=method).queryAndConvert()
    names = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert names == EXPECTED_NAMES


def test_sparqlwrapper_select_csv(endpoint: str) -> None:
    body = wrapper(endpoint, MUNICIPALITY_NAMES, fmt=SPARQLWrapper.CSV).queryAndConvert()
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "m,name"
    assert [line.split(",")[1] for line in lines[1:]] == EXPECTED_NAMES


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_ask(endpoint: str, method: str) -> None:
    yes = wrapper(endpoint, PREFIXES + f"ASK {{ <{LEUVEN}> a kl:CurrentMunicipality }}", fmt=SPARQLWrapper.JSON,
                  method=method).queryAndConvert()
    no = wrapper(endpoint, PREFIXES + f"ASK {{ <{LEUVEN}> a kl:Province }}", fmt=SPARQLWrapper.JSON,
                 method=method).queryAndConvert()
    assert (yes["boolean"], no["boolean"]) == (True, False)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["TURTLE", "JSONLD", "N3", "RDFXML", "XML"])
def test_sparqlwrapper_construct(endpoint: str, method: str, fmt: str) -> None:
    """Every graph format SPARQLWrapper can ask for comes back as a graph it parses."""
    result = wrapper(endpoint, CONSTRUCT_LEUVEN, fmt=getattr(SPARQLWrapper, fmt), method=method).query()
    converted = result.convert()
    graph = converted if isinstance(converted, rdflib.Graph) else rdflib.Graph().parse(
        data=converted, format={"TURTLE": "turtle", "N3": "turtle", "JSONLD": "json-ld"}[fmt])
    assert set(graph.objects(rdflib.URIRef(LEUVEN), rdflib.SKOS.prefLabel)) == LEUVEN_LABELS


def test_sparqlwrapper_describe_as_jsonld(endpoint: str) -> None:
    result = wrapper(endpoint, f"DESCRIBE <{LEUVEN}>", fmt=SPARQLWrapper.JSONLD).query()
    assert result.response.headers["Content-Type"].startswith("application/ld+json")
    graph = result.convert()
    assert set(graph.objects(rdflib.URIRef(LEUVEN), rdflib.SKOS.prefLabel)) == LEUVEN_LABELS


@pytest.mark.parametrize("value", ["json-ld", "application/ld+json,application/x-json+ld", "text/n3"])
def test_format_parameters_sparqlwrapper_sends(endpoint: str, value: str) -> None:
    """The exact ``format`` values SPARQLWrapper puts in the URL, sent by plain HTTP."""
    import httpx

    response = httpx.get(endpoint, params={"query": CONSTRUCT_LEUVEN, "format": value})
    assert response.status_code == 200, response.text
    expected = "text/turtle" if value == "text/n3" else "application/ld+json"
    assert response.headers["content-type"].startswith(expected)


def test_sparqlstore_select_and_ask_as_json(endpoint: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    assert [str(row.name) for row in graph.query(MUNICIPALITY_NAMES)] == EXPECTED_NAMES
    assert graph.query(PREFIXES + f"ASK {{ <{LEUVEN}> a kl:CurrentMunicipality }}").askAnswer is True


def test_sparqlstore_default_reads_everything(endpoint: str) -> None:
    """With its default (XML) results, SPARQLStore reads SELECT, ASK, CONSTRUCT and triple patterns.

    (With ``returnFormat="json"`` it accepts only SPARQL JSON results, which no graph can be written
    in: a CONSTRUCT then gets 406, as the protocol says.)
    """
    graph = rdflib.Graph(store=SPARQLStore(endpoint))
    assert [str(row.name) for row in graph.query(MUNICIPALITY_NAMES)] == EXPECTED_NAMES
    assert graph.query(PREFIXES + f"ASK {{ <{LEUVEN}> a kl:Province }}").askAnswer is False
    constructed = graph.query(CONSTRUCT_LEUVEN).graph
    assert set(constructed.objects(rdflib.URIRef(LEUVEN), rdflib.SKOS.prefLabel)) == LEUVEN_LABELS
    assert set(graph.objects(rdflib.URIRef(LEUVEN), rdflib.SKOS.prefLabel)) == LEUVEN_LABELS


@pytest.mark.parametrize("method", ["GET", "POST_FORM"])
def test_sparqlstore_xml_results_and_methods(endpoint: str, method: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="xml", method=method))
    assert [str(row.name) for row in graph.query(MUNICIPALITY_NAMES)] == EXPECTED_NAMES


def test_sparqlstore_refuses_to_write(endpoint: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint))
    with pytest.raises(TypeError):
        graph.add((rdflib.URIRef(LEUVEN), rdflib.RDFS.label, rdflib.Literal("x")))

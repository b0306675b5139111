"""The store interface gives the same answers on every backend: embedded Oxigraph and an Oxigraph server.

The server is started by the session fixture ``oxigraph_url`` (tests/conftest.py) with its default
graph NOT the union of its named graphs; one test starts a second server that has it the other way.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from fixtures.store_servers import oxigraph_server
from kg import queries
from kg.namespaces import DEFAULT_BASE_IRI
from kg.store import GraphStore, open_store
from kg.store_server import (PUBLICATION_GRAPH, ServerEndpoints, SparqlServerStore, publish_to_server,
                             switch_update, with_values)

EXAMPLES = sorted(queries.EXAMPLE_DIR.glob("*.rq"))
ORDER_BY = re.compile(r"ORDER\s+BY", re.IGNORECASE)


def canonical(result: object) -> object:
    """An answer as comparable data: blank nodes as '_', rows as a sorted list of N-Triples texts."""
    def text(term: object) -> str:
        return "_" if isinstance(term, ox.BlankNode) else ("" if term is None else str(term))

    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return variables, sorted(tuple(text(row[v]) for v in variables) for row in result)
    return sorted((text(t.subject), text(t.predicate), text(t.object)) for t in result)


@pytest.fixture(scope="module")
def server_store(oxigraph_url: str) -> SparqlServerStore:
    store = open_store(store_url=oxigraph_url, store_path=Path("/nonexistent"))
    assert isinstance(store, SparqlServerStore)
    return store


def test_the_server_holds_the_published_graphs_and_nothing_else_shows(graph_store: GraphStore,
                                                                      server_store: SparqlServerStore) -> None:
    assert server_store.generation
    assert server_store.graph_sizes() == graph_store.graph_sizes()
    assert PUBLICATION_GRAPH not in server_store.named_graphs()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_query_gives_the_same_answer_on_both_backends(path: Path, graph_store: GraphStore,
                                                              server_store: SparqlServerStore) -> None:
    text = path.read_text(encoding="utf-8")
    embedded, server = canonical(graph_store.query(text)), canonical(server_store.query(text))
    assert server == embedded
    if ORDER_BY.search(text) and isinstance(embedded, tuple):   # same order too where the query fixes one
        ordered_e = [tuple(str(r[v]) for v in embedded[0]) for r in graph_store.query(text)]
        ordered_s = [tuple(str(r[v]) for v in embedded[0]) for r in server_store.query(text)]
        assert [r for r in ordered_s if "_:" not in "".join(r)] == [r for r in ordered_e if "_:" not in "".join(r)]


def test_the_example_queries_are_not_all_empty(graph_store: GraphStore) -> None:
    answered = [p.stem for p in EXAMPLES if canonical(graph_store.query(p.read_text(encoding="utf-8"))) not in
                (False, [], None) and not (isinstance(canonical(graph_store.query(p.read_text(encoding="utf-8"))), tuple)
                                           and not canonical(graph_store.query(p.read_text(encoding="utf-8")))[1])]
    assert len(answered) >= len(EXAMPLES) - 2, answered


@pytest.mark.parametrize(("name", "bindings"), [
    ("browse_government", {"id": "44021"}),
    ("browse_government_cases", {"gov": "GOV"}),
    ("browse_search_cases", {}),
    ("recommender_participations", {}),
    ("curation_version", {"graph": f"{DEFAULT_BASE_IRI}graph/curatie"}),
])
def test_named_queries_with_bound_variables_agree(name: str, bindings: dict, graph_store: GraphStore,
                                                  server_store: SparqlServerStore) -> None:
    if bindings.get("gov") == "GOV":   # the IRI of Gent, as the graph names it
        bindings = {"gov": queries.select(graph_store, "browse_government", id="44021")[0]["gov"]}
    embedded = queries.select(graph_store, name, **bindings)
    server = queries.select(server_store, name, **bindings)
    key = lambda row: sorted((k, str(v)) for k, v in row.items())  # noqa: E731
    assert sorted(map(key, server)) == sorted(map(key, embedded))
    if name != "curation_version":
        assert embedded, f"{name} answered nothing: the comparison would prove nothing"


def test_linked_data_lookups_agree(graph_store: GraphStore, server_store: SparqlServerStore) -> None:
    from api.sparql import describe

    gent = queries.select(graph_store, "browse_government", id="44021")[0]["gov"]
    for iri in (gent, f"{DEFAULT_BASE_IRI}graph/cases"):
        a, b = describe(graph_store, [iri]), describe(server_store, [iri])
        assert a, iri
        assert canonical(b.triples) == canonical(a.triples)
        assert canonical(b.incoming) == canonical(a.incoming) or len(a.incoming) >= 200


def test_values_binding_opens_the_outer_where_group() -> None:
    text = "# WHERE { in a comment\nSELECT ?x ?y WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }"
    bound = with_values(text, {ox.Variable("y"): ox.Literal("a b")})
    assert bound.index('VALUES (?y) { ("a b") }') < bound.index("SELECT ?x WHERE")
    assert ox.Store().query(bound) is not None   # still parses


def test_switch_is_one_update_that_drops_what_is_no_longer_published() -> None:
    update = switch_update({"https://e/g/a": "urn:kringloop:staging:1:0"}, ["https://e/g/a", "https://e/g/old"], "1")
    assert "DROP SILENT GRAPH <https://e/g/old>" in update
    assert "MOVE SILENT GRAPH <urn:kringloop:staging:1:0> TO GRAPH <https://e/g/a>" in update
    store = ox.Store()
    store.update(update)   # valid SPARQL Update
    assert {q.object.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(PUBLICATION_GRAPH))} == \
        {"1", "https://e/g/a"}


def test_readers_never_see_a_half_published_generation(tmp_path: Path) -> None:
    """While generations of different sizes are published, every count a reader sees is a whole one."""
    def dataset(n: int) -> bytes:
        quads = [ox.Quad(ox.NamedNode(f"https://e/s{i}"), ox.NamedNode("https://e/p"), ox.Literal(str(i)),
                         ox.NamedNode(f"https://e/g{i % 2}")) for i in range(n)]
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)

    sizes = (2000, 6000)
    with oxigraph_server(tmp_path / "data") as url:
        root = url.rsplit("/", 1)[0]
        endpoints = ServerEndpoints(query_url=url, update_url=f"{root}/update", graph_store_url=f"{root}/store")
        publish_to_server(dataset(sizes[0]), endpoints)
        seen: set[int] = set()
        stop = threading.Event()

        def read() -> None:
            while not stop.is_set():
                store = SparqlServerStore.connect(url)
                seen.add(sum(store.graph_sizes().values()))

        reader = threading.Thread(target=read)
        reader.start()
        try:
            for round_ in range(6):
                publish_to_server(dataset(sizes[(round_ + 1) % 2]), endpoints)
        finally:
            stop.set()
            reader.join(30)
        assert seen <= set(sizes), seen
        assert len(SparqlServerStore.connect(url).graph_sizes()) == 2
        # staged graphs are gone after each switch
        all_graphs = SparqlServerStore(url, timeout_s=10, generation="", graphs=[]).request(
            queries.load("store_named_graphs"), default_graphs=None, named_graphs=None)
        assert {r["g"].value for r in all_graphs} == {"https://e/g0", "https://e/g1", PUBLICATION_GRAPH}


def test_a_server_whose_default_graph_is_the_union_answers_the_same(built_graph, graph_store: GraphStore,
                                                                    tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "data", union_default_graph=True) as url:
        root = url.rsplit("/", 1)[0]
        publish_to_server((Path(built_graph.store_path).parent / "kringloop.nq").read_bytes(),
                          ServerEndpoints(query_url=url, update_url=f"{root}/update", graph_store_url=f"{root}/store"))
        store = SparqlServerStore.connect(url)
        for path in EXAMPLES[:6]:
            text = path.read_text(encoding="utf-8")
            assert canonical(store.query(text)) == canonical(graph_store.query(text)), path.stem


def test_a_newly_published_generation_is_noticed(oxigraph_url: str, built_graph) -> None:
    import kg.store_server as module

    store = SparqlServerStore.connect(oxigraph_url)
    root = oxigraph_url.rsplit("/", 1)[0]
    publish_to_server((Path(built_graph.store_path).parent / "kringloop.nq").read_bytes(),
                      ServerEndpoints(query_url=oxigraph_url, update_url=f"{root}/update",
                                      graph_store_url=f"{root}/store"))
    store._checked_at -= module.GENERATION_CHECK_S   # as if a second had passed
    assert store.moved()
    assert store.reopen().generation != store.generation


def test_virtuoso_answers_are_read_as_the_standard_terms() -> None:
    """Virtuoso 7 labels blank nodes nodeID://… and writes xsd:boolean as 1 / 0 (answers as it sent them,
    bench/virtuoso_report.py); the reader gives the same terms as from Oxigraph. No Virtuoso runs here."""
    from kg.store_server import _parse

    body = (b'{ "head": { "link": [], "vars": ["b", "flag", "off", "n"] },\n  "results": { "distinct": false, '
            b'"ordered": true, "bindings": [\n    { "b": { "type": "bnode", "value": "nodeID://b10001" }\t, '
            b'"flag": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1" }\t, '
            b'"off": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "0" }\t, '
            b'"n": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1" }} ] } }')
    row = next(iter(_parse("application/sparql-results+json; charset=UTF-8", body)))
    assert isinstance(row["b"], ox.BlankNode)
    assert row["flag"] == ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    assert row["off"] == ox.Literal("false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    assert row["n"] == ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    triples = list(_parse("application/n-triples; charset=UTF-8",
                          b'<urn:a>\t<urn:p>\t"1"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
                          b'<urn:a>\t<urn:q>\t"say \\"1\\"^^<http://www.w3.org/2001/XMLSchema#boolean>" .\n'))
    assert triples[0].object.value == "true"
    assert triples[1].object.value == 'say "1"^^<http://www.w3.org/2001/XMLSchema#boolean>'   # inside a string: kept

"""The store interface gives the same answers on every backend: embedded Oxigraph, an Oxigraph server and
OpenLink Virtuoso Open Source 7.

The servers are started by the session fixtures ``oxigraph_url`` and ``virtuoso`` (tests/conftest.py), each
holding the built graph published by ``publish_to_server``. The Oxigraph server's default graph is NOT the
union of its named graphs (Virtuoso's is); one test starts a second Oxigraph server that has it the other way.

Every example query and every named query Kringloop runs (kg/queries/*.rq, bound as the app binds them) must
answer on each server as on the embedded store, in the same order where the query fixes one. One deviation
is tolerated, because Virtuoso cannot be told otherwise: it stores geometries in single precision, so a
centroid's coordinates may differ by up to 1e-5 degree (docs/deploy.md).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.parser import parseUpdate

from fixtures.store_servers import oxigraph_server
from kg import queries
from kg.namespaces import DEFAULT_BASE_IRI
from kg.store import GraphStore, open_store
from kg.store_server import (PUBLICATION_GRAPH, ServerEndpoints, SparqlServerStore, StorePublishing, _publication,
                             publish_to_server, switch_update, with_values)

EXAMPLES = sorted(queries.EXAMPLE_DIR.glob("*.rq"))
NAMED = sorted(queries.QUERY_DIR.glob("*.rq"))
ORDER_BY = re.compile(r"ORDER\s+BY", re.IGNORECASE)
WKT_POINT = re.compile(r'^"POINT\(([-0-9.eE]+) ([-0-9.eE]+)\)"\^\^<http://www\.opengis\.net/ont/geosparql#wktLiteral>$')
COORDINATE_TOLERANCE = 1e-5   # degrees; Virtuoso's single-precision geometries (about a metre)
GENT = "44021"

# How the app binds each named query that takes bound variables (placeholders resolved by ``binder``); a query
# that declares bound variables and is missing here fails test_every_named_query_is_compared. Every named query
# is also compared with nothing bound, except those in UNBOUND_MEANINGLESS.
BINDINGS: dict[str, list[dict[str, str]]] = {
    "browse_case": [{"id": "CASE_ID"}],
    "browse_case_facets": [{"case": "CASE"}],
    "browse_case_participants": [{"case": "CASE"}],
    "browse_government": [{"id": GENT}],
    "browse_government_cases": [{"gov": "GENT"}],
    "browse_government_members": [{"org": "ASSOCIATION"}],
    "browse_government_related": [{"gov": "GENT"}],
    "case_leads": [{}, {"case": "CASE"}],
    "cases_of_government": [{"government": "GENT"}],
    "curation_version": [{"graph": f"{DEFAULT_BASE_IRI}graph/curatie"}],
    "store_describe": [{}],   # the app binds ?root on servers only (describe_quads): test_linked_data_lookups_agree
    "store_quads": [{}, {"s": "GENT"}, {"g": f"{DEFAULT_BASE_IRI}graph/cases"}],
}
UNBOUND_MEANINGLESS = {"browse_case", "browse_government"}   # LIMIT 1 over every record: any row is right


def canonical(result: object) -> object:
    """An answer as comparable data: blank nodes as '_', rows as a sorted list of N-Triples texts, and a
    WKT point's coordinates apart (compared with a tolerance by ``assert_same``)."""
    def text(term: object) -> str:
        if isinstance(term, ox.BlankNode):
            return "_"
        return "" if term is None else str(term)

    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return variables, sorted(tuple(text(row[v]) for v in variables) for row in result)
    return sorted((text(t.subject), text(t.predicate), text(t.object)) for t in result)


def _without_points(rows: list[tuple[str, ...]]) -> tuple[list[tuple[str, ...]], list[list[tuple[float, float]]]]:
    """The rows with each WKT point as ``POINT(~)``, and per row the points taken out."""
    kept, points = [], []
    for row in rows:
        cells, found = [], []
        for cell in row:
            match = WKT_POINT.match(cell)
            if match:
                found.append((float(match[1]), float(match[2])))
                cell = "POINT(~)"
            cells.append(cell)
        kept.append(tuple(cells))
        points.append(found)
    return kept, points


def assert_same(server: object, embedded: object, *, ordered: list | None = None) -> None:
    """``server`` equals ``embedded`` (two ``canonical`` answers), coordinates within the tolerance."""
    if isinstance(embedded, tuple) and isinstance(server, tuple):
        assert server[0] == embedded[0]
        server_rows, embedded_rows = server[1], embedded[1]
    else:
        server_rows, embedded_rows = server, embedded
    if not isinstance(embedded_rows, list):
        assert server_rows == embedded_rows
        return
    (got, got_points), (want, want_points) = _without_points(server_rows), _without_points(embedded_rows)
    if sorted(got) != sorted(want):
        missing = [r for r in want if r not in set(got)][:3]
        extra = [r for r in got if r not in set(want)][:3]
        pytest.fail(f"{len(want)} rows expected, {len(got)} got; e.g. missing {missing}, extra {extra}")
    for (_, a), (_, b) in zip(sorted(zip(want, want_points)), sorted(zip(got, got_points)), strict=True):
        assert len(a) == len(b)
        for (x1, y1), (x2, y2) in zip(a, b):
            assert math.isclose(x1, x2, abs_tol=COORDINATE_TOLERANCE), (x1, x2)
            assert math.isclose(y1, y2, abs_tol=COORDINATE_TOLERANCE), (y1, y2)
    if ordered is not None:
        server_order, embedded_order = (_without_points(o)[0] for o in ordered)
        assert server_order == embedded_order, "same rows, in another order"


def in_order(result: object) -> list[tuple[str, ...]]:
    variables = [v.value for v in result.variables]
    return [tuple("_" if isinstance(row[v], ox.BlankNode) else ("" if row[v] is None else str(row[v]))
                  for v in variables) for row in result]


@pytest.fixture(scope="module", params=["oxigraph-server", "virtuoso"])
def server_store(request: pytest.FixtureRequest) -> SparqlServerStore:
    """The backend under test, as the app opens it from ``KRINGLOOP_STORE_URL``."""
    url = (request.getfixturevalue("oxigraph_url") if request.param == "oxigraph-server"
           else request.getfixturevalue("virtuoso").url)
    store = open_store(store_url=url, store_path=Path("/nonexistent"))
    assert isinstance(store, SparqlServerStore)
    return store


def compare(text: str, graph_store: GraphStore, server_store: SparqlServerStore,
            substitutions: dict | None = None) -> object:
    embedded = canonical(graph_store.query(text, substitutions=substitutions))
    server = canonical(server_store.query(text, substitutions=substitutions))
    ordered = None
    if ORDER_BY.search(text) and isinstance(embedded, tuple):   # same order too where the query fixes one
        ordered = [in_order(server_store.query(text, substitutions=substitutions)),
                   in_order(graph_store.query(text, substitutions=substitutions))]
    assert_same(server, embedded, ordered=ordered)
    return embedded


def test_the_server_holds_the_published_graphs_and_nothing_else_shows(graph_store: GraphStore,
                                                                      server_store: SparqlServerStore) -> None:
    assert server_store.generation
    assert server_store.graph_sizes() == graph_store.graph_sizes()
    assert PUBLICATION_GRAPH not in server_store.named_graphs()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_query_gives_the_same_answer_on_every_backend(path: Path, graph_store: GraphStore,
                                                              server_store: SparqlServerStore) -> None:
    compare(path.read_text(encoding="utf-8"), graph_store, server_store)


def test_the_example_queries_are_not_all_empty(graph_store: GraphStore) -> None:
    def answered(path: Path) -> bool:
        answer = canonical(graph_store.query(path.read_text(encoding="utf-8")))
        return bool(answer[1]) if isinstance(answer, tuple) else bool(answer)

    assert sum(map(answered, EXAMPLES)) >= len(EXAMPLES) - 2


def binder(graph_store: GraphStore):
    """Placeholder -> term: Gent, the case with the most facets and the association with the most members."""
    gent = queries.select(graph_store, "browse_government", id=GENT)[0]["gov"]
    facets = Counter(row["case"] for row in queries.select(graph_store, "browse_case_facets"))
    case = facets.most_common(1)[0][0]
    case_id = next(row["id"] for row in queries.select(graph_store, "search_cases") if row["case"] == case)
    members = Counter(row["org"] for row in queries.select(graph_store, "browse_government_members"))
    values = {"GENT": gent, "CASE": case, "CASE_ID": case_id, "ASSOCIATION": members.most_common(1)[0][0]}

    def resolve(bindings: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        return {ox.Variable(name): queries.to_term(values.get(value, value)) for name, value in bindings.items()}

    return resolve


@pytest.fixture(scope="module")
def bind(graph_store: GraphStore):
    return binder(graph_store)


def named_cases() -> list[tuple[str, dict[str, str]]]:
    """(query name, bindings) for every comparison of a named query."""
    cases = []
    for path in NAMED:
        if path.stem not in UNBOUND_MEANINGLESS:
            cases.append((path.stem, {}))
        cases += [(path.stem, bindings) for bindings in BINDINGS.get(path.stem, []) if bindings]
    return cases


def case_id(name: str, bindings: dict[str, str]) -> str:
    return f"{name}-{'-'.join(bindings) if bindings else 'unbound'}"


@pytest.mark.parametrize(("name", "bindings"), [pytest.param(n, b, id=case_id(n, b)) for n, b in named_cases()])
def test_named_query_gives_the_same_answer_on_every_backend(name: str, bindings: dict, bind, graph_store: GraphStore,
                                                            server_store: SparqlServerStore) -> None:
    text = queries.load(name)
    embedded = compare(text, graph_store, server_store, bind(bindings) or None)
    if bindings and name != "curation_version":
        assert embedded[1] if isinstance(embedded, tuple) else embedded, \
            f"{name} answered nothing here: the comparison would prove nothing"


def test_every_named_query_is_compared() -> None:
    """A named query with bound variables needs its bindings in BINDINGS, or the comparison misses the app's use."""
    for path in NAMED:
        header = " ".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
        declared = re.search(r"Bound variables:\s*(.*?)(\.|$)", header)
        if declared and declared[1].strip().lower() != "none" and "?" in declared[1]:
            assert path.stem in BINDINGS, f"{path.name} binds {declared[1]}: add how the app binds it to BINDINGS"


def test_every_named_query_fixes_the_order_of_its_rows() -> None:
    """Rows come in the order the query asks for, on every engine: what the app builds from them (the
    recommender's examples, page lists, CSV) is then the same on every backend. Ties are broken, and text
    is sorted as STR() (Virtuoso sorts long stored strings out of order otherwise)."""
    unordered = {"browse_case", "browse_government",     # one record, bound by its identifier
                 "curation_version",                     # one value
                 "store_describe", "store_labels", "store_quads", "store_graph_sizes",   # sets of triples
                 "store_named_graphs", "store_publication"}
    for path in NAMED:
        if path.stem not in unordered:
            assert ORDER_BY.search(path.read_text(encoding="utf-8")), f"{path.name} has no ORDER BY"


def test_linked_data_lookups_agree(graph_store: GraphStore, server_store: SparqlServerStore) -> None:
    from api.sparql import describe

    gent = queries.select(graph_store, "browse_government", id=GENT)[0]["gov"]
    for iri in (gent, f"{DEFAULT_BASE_IRI}graph/cases"):
        a, b = describe(graph_store, [iri]), describe(server_store, [iri])
        assert a, iri
        assert_same(canonical(b.triples), canonical(a.triples))
        if len(a.incoming) < 200:
            assert_same(canonical(b.incoming), canonical(a.incoming))


def test_values_binding_opens_the_outer_where_group() -> None:
    text = "# WHERE { in a comment\nSELECT ?x ?y WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }"
    bound = with_values(text, {ox.Variable("y"): ox.Literal("a b")})
    assert bound.index('VALUES (?y) { ("a b") }') < bound.index("SELECT ?x WHERE")
    assert ox.Store().query(bound) is not None   # still parses


def test_switch_is_one_update_that_replaces_what_was_published() -> None:
    """One operation: the staged graph moves into place, a graph no longer published is emptied, the
    record names the new generation with its sizes; staged graphs are gone, other graphs untouched."""
    a, old, stage, other = (ox.NamedNode(f"https://e/g/{n}") for n in ("a", "old", "stage", "other"))
    store = ox.Store()
    p = ox.NamedNode("https://e/p")
    for graph, value in ((a, "was"), (old, "gone"), (stage, "new1"), (stage, "new2"), (other, "kept")):
        store.add(ox.Quad(p, p, ox.Literal(value), graph))
    update = switch_update({a.value: stage.value}, [a.value, old.value], "G2", {a.value: 2})
    assert len(parseUpdate(update).request) == 1   # one operation: committed at once on every server
    store.update(update)
    def values(graph: ox.NamedNode) -> set[str]:
        return {q.object.value for q in store.quads_for_pattern(None, None, None, graph)}
    assert values(a) == {"new1", "new2"} and values(old) == set() and values(stage) == set()
    assert values(other) == {"kept"}
    assert values(ox.NamedNode(PUBLICATION_GRAPH)) == {"G2", a.value, "1", "2"}   # generation, graph, count, size


def test_fill_values_fills_exactly_one_empty_block() -> None:
    from kg.store_server import fill_values

    text = "SELECT * WHERE { VALUES (?a ?b) { } VALUES ?c { } }"
    filled = fill_values(text, ("a", "b"), [(ox.NamedNode("https://e/x"), ox.Literal('say "hi"'))])
    assert 'VALUES (?a ?b) { (<https://e/x> "say \\"hi\\"") }' in filled
    assert "VALUES ?c { <https://e/y> }" in fill_values(filled, ("c",), [(ox.NamedNode("https://e/y"),)])
    with pytest.raises(ValueError):
        fill_values(filled, ("a", "b"), [])   # already filled


def _dataset(n: int) -> bytes:
    quads = [ox.Quad(ox.NamedNode(f"https://e/s{i}"), ox.NamedNode("https://e/p"), ox.Literal(str(i)),
                     ox.NamedNode(f"https://e/g{i % 2}")) for i in range(n)]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def _publish_while_reading(url: str, endpoints: ServerEndpoints, sizes: tuple[int, int], *, as_replica: bool) -> set[int]:
    """Publish generations of alternating sizes while a reader counts; returns the totals it saw.

    ``as_replica``: the reader opens generations as a replica does (``connect`` checks the record's sizes);
    otherwise it counts whatever the published graphs hold at that moment.
    """
    publish_to_server(_dataset(sizes[0]), endpoints)
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            if not as_replica:
                record = _publication(url, 10)
                seen.add(sum(SparqlServerStore(url, timeout_s=10, generation=record.generation,
                                               graphs=record.graphs).graph_sizes().values()))
                continue
            try:
                store = SparqlServerStore.connect(url, settle_s=0)
            except StorePublishing:
                continue
            seen.add(sum(store.sizes_at_open.values()))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_ in range(6):
            publish_to_server(_dataset(sizes[(round_ + 1) % 2]), endpoints)
    finally:
        stop.set()
        reader.join(30)
    assert len(SparqlServerStore.connect(url).graph_sizes()) == 2
    # staged graphs are gone after each switch
    all_graphs = SparqlServerStore(url, timeout_s=120, generation="", graphs=[]).request(
        queries.load("store_named_graphs"), default_graphs=None, named_graphs=None)
    assert {"https://e/g0", "https://e/g1", PUBLICATION_GRAPH} <= {r["g"].value for r in all_graphs}
    assert not any(r["g"].value.startswith("urn:kringloop:staging:") for r in all_graphs)
    return seen


def test_readers_never_see_a_half_published_generation(tmp_path: Path) -> None:
    """While generations of different sizes are published, every count a reader sees is a whole one."""
    sizes = (2000, 6000)
    with oxigraph_server(tmp_path / "data") as url:
        root = url.rsplit("/", 1)[0]
        endpoints = ServerEndpoints(query_url=url, update_url=f"{root}/update", graph_store_url=f"{root}/store")
        assert _publish_while_reading(url, endpoints, sizes, as_replica=False) <= set(sizes)


def test_on_virtuoso_a_replica_opens_only_a_whole_generation(tmp_path: Path) -> None:
    """Virtuoso shows an update to readers before it is complete (a reader counting during the switch saw
    e.g. 27,003 of 30,000 triples), so a replica checks the record's sizes before it trusts a generation.
    Published through the Digest-guarded endpoints by a publisher account, under a reader that never
    pauses (publishing with MOVE operations then timed out)."""
    from fixtures.virtuoso import VirtuosoUnavailable, virtuoso_server
    from kg.store_server import Credentials

    sizes = (2000, 30000)
    try:
        with virtuoso_server(tmp_path / "virtuoso") as server:
            server.create_publisher("publisher", "secret")
            endpoints = ServerEndpoints(query_url=server.url, update_url=server.update_url,
                                        graph_store_url=server.graph_store_url,
                                        credentials=Credentials("publisher", "secret", "digest"))
            assert _publish_while_reading(server.url, endpoints, sizes, as_replica=True) <= set(sizes)
    except VirtuosoUnavailable as exc:
        pytest.fail(str(exc))


def test_publishing_with_the_wrong_credentials_says_what_the_server_asks_for(virtuoso) -> None:
    from kg.store_server import Credentials, StoreServerError

    for credentials, said in ((Credentials("kringloop_publisher", "publish-secret", "basic"), "refused Basic credentials"),
                              (Credentials("kringloop_publisher", "wrong", "digest"), "refused Digest credentials"),
                              (Credentials(), "refused no credentials")):
        endpoints = ServerEndpoints(query_url=virtuoso.url, update_url=virtuoso.update_url,
                                    graph_store_url=virtuoso.graph_store_url, credentials=credentials)
        with pytest.raises(StoreServerError, match=said):
            publish_to_server(_dataset(10), endpoints)
    assert "https://e/g0" not in SparqlServerStore.connect(virtuoso.url).named_graphs()   # nothing was published


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

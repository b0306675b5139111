"""How Kringloop's queries and the W3C SPARQL 1.1 suite fare on OpenLink Virtuoso Open Source 7.

Installs nothing: it expects Debian's ``virtuoso-opensource`` (``make test`` installs it) and a built graph
(``kringloop build``). It starts a throwaway Virtuoso (tests/fixtures/virtuoso.py: its own folder and
virtuoso.ini, free ports on 127.0.0.1), publishes ``build/kringloop.nq`` as an operator would
(``publish_to_server`` through Virtuoso's Digest-guarded write endpoints, as a publisher account), and then:

(a) compares every example query and every named query as the app binds it with the embedded store's answer,
    with tests/kg/test_store_backends.py's own comparison (same rows, same order where the query fixes one,
    coordinates within 1e-5 degree), through the class the app uses with ``KRINGLOOP_STORE_URL``;
(b) runs the approved W3C SPARQL 1.1 query-evaluation tests (tests/w3c/) directly against Virtuoso's
    /sparql endpoint: every data file is loaded once (Virtuoso's bulk loader) into a graph named by its IRI,
    and each test names its dataset with the protocol's ``default-graph-uri`` / ``named-graph-uri``; expected
    results and the comparison (bags under blank-node isomorphism, order under ORDER BY) are
    tests/api/test_sparql_w3c.py's.

Prints the counts and writes bench/results/virtuoso.json (every failure with its reason).

    PYTHONPATH=$PWD .venv/bin/kringloop build
    PYTHONPATH=$PWD .venv/bin/python bench/virtuoso_report.py [--json bench/results/virtuoso.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "api"), str(REPO / "tests" / "kg")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pyoxigraph as ox  # noqa: E402
import pytest  # noqa: E402 - the test's comparison fails with pytest.fail

from kg import queries  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from kg.store_server import Credentials, ServerEndpoints, SparqlServerStore, publish_to_server  # noqa: E402
from fixtures.virtuoso import VirtuosoServer, VirtuosoUnavailable, virtuoso_server  # noqa: E402
import test_sparql_w3c as w3c  # noqa: E402
import test_store_backends as backends  # noqa: E402

ABSOLUTE_BASE = re.compile(r"^\s*BASE\s*<[a-z][a-z0-9+.-]*:", re.IGNORECASE | re.MULTILINE)
VIRTUOSO_BNODE_XML = re.compile(rb"<bnode>nodeID://")   # Virtuoso labels blank nodes nodeID://b123, not a valid label
EMPTY_GRAPH = "urn:kringloop:w3c:no-such-graph"   # names an empty dataset part, as the protocol allows
# --- (a) Kringloop's queries ------------------------------------------------------------------------------

def differs(embedded: GraphStore, server: SparqlServerStore, text: str, substitutions: dict | None = None) -> str | None:
    """None when Virtuoso answers as the embedded store does (the test's comparison), else why not."""
    try:
        backends.compare(text, embedded, server, substitutions)
    except (AssertionError, pytest.fail.Exception) as exc:
        return f"answers differ: {' '.join(str(exc).split())[:500]}"
    except Exception as exc:   # noqa: BLE001 - every failure is reported, none ends the run
        return f"error: {' '.join(str(exc).split())[:400]}"
    return None


def run_kringloop_queries(server: VirtuosoServer, embedded: GraphStore) -> dict:
    store = SparqlServerStore.connect(server.url, timeout_s=120)
    result: dict = {"graph_sizes_agree": store.graph_sizes() == embedded.graph_sizes(), "graph_sizes": store.graph_sizes()}
    failures = {p.stem: reason for p in backends.EXAMPLES
                if (reason := differs(embedded, store, p.read_text(encoding="utf-8")))}
    result["examples"] = {"total": len(backends.EXAMPLES), "same": len(backends.EXAMPLES) - len(failures),
                          "failures": failures}
    bind, cases = backends.binder(embedded), backends.named_cases()
    failures = {backends.case_id(name, bindings): reason for name, bindings in cases
                if (reason := differs(embedded, store, queries.load(name), bind(bindings) or None))}
    result["named"] = {"queries": len(backends.NAMED), "total": len(cases), "same": len(cases) - len(failures),
                       "failures": failures}
    return result


# --- (b) the W3C suite -------------------------------------------------------------------------------------

def w3c_dataset(tests: list[w3c.W3cTest]) -> bytes:
    """Every data file of the suite once, in a graph named by its IRI (blank nodes apart per file)."""
    quads = []
    for path in sorted({p for t in tests for p in (*t.data, *t.graph_data)}):
        name = ox.NamedNode(w3c.iri(path))
        quads += [ox.Quad(q.subject, q.predicate, q.object, name)
                  for q in ox.parse(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]),
                                    base_iri=w3c.iri(path))]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def query_text(test: w3c.W3cTest) -> str:
    """As the endpoint test sends it (a BASE line giving the query its own IRI), except that a query with an
    absolute BASE of its own is sent as written: Virtuoso refuses a second BASE in the prologue (a
    deviation on its own, but one our added line would provoke)."""
    text = test.query.read_text(encoding="utf-8")
    return text if ABSOLUTE_BASE.search(text) else w3c.query_text(test)


def ask_virtuoso(url: str, test: w3c.W3cTest, *, graph_form: bool) -> tuple[int, str, bytes]:
    fields = [("query", query_text(test))]
    fields += [("default-graph-uri", w3c.iri(p)) for p in test.data] or [("default-graph-uri", EMPTY_GRAPH)]
    fields += [("named-graph-uri", w3c.iri(p)) for p in test.graph_data] or [("named-graph-uri", EMPTY_GRAPH)]
    # one type per query form: given a list, Virtuoso answers 406 to a CONSTRUCT whose first choice is a results format
    accept = "text/csv" if test.kind == "csv" else "text/turtle" if graph_form else "application/sparql-results+xml"
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=90) as response:   # noqa: S310 - our own server
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()
    except OSError as exc:
        return 0, "", str(exc).encode()


def virtuoso_verdict(url: str, test: w3c.W3cTest, expected: w3c.Outcome) -> str | None:
    status, content_type, body = ask_virtuoso(url, test, graph_form=expected.kind == "graph")
    if status != 200:
        return f"HTTP {status}: {' '.join(body.decode('utf-8', 'replace').split())[:300]}"
    if test.kind == "csv":
        return w3c.csv_matches(expected.csv_rows, body.decode("utf-8", "replace"))
    kind = content_type.split(";")[0].strip().lower()
    try:
        if kind == "application/sparql-results+xml":
            body = VIRTUOSO_BNODE_XML.sub(rb"<bnode>", body)
            actual = w3c._solutions(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))
        else:
            fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
                   "text/plain": ox.RdfFormat.N_TRIPLES, "text/rdf+n3": ox.RdfFormat.TURTLE}.get(kind)
            if fmt is None:
                return f"unexpected answer format {content_type!r}"
            actual = w3c._triples([q.triple for q in ox.parse(body, format=fmt)])
    except (SyntaxError, ValueError) as exc:
        return f"unreadable answer ({content_type}): {exc}"
    reason = w3c.outcome_matches(expected, actual, ordered=bool(w3c.ORDER_BY.search(query_text(test))))
    if reason and actual.kind in ("bindings", "graph"):
        exp = sorted(str(sorted((k, str(v)) for k, v in r.items())) for r in expected.rows)[:2]
        got = sorted(str(sorted((k, str(v)) for k, v in r.items())) for r in actual.rows)[:2]
        reason += f"; expected e.g. {exp} got {got}"
    return reason[:700] if reason else None


def run_w3c(server: VirtuosoServer) -> dict:
    tests = w3c.EVAL_TESTS
    server.load_nquads("w3c", w3c_dataset(tests))
    failures, engine_fails, passes = {}, 0, 0
    for test in tests:
        expected = w3c.expected_outcome(test)
        engine_fails += w3c.engine_verdict(test, expected) is not None
        reason = virtuoso_verdict(server.url, test, expected)
        if reason is None:
            passes += 1
        else:
            failures[test.id] = reason
    return {"approved_evaluation_tests": len(tests), "virtuoso_passes": passes,
            "pyoxigraph_passes": len(tests) - engine_fails, "failures": failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, default=REPO / "build")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "virtuoso.json")
    args = parser.parse_args()
    nq = args.build_dir / "kringloop.nq"
    store_path = args.build_dir / "store"
    if not nq.exists() or not store_path.exists():
        raise SystemExit(f"no built graph in {args.build_dir}: run `kringloop build` first")
    embedded = GraphStore.open(store_path)

    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="kringloop-virtuoso-") as tmp, virtuoso_server(Path(tmp)) as server:
            report: dict = {"virtuoso_version": server.version()}
            # published as an operator would: through the Digest-guarded write endpoints, as a publisher account
            server.create_publisher("kringloop_publisher", "publish-secret")
            endpoints = ServerEndpoints(query_url=server.url, update_url=server.update_url,
                                        graph_store_url=server.graph_store_url,
                                        credentials=Credentials("kringloop_publisher", "publish-secret", "digest"))
            load_started = time.perf_counter()
            publish_to_server(nq.read_bytes(), endpoints)
            report["kringloop_publish_s"] = round(time.perf_counter() - load_started, 2)
            report["kringloop"] = run_kringloop_queries(server, embedded)
            report["w3c"] = run_w3c(server)
    except VirtuosoUnavailable as exc:
        raise SystemExit(str(exc)) from None
    report["run_s"] = round(time.perf_counter() - started, 1)

    k, w = report["kringloop"], report["w3c"]
    print(f"Virtuoso {report['virtuoso_version']}: built graph published in {report['kringloop_publish_s']} s; "
          f"graph sizes agree with the embedded store: {k['graph_sizes_agree']}")
    for group in ("examples", "named"):
        print(f"{group} queries: {k[group]['same']}/{k[group]['total']} comparisons answer as on the embedded store")
        for name, reason in k[group]["failures"].items():
            print(f"  {name}: {reason[:200]}")
    print(f"W3C SPARQL 1.1 approved query-evaluation tests: {w['approved_evaluation_tests']}; Virtuoso passes "
          f"{w['virtuoso_passes']} (pyoxigraph alone {w['pyoxigraph_passes']})")
    for name, reason in w["failures"].items():
        print(f"  {name}: {reason[:160]}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json}")


if __name__ == "__main__":
    main()

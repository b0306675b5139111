"""How Kringloop's queries and the W3C SPARQL 1.1 suite fare on OpenLink Virtuoso Open Source 7.

Installs nothing: it expects Debian's ``virtuoso-opensource`` (``virtuoso-t`` and ``isql-vt`` on PATH) and
a built graph (``kringloop build``). It starts a throwaway Virtuoso in a temp dir (its own virtuoso.ini,
free ports on 127.0.0.1), bulk-loads ``build/kringloop.nq`` (``ld_dir`` + ``rdf_loader_run``) plus a
publication record naming its graphs, and then:

(a) runs the example queries (kg/queries/examples/*.rq) and the app's named queries (kg/queries/*.rq, with
    no variable bound) through Kringloop's store-server backend (``SparqlServerStore``, the class the app
    uses with ``KRINGLOOP_STORE_URL``) and compares each answer with the embedded store's, as
    tests/kg/test_store_backends.py does for an Oxigraph server;
(b) runs the approved W3C SPARQL 1.1 query-evaluation tests (tests/w3c/) directly against Virtuoso's
    /sparql endpoint: every data file is loaded once into a graph named by its IRI, and each test names
    its dataset with the protocol's ``default-graph-uri`` / ``named-graph-uri``; expected results and the
    comparison (bags under blank-node isomorphism, order under ORDER BY) are tests/api/test_sparql_w3c.py's.

Prints the counts and writes bench/results/virtuoso.json (every failure with its reason).

    PYTHONPATH=$PWD .venv/bin/kringloop build
    PYTHONPATH=$PWD .venv/bin/python bench/virtuoso_report.py [--json bench/results/virtuoso.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "api"), str(REPO / "tests" / "kg")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pyoxigraph as ox  # noqa: E402

from kg import queries  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from kg.store_server import PUBLICATION_GRAPH, SparqlServerStore  # noqa: E402
import test_sparql_w3c as w3c  # noqa: E402
from test_store_backends import ORDER_BY, canonical  # noqa: E402

ABSOLUTE_BASE = re.compile(r"^\s*BASE\s*<[a-z][a-z0-9+.-]*:", re.IGNORECASE | re.MULTILINE)
VIRTUOSO_BNODE_XML = re.compile(rb"<bnode>nodeID://")   # Virtuoso labels blank nodes nodeID://b123, not a valid label
EMPTY_GRAPH = "urn:kringloop:w3c:no-such-graph"   # names an empty dataset part, as the protocol allows
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {dir}, /usr/share/virtuoso-opensource-7/vad
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 1G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 4
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 4
MaxKeepAlives = 4
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DeferInferenceRulesInit = 0
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Virtuoso:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.sql_port, self.http_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, script: str) -> str:
        """Runs SQL (``SPARQL ...`` lines included) as dba; any error ends the report."""
        done = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF",
                               "PROMPT=OFF", "ECHO=OFF", "ERRORS=stdout"], input=script, capture_output=True,
                              text=True, timeout=1800, cwd=self.dir)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise SystemExit(f"isql failed: {output[-1500:]}")
        return output

    def load_nquads(self, name: str, nquads: bytes) -> None:
        folder = self.dir / name
        folder.mkdir()
        (folder / "data.nq").write_bytes(nquads)
        self.isql(f"ld_dir('{folder}', '*.nq', 'urn:kringloop:virtuoso:unused');\nrdf_loader_run();\ncheckpoint;\n")
        errors = self.isql(f"SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL "
                           f"AND ll_file LIKE '{folder}%';\n")
        if "data.nq" in errors:
            raise SystemExit(f"Virtuoso could not load {name}: {errors[-1500:]}")


@contextmanager
def virtuoso_server() -> Iterator[Virtuoso]:
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        raise SystemExit("Virtuoso is not installed: apt-get install -y virtuoso-opensource")
    with tempfile.TemporaryDirectory(prefix="kringloop-virtuoso-") as tmp:
        server = Virtuoso(Path(tmp))
        (server.dir / "virtuoso.ini").write_text(INI.format(dir=server.dir, sql_port=server.sql_port,
                                                            http_port=server.http_port))
        log = open(server.dir / "stdout.log", "wb")   # noqa: SIM115 - closed below
        process = subprocess.Popen(["virtuoso-t", "-f", "+configfile", str(server.dir / "virtuoso.ini")],
                                   cwd=server.dir, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(600):
                if process.poll() is not None:
                    raise SystemExit(f"virtuoso-t exited ({process.returncode}): "
                                     f"{(server.dir / 'stdout.log').read_text(errors='replace')[-1500:]}")
                try:
                    urllib.request.urlopen(server.url + "?query=ASK%7B%7D", timeout=2)
                    break
                except (OSError, urllib.error.HTTPError):
                    time.sleep(0.2)
            else:
                raise SystemExit("Virtuoso did not answer on /sparql within 120 s")
            yield server
        finally:
            process.terminate()
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


def version(server: Virtuoso) -> str:
    lines = server.isql("SELECT sys_stat('st_dbms_ver');\n").split()
    return next((w for w in lines if w[:1].isdigit()), "?")


# --- (a) Kringloop's queries ------------------------------------------------------------------------------

def publication_record(graphs: list[str], generation: str) -> bytes:
    record = ox.NamedNode(PUBLICATION_GRAPH)
    quads = [ox.Quad(record, ox.NamedNode("urn:kringloop:generation"), ox.Literal(generation), record)]
    quads += [ox.Quad(record, ox.NamedNode("urn:kringloop:graph"), ox.NamedNode(g), record) for g in graphs]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def compare(embedded: GraphStore, server: SparqlServerStore, text: str) -> str | None:
    """None when Virtuoso answers as the embedded store does (same order too under ORDER BY), else why not."""
    try:
        expected = canonical(embedded.query(text))
    except (SyntaxError, ValueError, OSError) as exc:
        return f"embedded store fails too: {exc}"
    try:
        got = canonical(server.query(text))
    except Exception as exc:   # noqa: BLE001 - every failure is reported, none ends the run
        return f"error: {str(exc)[:400]}"
    if got != expected:
        if isinstance(expected, tuple) and isinstance(got, tuple):
            got_rows, expected_rows = set(got[1]), set(expected[1])
            missing = [r for r in expected[1] if r not in got_rows][:3]
            extra = [r for r in got[1] if r not in expected_rows][:3]
            return (f"answers differ: {len(expected[1])} rows expected, {len(got[1])} got; "
                    f"e.g. missing {missing} extra {extra}")[:600]
        return f"answers differ: expected {str(expected)[:200]} got {str(got)[:200]}"
    if ORDER_BY.search(text) and isinstance(expected, tuple):
        order_e = [tuple(str(r[v]) for v in expected[0]) for r in embedded.query(text)]
        order_s = [tuple(str(r[v]) for v in expected[0]) for r in server.query(text)]
        if [r for r in order_s if "_:" not in "".join(r)] != [r for r in order_e if "_:" not in "".join(r)]:
            return "same rows, different order under ORDER BY"
    return None


def run_kringloop_queries(server: Virtuoso, embedded: GraphStore) -> dict:
    store = SparqlServerStore.connect(server.url, timeout_s=120)
    sizes_agree = store.graph_sizes() == embedded.graph_sizes()
    result: dict = {"graph_sizes_agree": sizes_agree, "graph_sizes": store.graph_sizes()}
    for group, paths in (("examples", sorted(queries.EXAMPLE_DIR.glob("*.rq"))),
                         ("named", sorted((REPO / "kg" / "queries").glob("*.rq")))):
        failures = {}
        for path in paths:
            reason = compare(embedded, store, path.read_text(encoding="utf-8"))
            if reason:
                failures[path.stem] = reason
        result[group] = {"total": len(paths), "same": len(paths) - len(failures), "failures": failures}
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


def run_w3c(server: Virtuoso) -> dict:
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
    graphs = sorted({q.graph_name.value for q in ox.parse(nq.read_bytes(), format=ox.RdfFormat.N_QUADS)})

    started = time.perf_counter()
    with virtuoso_server() as server:
        report: dict = {"virtuoso_version": version(server)}
        load_started = time.perf_counter()
        server.load_nquads("kringloop", nq.read_bytes())
        server.load_nquads("publication", publication_record(graphs, "virtuoso-report"))
        report["kringloop_load_s"] = round(time.perf_counter() - load_started, 2)
        report["kringloop"] = run_kringloop_queries(server, embedded)
        report["w3c"] = run_w3c(server)
    report["run_s"] = round(time.perf_counter() - started, 1)

    k, w = report["kringloop"], report["w3c"]
    print(f"Virtuoso {report['virtuoso_version']}: built graph loaded in {report['kringloop_load_s']} s; "
          f"graph sizes agree with the embedded store: {k['graph_sizes_agree']}")
    for group in ("examples", "named"):
        print(f"{group} queries: {k[group]['same']}/{k[group]['total']} answer as on the embedded store")
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

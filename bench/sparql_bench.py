"""Example queries through /sparql (uvicorn, HTTP) vs pyoxigraph called directly vs an rdflib endpoint.

One run, same data, same queries (kg/queries/examples/*.rq), interleaved so machine load hits
all three alike. Each server runs in its own process on 127.0.0.1; the client is httpx.

    .venv/bin/python bench/sparql_bench.py --repeats 15 --json bench/results/sparql_bench.json

"direct" = ``Store.read_only(build/store).query(q, use_default_graph_as_union=True)`` plus
serialising the whole answer to SPARQL JSON (or Turtle), in this process: what a Python caller
gets without HTTP. The rdflib endpoint is rdflib-endpoint 0.6.3 (``pip install -e .[bench]``).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api.sparql import load_examples  # noqa: E402
from api.sparql._guard import query_form  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(target: str, env: dict[str, str], *, ready_path: str, timeout_s: float = 600) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", target, "--factory", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        cwd=REPO, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{target} exited with {process.returncode}")
        try:
            if httpx.get(url + ready_path, timeout=2).status_code < 500:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"{target} did not start within {timeout_s} s")


def ensure_build() -> Path:
    build = REPO / "build"
    if (build / "store" / "CURRENT").exists() and (build / "kringloop.nq").exists():
        return build
    from kg.build import build as build_graph
    from kg.namespaces import DEFAULT_BASE_IRI

    out = Path(tempfile.mkdtemp(prefix="kringloop-bench-"))
    build_graph(REPO / "data", out, base_iri=DEFAULT_BASE_IRI)
    return out


def direct(store: ox.Store, query: str) -> tuple[float, int]:
    started = time.perf_counter()
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        triples = list(result)
        body = ox.serialize(triples, format=ox.RdfFormat.TURTLE)
        size = len(triples)
    else:
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        size = len(json.loads(body).get("results", {}).get("bindings", [])) if not isinstance(result, ox.QueryBoolean) else 1
    return time.perf_counter() - started, size


def over_http(client: httpx.Client, url: str, query: str, *, graph: bool) -> tuple[float, int]:
    accept = "text/turtle" if graph else "application/sparql-results+json"
    started = time.perf_counter()
    response = client.get(url, params={"query": query}, headers={"accept": accept})
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    if graph:
        size = len(list(ox.parse(response.content, format=ox.RdfFormat.TURTLE)))
    else:
        document = response.json()
        size = len(document["results"]["bindings"]) if "results" in document else 1
    return elapsed, size


def over_health(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    client.get(url + "/health").raise_for_status()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per query and engine (rdflib: at most 5)")
    parser.add_argument("--json", type=Path, help="write the raw numbers here")
    args = parser.parse_args(argv)

    build = ensure_build()
    store_path = (build / "store").resolve()
    examples = load_examples()
    kringloop_env = {"KRINGLOOP_STORE_PATH": str(store_path), "KRINGLOOP_BUILD_DIR": str(build),
                     "KRINGLOOP_EMBEDDING_MODEL": "hashing", "KRINGLOOP_SPARQL_TIMEOUT_S": "120",
                     # one client sends every query: measure the engine path, not the per-client limiter
                     "KRINGLOOP_RATE_LIMITS": '{"sparql": [1000000, 1000000]}'}
    servers = []
    try:
        ours, ours_url = start_server("api.app:create_app", kringloop_env, ready_path="/health")
        servers.append(ours)
        theirs, theirs_url = start_server("bench.sparql_rdflib_app:create_app",
                                          {"KRINGLOOP_BENCH_NQUADS": str(build / "kringloop.nq")},
                                          ready_path="/sparql?query=ASK%7B%7D")
        servers.append(theirs)
        store = ox.Store.read_only(str(store_path))
        rows = []
        with httpx.Client(timeout=300) as client:
            # the cost of an HTTP round trip to this server that does no query work at all
            floor = [over_health(client, ours_url) for _ in range(50)]
            floor_ms = statistics.median(floor) * 1000
            print(f"HTTP floor (GET /health): {floor_ms:.2f} ms", flush=True)
            for example in examples:
                graph = query_form(example.query) in ("CONSTRUCT", "DESCRIBE")
                times: dict[str, list[float]] = {"direct": [], "endpoint": [], "rdflib": []}
                sizes: dict[str, int] = {}
                for _ in range(2):  # warm-up: caches, the guard's per-text cache in both workers
                    direct(store, example.query)
                    over_http(client, ours_url + "/sparql", example.query, graph=graph)
                try:
                    sizes["rdflib"] = over_http(client, theirs_url + "/sparql", example.query, graph=graph)[1]
                except httpx.HTTPStatusError as exc:  # rdflib cannot answer every valid query
                    sizes["rdflib"] = -1
                    print(f"{example.name}: rdflib-endpoint fails: HTTP {exc.response.status_code}", flush=True)
                for repeat in range(args.repeats):
                    t, sizes["direct"] = direct(store, example.query)
                    times["direct"].append(t)
                    t, sizes["endpoint"] = over_http(client, ours_url + "/sparql", example.query, graph=graph)
                    times["endpoint"].append(t)
                    if repeat < min(args.repeats, 5) and sizes["rdflib"] >= 0:
                        t, _ = over_http(client, theirs_url + "/sparql", example.query, graph=graph)
                        times["rdflib"].append(t)
                medians = {k: statistics.median(v) * 1000 if v else float("nan") for k, v in times.items()}
                rows.append({"name": example.name, "rows": sizes, **{f"{k}_ms": round(v, 3) for k, v in medians.items()},
                             "endpoint_vs_direct": round(medians["endpoint"] / medians["direct"], 2),
                             "rdflib_vs_endpoint": round(medians["rdflib"] / medians["endpoint"], 1)})
                print(f"{example.name:38s} rows {sizes['endpoint']:5d}  direct {medians['direct']:8.2f} ms  "
                      f"/sparql {medians['endpoint']:8.2f} ms  rdflib {medians['rdflib']:9.1f} ms", flush=True)
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)

    report(rows, args.repeats, floor_ms)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"repeats": args.repeats, "http_floor_ms": round(floor_ms, 3),
                                         "load_average": os.getloadavg(), "queries": rows}, indent=2,
                                        default=str))
    return 0


def report(rows: list[dict], repeats: int, floor_ms: float) -> None:
    print(f"\n| query | rows | direct pyoxigraph ms | /sparql ms | rdflib-endpoint ms | /sparql ÷ direct | rdflib ÷ /sparql |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        mismatch = "" if len(set(r["rows"].values())) == 1 else \
            " (rdflib: error)" if r["rows"]["rdflib"] < 0 else f" (rdflib {r['rows']['rdflib']})"
        print(f"| {r['name']} | {r['rows']['endpoint']}{mismatch} | {r['direct_ms']:.2f} | {r['endpoint_ms']:.2f} | "
              f"{r['rdflib_ms']:.1f} | {r['endpoint_vs_direct']:.2f}x | {r['rdflib_vs_endpoint']:.1f}x |")
    direct_median = statistics.median(r["direct_ms"] for r in rows)
    endpoint_median = statistics.median(r["endpoint_ms"] for r in rows)
    answered = [r for r in rows if r["rows"]["rdflib"] >= 0]
    rdflib_median = statistics.median(r["rdflib_ms"] for r in answered)
    geo = statistics.geometric_mean
    print(f"\nmedian over queries: direct {direct_median:.2f} ms, /sparql {endpoint_median:.2f} ms, "
          f"rdflib {rdflib_median:.1f} ms -> /sparql ÷ direct {endpoint_median / direct_median:.2f}x, "
          f"rdflib ÷ /sparql {rdflib_median / endpoint_median:.1f}x")
    print(f"median of per-query ratios: /sparql ÷ direct {statistics.median(r['endpoint_vs_direct'] for r in rows):.2f}x, "
          f"rdflib ÷ /sparql {statistics.median(r['rdflib_vs_endpoint'] for r in answered):.1f}x; geometric means "
          f"{geo([r['endpoint_vs_direct'] for r in rows]):.2f}x and {geo([r['rdflib_vs_endpoint'] for r in answered]):.1f}x "
          f"({repeats} repeats, rdflib at most 5; {len(rows) - len(answered)} queries rdflib cannot answer)")
    heavy = [r for r in rows if r["direct_ms"] >= 5]
    if heavy:
        heavy_answered = [r for r in heavy if r["rows"]["rdflib"] >= 0]
        print(f"queries taking >= 5 ms directly ({len(heavy)}): median /sparql ÷ direct "
              f"{statistics.median(r['endpoint_vs_direct'] for r in heavy):.2f}x, median rdflib ÷ /sparql "
              f"{statistics.median(r['rdflib_vs_endpoint'] for r in heavy_answered):.1f}x")
    minus_floor = statistics.median(max(r["endpoint_ms"] - floor_ms, 0) for r in rows)
    print(f"HTTP floor {floor_ms:.2f} ms; median /sparql time above that floor {minus_floor:.2f} ms "
          f"vs direct {direct_median:.2f} ms")


if __name__ == "__main__":
    raise SystemExit(main())

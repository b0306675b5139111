"""Times the example queries and a recommendation request on each store backend, in one run.

Backends: the embedded Oxigraph store (the default), an Oxigraph server (``oxigraph serve``) and Virtuoso
Open Source 7 (Debian's ``virtuoso-opensource``, started as the tests start it: tests/fixtures/virtuoso.py),
each started here on free ports of 127.0.0.1 and loaded with ``publish_to_server``, reached through the
same store interface the app uses (kg/store.py). Each example query is run ``--repeats`` times per backend after
one warm-up, and its answer fully read; the median is reported with its ratio to the embedded store.
The recommendation request goes through the whole app (FastAPI TestClient) on each backend.

    .venv/bin/python bench/backends_bench.py --repeats 15 [--json bench/results/backends.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from kg.build import build  # noqa: E402
from kg.namespaces import DEFAULT_BASE_IRI  # noqa: E402
from kg.queries import EXAMPLE_DIR  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from kg.store_server import Credentials, ServerEndpoints, SparqlServerStore, publish_to_server  # noqa: E402
from fixtures.store_servers import oxigraph_server  # noqa: E402
from fixtures.virtuoso import VirtuosoUnavailable, virtuoso_server  # noqa: E402

RECOMMENDATION = {"profile": {"description": "herbruikbare bekers uitlenen voor evenementen", "population": 12000,
                              "themes": ["hergebruik-herstel"], "province": "Antwerpen"}, "limit": 10}


def consume(result: object) -> int:
    return 1 if isinstance(result, bool) or type(result).__name__ == "QueryBoolean" else sum(1 for _ in result)


def time_query(store: GraphStore, text: str, repeats: int) -> tuple[float, int]:
    rows = consume(store.query(text))   # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        consume(store.query(text))
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def time_recommendation(settings: object, repeats: int) -> float:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(settings)) as client:
        assert client.post("/api/v1/recommendations", json=RECOMMENDATION).status_code == 200
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            answer = client.post("/api/v1/recommendations", json=RECOMMENDATION)
            times.append(time.perf_counter() - started)
            assert answer.status_code == 200
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--embedding-model", default="use-multilingual")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        report = build(REPO / "data", out, base_iri=DEFAULT_BASE_IRI)
        nquads = (out / "kringloop.nq").read_bytes()
        embedded = GraphStore.open(Path(report.store_path))
        try:
            with oxigraph_server(Path(tmp) / "oxigraph", timeout_s=30) as url, \
                    virtuoso_server(Path(tmp) / "virtuoso") as virtuoso:
                virtuoso.create_publisher("publisher", "bench-secret")
                root = url.rsplit("/", 1)[0]
                servers = {"oxigraph": ServerEndpoints(query_url=url, update_url=f"{root}/update",
                                                       graph_store_url=f"{root}/store"),
                           "virtuoso": ServerEndpoints(query_url=virtuoso.url, update_url=virtuoso.update_url,
                                                       graph_store_url=virtuoso.graph_store_url,
                                                       credentials=Credentials("publisher", "bench-secret", "digest"))}
                publish_s = {}
                for name, endpoints in servers.items():
                    started = time.perf_counter()
                    publish_to_server(nquads, endpoints)
                    publish_s[name] = time.perf_counter() - started
                stores = {"embedded": embedded, **{n: SparqlServerStore.connect(e.query_url) for n, e in servers.items()}}
                run(args, tmp, out, report, stores, servers, publish_s)
        except VirtuosoUnavailable as exc:
            raise SystemExit(str(exc)) from None


def run(args: argparse.Namespace, tmp: str, out: Path, report: object, stores: dict, servers: dict,
        publish_s: dict) -> None:
    from api.config import Settings

    names = list(stores)
    rows = []
    print(f"{'query':<40} {'rows':>6} " + " ".join(f"{n + ' ms':>13}" for n in names) + " " +
          " ".join(f"{n + ' ×':>11}" for n in names[1:]))
    for path in sorted(EXAMPLE_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        timed = {n: time_query(store, text, args.repeats) for n, store in stores.items()}
        counts = {n: rows_ for n, (_, rows_) in timed.items()}
        assert len(set(counts.values())) == 1, (path.stem, counts)
        ms = {n: t * 1000 for n, (t, _) in timed.items()}
        rows.append({"query": path.stem, "rows": counts["embedded"], "ms": ms})
        print(f"{path.stem:<40} {counts['embedded']:>6} " + " ".join(f"{ms[n]:>13.2f}" for n in names) + " " +
              " ".join(f"{ms[n] / ms['embedded']:>11.2f}" for n in names[1:]))
    total = {n: sum(r["ms"][n] for r in rows) for n in names}
    print(f"{'all example queries (sum of medians)':<40} {'':>6} " + " ".join(f"{total[n]:>13.1f}" for n in names)
          + " " + " ".join(f"{total[n] / total['embedded']:>11.2f}" for n in names[1:]))
    common = {"embedding_model": args.embedding_model, "state_dir": Path(tmp) / "var", "build_dir": out}
    recommendation = {"embedded": time_recommendation(Settings(store_path=Path(report.store_path), **common),
                                                      args.repeats)}
    for name, endpoints in servers.items():
        recommendation[name] = time_recommendation(
            Settings(store_url=endpoints.query_url, store_path=Path(tmp) / "none", **common), args.repeats)
    ms = {n: t * 1000 for n, t in recommendation.items()}
    print(f"{'recommendation request (whole app)':<40} {'':>6} " + " ".join(f"{ms[n]:>13.1f}" for n in names) + " "
          + " ".join(f"{ms[n] / ms['embedded']:>11.2f}" for n in names[1:]))
    for name, seconds in publish_s.items():
        print(f"publishing {report.triples} triples to {name}: {seconds:.2f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"queries": rows, "recommendation_ms": ms, "publish_s": publish_s,
                                         "repeats": args.repeats, "embedding_model": args.embedding_model},
                                        indent=2))


if __name__ == "__main__":
    main()

"""Times the example queries and a recommendation request on each store backend, in one run.

Backends: the embedded Oxigraph store (the default) and an Oxigraph server (``oxigraph serve``, started
here on a free port on 127.0.0.1, loaded with ``publish_to_server``), reached through the same store
interface the app uses (kg/store.py). Each example query is run ``--repeats`` times per backend after
one warm-up, and its answer fully read; the median is reported with its ratio to the embedded store.
The recommendation request goes through the whole app (FastAPI TestClient) on each backend.

    .venv/bin/python bench/backends_bench.py --repeats 15 [--json bench/results/backends.json]
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
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from kg.build import build  # noqa: E402
from kg.namespaces import DEFAULT_BASE_IRI  # noqa: E402
from kg.queries import EXAMPLE_DIR  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from kg.store_server import ServerEndpoints, SparqlServerStore, publish_to_server  # noqa: E402

RECOMMENDATION = {"profile": {"description": "herbruikbare bekers uitlenen voor evenementen", "population": 12000,
                              "themes": ["hergebruik-herstel"], "province": "Antwerpen"}, "limit": 10}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_oxigraph(location: Path) -> tuple[subprocess.Popen, str]:
    exe = Path(sys.executable).parent / "oxigraph"
    port = free_port()
    process = subprocess.Popen([str(exe), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--timeout-s", "30"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the Oxigraph server did not start (pip install oxigraph==0.5.13)")


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
    from api.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        report = build(REPO / "data", out, base_iri=DEFAULT_BASE_IRI)
        embedded = GraphStore.open(Path(report.store_path))
        process, url = start_oxigraph(Path(tmp) / "oxigraph")
        try:
            root = url.rsplit("/", 1)[0]
            started = time.perf_counter()
            publish_to_server((out / "kringloop.nq").read_bytes(),
                              ServerEndpoints(query_url=url, update_url=f"{root}/update", graph_store_url=f"{root}/store"))
            publish_s = time.perf_counter() - started
            server = SparqlServerStore.connect(url)
            rows = []
            print(f"{'query':<40} {'rows':>6} {'embedded ms':>12} {'server ms':>10} {'ratio':>6}")
            for path in sorted(EXAMPLE_DIR.glob("*.rq")):
                text = path.read_text(encoding="utf-8")
                e, n = time_query(embedded, text, args.repeats)
                s, m = time_query(server, text, args.repeats)
                assert n == m, (path.stem, n, m)
                rows.append({"query": path.stem, "rows": n, "embedded_ms": e * 1000, "server_ms": s * 1000})
                print(f"{path.stem:<40} {n:>6} {e * 1000:>12.2f} {s * 1000:>10.2f} {s / e:>6.2f}")
            total_e = sum(r["embedded_ms"] for r in rows)
            total_s = sum(r["server_ms"] for r in rows)
            print(f"{'all example queries (sum of medians)':<40} {'':>6} {total_e:>12.1f} {total_s:>10.1f} "
                  f"{total_s / total_e:>6.2f}")
            common = {"embedding_model": args.embedding_model, "state_dir": Path(tmp) / "var",
                      "build_dir": out}
            rec_e = time_recommendation(Settings(store_path=Path(report.store_path), **common), args.repeats)
            rec_s = time_recommendation(Settings(store_url=url, store_path=Path(tmp) / "none", **common), args.repeats)
            print(f"{'recommendation request (whole app)':<40} {'':>6} {rec_e * 1000:>12.1f} {rec_s * 1000:>10.1f} "
                  f"{rec_s / rec_e:>6.2f}")
            print(f"publishing {report.triples} triples to the server: {publish_s:.2f} s")
            if args.json:
                args.json.parent.mkdir(parents=True, exist_ok=True)
                args.json.write_text(json.dumps({"queries": rows, "recommendation_ms": {"embedded": rec_e * 1000,
                                                 "server": rec_s * 1000}, "publish_s": publish_s,
                                                 "repeats": args.repeats, "embedding_model": args.embedding_model},
                                                indent=2))
        finally:
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    main()

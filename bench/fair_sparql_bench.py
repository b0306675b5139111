"""Fair SPARQL: while slow clients keep the workers busy with 10-second queries, how fast are everyone
else's simple queries? (outside probe, finding 3; target p95 < 200 ms with two slow clients.)

Starts the real server on 127.0.0.1 (as load_bench.py does). Each client has its own loopback source
address (127.0.0.2, 127.0.0.3, ...), so the server sees distinct clients, as it would on a network.
``--slow`` clients each loop a cross-product COUNT that runs into the 10 s limit; ``--quick`` clients
each send a one-triple ASK every 0.2 s. Reported: latency percentiles and status codes per kind.

    .venv/bin/python bench/fair_sparql_bench.py --seconds 40 --slow 2 --quick 4 --json bench/results/fair_sparql.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from load_bench import GENEROUS, HOST, REPO, _free_port, _pct, _start_server  # noqa: E402

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "ASK { <https://w3id.org/kringloop/id/gemeente/24062> ?p ?o }"


def _client(url: str, source: str, query: str, pause: float, stop: threading.Event,
            out: list[tuple[float, int]]) -> None:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(base_url=url, transport=transport, timeout=30) as http:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                status = http.post("/sparql", content=query.encode(),
                                   headers={"content-type": "application/sparql-query"}).status_code
            except httpx.HTTPError:
                status = 0
            out.append((time.perf_counter() - started, status))
            stop.wait(pause)


def run(*, seconds: float, slow: int, quick: int, build_dir: Path) -> dict:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="kringloop-fair-") as tmp:
        env = {**os.environ, "KRINGLOOP_BUILD_DIR": str(build_dir), "KRINGLOOP_STORE_PATH": str(build_dir / "store"),
               "KRINGLOOP_STATE_DIR": str(Path(tmp) / "var"), "KRINGLOOP_RATE_LIMITS": json.dumps(GENEROUS),
               "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "KRINGLOOP_EMBEDDING_MODEL": "hashing"}
        process = _start_server(port, env, Path(tmp) / "server.log")
        url = f"http://{HOST}:{port}"
        stop = threading.Event()
        heavy: list[tuple[float, int]] = []
        light: list[tuple[float, int]] = []
        threads = [threading.Thread(target=_client, args=(url, f"127.0.0.{2 + n}", HEAVY, 0.0, stop, heavy))
                   for n in range(slow)]
        threads += [threading.Thread(target=_client, args=(url, f"127.0.1.{2 + n}", SIMPLE, 0.2, stop, light))
                    for n in range(quick)]
        try:
            for thread in threads:
                thread.start()
            time.sleep(seconds)
            stop.set()
            for thread in threads:
                thread.join(40)
        finally:
            process.terminate()
            process.wait(20)
    quick_ok = [t for t, s in light if s == 200]
    return {"seconds": seconds, "slow_clients": slow, "quick_clients": quick,
            "quick": {"requests": len(light), "statuses": dict(Counter(s for _, s in light)),
                      "p50_ms": round(1000 * _pct(quick_ok, 0.5), 1), "p95_ms": round(1000 * _pct(quick_ok, 0.95), 1),
                      "max_ms": round(1000 * max(quick_ok, default=float("nan")), 1)},
            "slow": {"requests": len(heavy), "statuses": dict(Counter(s for _, s in heavy))}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=40)
    ap.add_argument("--slow", type=int, default=2)
    ap.add_argument("--quick", type=int, default=4)
    ap.add_argument("--build", type=Path, default=REPO / "build")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result = run(seconds=min(args.seconds, 120), slow=min(args.slow, 8), quick=min(args.quick, 16),
                 build_dir=args.build)
    q = result["quick"]
    print(f"{args.slow} slow clients, {args.quick} quick clients, {args.seconds:g} s")
    print(f"quick ASK: {q['requests']} requests, statuses {q['statuses']}; p50 {q['p50_ms']} ms, "
          f"p95 {q['p95_ms']} ms, max {q['max_ms']} ms")
    print(f"slow COUNT: {result['slow']['requests']} requests, statuses {result['slow']['statuses']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

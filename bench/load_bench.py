"""Load: concurrent clients on /sparql (the example queries) and /api/v1/recommendations, with a health probe.

Starts the real server (``uvicorn api.app:create_app``) on 127.0.0.1 in a subprocess, with its own
temporary state dir, and runs ``--clients`` client threads for ``--seconds`` (at most 120). Each
client alternates a SPARQL example query (``kg/queries/examples/*.rq``, round robin, POSTed as
``application/sparql-query``) and a recommendations request (a NIS code from a fixed list, or a
profile only). A separate probe GETs ``/health`` every 0.25 s with a 1 s timeout.

Reports per endpoint: requests, throughput, p50/p99/max latency and errors (non-2xx or no answer),
and for the probe: the slowest answer and how many took longer than 1 s.

    .venv/bin/python bench/load_bench.py --seconds 60 --clients 8 --json bench/results/load_bench.json

All clients share one IP (127.0.0.1), so the per-client rate limits are raised for the run
(``KRINGLOOP_RATE_LIMITS``): this measures capacity, not the limiter. ``--default-limits`` keeps the
shipped limits instead (most requests then get 429, which is the limiter working).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

HOST = "127.0.0.1"  # loopback only: this script never sends traffic anywhere else
MAX_SECONDS, MAX_CLIENTS = 120, 32
NIS_CODES = ["24062", "11002", "44021", "71022", "31005", "12025", "23106", "46030", "35013", "73107"]
PROFILE = {"profile": {"government_type": "gemeente", "province": "Limburg", "population": 12000,
                       "maturity": "verkennend", "themes": ["hergebruik-herstel"], "instruments": ["circulair-aankopen"],
                       "barriers": ["middelen-menskracht"], "drivers": ["klimaat"],
                       "description": "Wij willen een kringwinkel en een repair café opstarten."}, "limit": 10}
GENEROUS = {name: [10_000, 10_000] for name in ("sparql", "recommendations", "registrations", "curation", "cops")}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {"sparql": [], "recommendations": []}
        self.statuses: dict[str, Counter] = {"sparql": Counter(), "recommendations": Counter()}
        self.error_samples: list[str] = []

    def add(self, kind: str, seconds: float, status: int | str, detail: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            if not (isinstance(status, int) and status < 400) and len(self.error_samples) < 10:
                self.error_samples.append(f"{kind} {status} {detail[:200]}")


def _client(url: str, queries: list[tuple[str, str]], stop: threading.Event, rec: Recorder, offset: int) -> None:
    n = offset
    with httpx.Client(base_url=url, timeout=30) as http:
        while not stop.is_set():
            name, text = queries[n % len(queries)]
            started = time.perf_counter()
            try:
                answer = http.post("/sparql", content=text.encode(),
                                   headers={"content-type": "application/sparql-query",
                                            "accept": "application/sparql-results+json, text/turtle;q=0.9"})
                rec.add("sparql", time.perf_counter() - started, answer.status_code, f"{name}: {answer.text[:150]}")
            except httpx.HTTPError as exc:
                rec.add("sparql", time.perf_counter() - started, type(exc).__name__, name)
            if stop.is_set():
                break
            body = PROFILE if n % 4 == 3 else {"nis_code": NIS_CODES[n % len(NIS_CODES)], "limit": 10}
            started = time.perf_counter()
            try:
                answer = http.post("/api/v1/recommendations", json=body)
                rec.add("recommendations", time.perf_counter() - started, answer.status_code, answer.text[:150])
            except httpx.HTTPError as exc:
                rec.add("recommendations", time.perf_counter() - started, type(exc).__name__, "")
            n += 1


def _probe(url: str, stop: threading.Event, out: list[tuple[float, bool]]) -> None:
    with httpx.Client(base_url=url, timeout=1.0) as http:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ok = http.get("/health").status_code == 200
            except httpx.HTTPError:
                ok = False
            out.append((time.perf_counter() - started, ok))
            stop.wait(0.25)


def _start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", HOST,
                                "--port", str(port), "--log-level", "warning"],
                               cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited during start-up; see {log}")
        try:
            if httpx.get(f"http://{HOST}:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start within 180 s")


def run(*, seconds: float, clients: int, build_dir: Path, default_limits: bool) -> dict:
    queries = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((REPO / "kg/queries/examples").glob("*.rq"))]
    if not queries:
        raise SystemExit("no example queries in kg/queries/examples")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="kringloop-load-") as tmp:
        env = {**os.environ, "KRINGLOOP_BUILD_DIR": str(build_dir), "KRINGLOOP_STORE_PATH": str(build_dir / "store"),
               "KRINGLOOP_STATE_DIR": str(Path(tmp) / "var"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        if not default_limits:
            env["KRINGLOOP_RATE_LIMITS"] = json.dumps(GENEROUS)
        server = _start_server(port, env, Path(tmp) / "server.log")
        url = f"http://{HOST}:{port}"
        try:
            with httpx.Client(base_url=url, timeout=120) as warm:  # first use loads models and caches
                warm.post("/api/v1/recommendations", json={"nis_code": "24062", "limit": 3})
                warm.post("/sparql", content=queries[0][1].encode(), headers={"content-type": "application/sparql-query"})
            rec, probes, stop = Recorder(), [], threading.Event()
            threads = [threading.Thread(target=_client, args=(url, queries, stop, rec, i * 3)) for i in range(clients)]
            threads.append(threading.Thread(target=_probe, args=(url, stop, probes)))
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            stop.wait(seconds)
            stop.set()
            for thread in threads:
                thread.join(60)
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
    report: dict = {"seconds": round(elapsed, 1), "clients": clients, "queries": len(queries),
                    "rate_limits": "shipped" if default_limits else "raised", "endpoints": {}}
    for kind, values in rec.latencies.items():
        statuses = rec.statuses[kind]
        errors = sum(v for k, v in statuses.items() if not (isinstance(k, int) and k < 400))
        report["endpoints"][kind] = {
            "requests": len(values), "per_second": round(len(values) / elapsed, 2),
            "p50_ms": round(_pct(values, 0.50) * 1000, 1), "p99_ms": round(_pct(values, 0.99) * 1000, 1),
            "max_ms": round(max(values, default=0) * 1000, 1), "errors": errors,
            "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)}}
    latencies = [s for s, _ in probes]
    report["health"] = {"probes": len(probes), "failed_or_over_1s": sum(1 for s, ok in probes if not ok or s > 1.0),
                        "p99_ms": round(_pct(latencies, 0.99) * 1000, 1),
                        "max_ms": round(max(latencies, default=0) * 1000, 1)}
    report["error_samples"] = rec.error_samples
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--build-dir", type=Path, default=REPO / "build")
    parser.add_argument("--default-limits", action="store_true", help="keep the shipped per-client rate limits")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.clients <= MAX_CLIENTS:
        parser.error(f"--seconds must be in (0, {MAX_SECONDS}] and --clients in (0, {MAX_CLIENTS}]")
    if not (args.build_dir / "store" / "CURRENT").exists():
        parser.error(f"no built store in {args.build_dir}; run 'kringloop build' first")
    report = run(seconds=args.seconds, clients=args.clients, build_dir=args.build_dir.resolve(),
                 default_limits=args.default_limits)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    endpoints = report["endpoints"]
    print(f"\nsparql: {endpoints['sparql']['per_second']} req/s, p50 {endpoints['sparql']['p50_ms']} ms, "
          f"p99 {endpoints['sparql']['p99_ms']} ms, errors {endpoints['sparql']['errors']}; "
          f"recommendations: {endpoints['recommendations']['per_second']} req/s, p50 "
          f"{endpoints['recommendations']['p50_ms']} ms, p99 {endpoints['recommendations']['p99_ms']} ms, "
          f"errors {endpoints['recommendations']['errors']}; health: max {report['health']['max_ms']} ms, "
          f"{report['health']['failed_or_over_1s']} of {report['health']['probes']} probes failed or > 1 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

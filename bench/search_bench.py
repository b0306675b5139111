"""Search latency over the examples of issue 14: the engine in this process, and optionally over HTTP.

    .venv/bin/python bench/search_bench.py                                  # uses build/store
    .venv/bin/python bench/search_bench.py --url http://127.0.0.1:8000 --json bench/results/search_bench.json

Prints the time to build the index from the store (once per store generation) and p50/p95 per query,
warm (the index built), first page of 20 practices with facets. With ``--url``, the same queries go to
``/api/v1/browse/search`` of a running server (its index warmed by one request first).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api.search import SearchEngine, SearchRequest
from kg.store import GraphStore

# the searches a newcomer tried (issue 14), plus a facet, a late page and a three-word query
EXAMPLES: list[tuple[str, dict[str, list[str]], int]] = [
    ("leuvn", {}, 1), ("Herentout", {}, 1), ("reusable cups", {}, 1), ("Fost Plus", {}, 1),
    ("circulair bouwen", {}, 1), ("circulair", {}, 1), ("circulair", {"theme": ["textiel"], "status": ["lopend"]}, 1),
    ("circulair", {}, 5), ("herbruikbare bekers evenementen", {}, 1), ("hergebruk", {"theme": ["hergebruik-herstel"]}, 3),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(times: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(times) * 1000, 2), "p95_ms": round(percentile(times, 0.95) * 1000, 2)}


def label(q: str, filters: dict, page: int) -> str:
    extra = "".join(f" {k}={','.join(v)}" for k, v in filters.items()) + (f" page={page}" if page > 1 else "")
    return q + extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=REPO / "build" / "store")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--url", help="also measure over HTTP against this running server")
    parser.add_argument("--json", type=Path, help="write the numbers here")
    args = parser.parse_args()

    store = GraphStore.open(args.store)
    started = time.perf_counter()
    engine = SearchEngine.from_store(store)
    build_s = time.perf_counter() - started
    print(f"index built in {build_s:.2f} s")

    report: dict = {"index_build_s": round(build_s, 3), "repeat": args.repeat, "engine": {}, "http": {}}
    every: list[float] = []
    for q, filters, page in EXAMPLES:
        request = SearchRequest(q=q, filters={k: tuple(v) for k, v in filters.items()}, page=page)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = engine.search(request)
            times.append(time.perf_counter() - t0)
        every += times
        report["engine"][label(q, filters, page)] = {**summary(times), "cases_total": result["cases_total"]}
    report["engine"]["all"] = summary(every)

    if args.url:
        import httpx

        with httpx.Client(base_url=args.url, timeout=60) as client:
            client.get("/api/v1/browse/search", params={"q": "warm"})
            every = []
            for q, filters, page in EXAMPLES:
                params = [("q", q), ("page", str(page))] + [(k, v) for k, vs in filters.items() for v in vs]
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    client.get("/api/v1/browse/search", params=params).raise_for_status()
                    times.append(time.perf_counter() - t0)
                every += times
                report["http"][label(q, filters, page)] = summary(times)
            report["http"]["all"] = summary(every)

    width = max(len(k) for k in report["engine"])
    print(f"{'query':<{width}}  engine p50/p95 ms   found   http p50/p95 ms")
    for key, numbers in report["engine"].items():
        http = report["http"].get(key)
        print(f"{key:<{width}}  {numbers['p50_ms']:>6} / {numbers['p95_ms']:<8}  {numbers.get('cases_total', ''):>5}"
              + (f"   {http['p50_ms']:>6} / {http['p95_ms']}" if http else ""))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Per-request latency of the recommender, as a multiple of one encoder forward pass of the query.

The floor is what no recommender with a text encoder can avoid: encoding the query text once.
Each request runs warm (model loaded, index fitted) and includes validation, every scorer, the
diversity re-rank and the reasons; we report p50 and p95 over all requests and repetitions.

    .venv/bin/python bench/recommender/latency.py                                   # Flanders
    .venv/bin/python bench/recommender/synthetic.py                                 # build the synthetic store once
    .venv/bin/python bench/recommender/latency.py --store build/synthetic-store --synthetic
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from kg.store import GraphStore  # noqa: E402
from recommender import Recommender, load_encoder, load_knowledge  # noqa: E402
from recommender.text import query_text  # noqa: E402


PROVINCES = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=ROOT / "build" / "store")
    ap.add_argument("--model", default="use-multilingual")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--synthetic", action="store_true", help="profiles without the real NIS codes (synthetic store)")
    ap.add_argument("--ppr-iter", type=int, default=10)
    args = ap.parse_args()

    rss0 = rss_mb()
    t = time.perf_counter()
    encoder = load_encoder(args.model)
    encoder.encode(["opwarmen"])
    t_model = time.perf_counter() - t
    rss_model = rss_mb()
    t = time.perf_counter()
    kb = load_knowledge(GraphStore.open(args.store))
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    rec = Recommender(encoder=encoder, ppr_iter=args.ppr_iter).fit(kb)
    t_fit = time.perf_counter() - t
    rss_fit = rss_mb()
    print(f"fit/index {t_fit:.1f} s on {len(kb.cases)} cases", flush=True)
    idx = rec.index_
    index_mb = (idx.case_vectors.nbytes + idx.participation.data.nbytes * 3 + idx.lexical.matrix_t_.data.nbytes
                + idx.ppr.transition.data.nbytes * 2 + idx.case_themes.nbytes + idx.case_instruments.nbytes) / 2**20

    devset = yaml.safe_load((Path(__file__).with_name("devset.yaml")).read_text(encoding="utf-8"))["profiles"]
    requests = []
    for p in devset:
        req = dict(p["request"])
        if args.synthetic:
            req.pop("nis_code", None)
            if not req.get("profile"):
                continue
            req["profile"] = dict(req["profile"])
            if "province" in req["profile"]:   # the synthetic graph has its own five provinces
                req["profile"]["province"] = f"Synthetisch-{PROVINCES.index(req['profile']['province'])}"
        requests.append(req)
    if args.synthetic:   # and a few graph-derived profiles of synthetic municipalities
        requests += [{"nis_code": f"S{i:07d}"} for i in (0, 17, 4242, 31337, 77777) if f"S{i:07d}" in kb.by_nis()]

    texts = [query_text(rec.resolve(**r), kb) for r in requests]
    for text in texts:
        encoder.encode([text])
    for r in requests:                                     # warm-up pass
        rec.recommend(**r, limit=10)
    # floor and request are timed back to back, so both see the same load on a shared machine
    floor, lat, ratios = [], [], []
    for _ in range(args.repeat):
        for text, r in zip(texts, requests):
            s = time.perf_counter()
            encoder.encode([text])
            f = time.perf_counter() - s
            s = time.perf_counter()
            rec.recommend(**r, limit=10)
            x = time.perf_counter() - s
            floor.append(f), lat.append(x), ratios.append(x / f)
    f50 = statistics.median(floor)
    print(f"store {args.store}: {len(kb.governments)} governments, {len(kb.cases)} cases; model {args.model}")
    print(f"model load {t_model:.2f} s (+{rss_model - rss0:.0f} MB); graph read {t_load:.2f} s; fit/index {t_fit:.2f} s; "
          f"RSS after fit {rss_fit:.0f} MB (fit added {rss_fit - rss_model:.0f} MB; index arrays ~{index_mb:.0f} MB)")
    print(f"{len(requests)} requests x {args.repeat}: floor (one encoder pass) p50 {1000 * f50:.2f} ms, "
          f"p95 {1000 * pct(floor, 95):.2f} ms")
    print(f"request p50 {1000 * pct(lat, 50):.2f} ms, p95 {1000 * pct(lat, 95):.2f} ms, max {1000 * max(lat):.1f} ms")
    print(f"ratio to floor (p50 of floor): p50 {pct(lat, 50) / f50:.2f}x, p95 {pct(lat, 95) / f50:.2f}x; "
          f"paired ratio request/floor: median {pct(ratios, 50):.2f}x, p95 {pct(ratios, 95):.2f}x")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

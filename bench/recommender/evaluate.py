"""Evaluate the recommender on the development set: nDCG@10, recall@10 and MRR for practices and peers,
against baselines (random, popularity, same province, TF-IDF only, embeddings only) and ablations,
with cross-validated scorer weights.

    .venv/bin/python bench/recommender/evaluate.py                 # USE multilingual (default)
    .venv/bin/python bench/recommender/evaluate.py --model minilm
    .venv/bin/python bench/recommender/evaluate.py --tune          # + 5-fold cross-validated weights
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
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

K = 10
SCORERS = ["topical", "barrier", "semantic", "lexical", "graph", "context", "frontrunner"]
GRID = [0.0, 0.25, 0.5, 1.0, 2.0]
# Floors kept by the tuning: text embeddings carry English and paraphrased profiles (1 of 27 here, more in
# real use), and the issue asks for barrier fit and the front-runner gap to count; the dev set alone
# (one judge) would switch them off. The CV estimate below is of this constrained procedure.
FLOORS = {"semantic": 0.25, "barrier": 0.25, "frontrunner": 0.2}
START = {s: 1.0 for s in SCORERS}


class CachingEncoder:
    """Memoises query embeddings so that weight sweeps do not re-run the model (the ranking is unchanged)."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.cache = inner, inner.name, {}

    def encode(self, texts):
        missing = [t for t in texts if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.inner.encode(missing)):
                self.cache[t] = v
        return np.vstack([self.cache[t] for t in texts])


def load_devset(path: Path, kb) -> list[dict]:
    by_name = {g.name: g.iri for g in kb.governments.values() if not g.former}
    by_id = {c.id: c.iri for c in kb.cases.values()}
    out = []
    for p in yaml.safe_load(path.read_text(encoding="utf-8"))["profiles"]:
        out.append({"id": p["id"], "request": p["request"],
                    "practices": {by_id[c]: int(g) for g, cs in p["practices"].items() for c in cs},
                    "peers": {by_name[n]: int(g) for g, ns in p["peers"].items() for n in ns}})
    return out


def metrics(ranked: list[str], judged: dict[str, int]) -> tuple[float, float, float]:
    gains = [2 ** judged.get(x, 0) - 1 for x in ranked[:K]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2 ** g - 1 for g in judged.values()), reverse=True)[:K]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    relevant = {x for x, g in judged.items() if g > 0}
    recall = len(relevant & set(ranked[:K])) / len(relevant) if relevant else 0.0
    rr = next((1.0 / (i + 1) for i, x in enumerate(ranked) if x in relevant), 0.0)
    return (dcg / idcg if idcg else 0.0), recall, rr


def with_weights(rec: Recommender, practice: dict[str, float], peer: dict[str, float]) -> Recommender:
    clone = copy.copy(rec)   # shares the fitted index; only the weights differ
    clone.practice_weights_, clone.peer_weights_ = dict(practice), dict(peer)
    return clone


def run_model(rec: Recommender, profiles: list[dict]) -> dict[str, list[list[str]]]:
    out = {"practices": [], "peers": []}
    for p in profiles:
        r = rec.recommend(**p["request"], limit=K)
        out["practices"].append([x.iri for x in r.practices])
        out["peers"].append([x.iri for x in r.peers])
    return out


def _allowed(rec: Recommender, q):
    idx = rec.index_
    own = {c for c in idx.case_iris if q.iri and q.iri in rec.kb_.cases[c].participants}
    cases = [c for c in idx.case_iris if c not in own]
    peers = [g for g, ok in zip(idx.gov_iris, idx.peer_candidate) if ok and g != q.iri]
    return cases, peers


def baseline(rec: Recommender, profiles: list[dict], kind: str, seed: int = 0) -> dict[str, list[list[str]]]:
    kb, prof = rec.kb_, rec.profiles_
    out = {"practices": [], "peers": []}
    rng = random.Random(seed)
    for p in profiles:
        q = rec.resolve(**{k: v for k, v in p["request"].items() if k != "limit"})
        cases, peers = _allowed(rec, q)
        pop_case = {c: (len(kb.cases[c].participants), max((prof[g].cases_total for g in kb.cases[c].participants), default=0))
                    for c in cases}
        pop_peer = {g: (prof[g].cases_total, prof[g].frontrunner_score) for g in peers}
        if kind == "random":
            rc, rp = cases[:], peers[:]
            rng.shuffle(rc), rng.shuffle(rp)
        elif kind == "popularity":
            rc = sorted(cases, key=lambda c: pop_case[c], reverse=True)
            rp = sorted(peers, key=lambda g: pop_peer[g], reverse=True)
        elif kind == "same-province":
            def in_prov(g: str) -> bool:
                return bool(q.province) and prof[g].province == q.province
            rc = sorted(cases, key=lambda c: (any(in_prov(g) for g in kb.cases[c].participants), pop_case[c]), reverse=True)
            rp = sorted(peers, key=lambda g: (in_prov(g), pop_peer[g]), reverse=True)
        else:
            raise ValueError(kind)
        out["practices"].append(rc[:K])
        out["peers"].append(rp[:K])
    return out


def score_run(run: dict[str, list[list[str]]], profiles: list[dict]) -> dict[str, tuple[float, float, float]]:
    res = {}
    for what in ("practices", "peers"):
        m = np.array([metrics(r, p[what]) for r, p in zip(run[what], profiles)])
        res[what] = tuple(m.mean(axis=0))
    return res


def per_profile_ndcg(run, profiles, what: str) -> np.ndarray:
    return np.array([metrics(r, p[what])[0] for r, p in zip(run[what], profiles)])


def tune(rec: Recommender, profiles: list[dict], what: str, start: dict[str, float], rounds: int = 2) -> dict[str, float]:
    """Coordinate ascent over GRID for one list's weights, maximising mean nDCG@10 on ``profiles``."""
    best = dict(start)

    def value(w: dict[str, float]) -> float:
        model = with_weights(rec, w if what == "practices" else rec.practice_weights_, w if what == "peers" else rec.peer_weights_)
        run = {"practices": [], "peers": []}
        for p in profiles:
            r = model.recommend(**p["request"], limit=K, peers=what == "peers", practices=what == "practices")
            run[what].append([x.iri for x in (r.practices if what == "practices" else r.peers)])
        return float(per_profile_ndcg(run, profiles, what).mean())

    current = value(best)
    for _ in range(rounds):
        changed = False
        for s in SCORERS:
            for g in sorted(set(GRID) | {FLOORS.get(s, 0.0)}):
                if g == best[s] or g < FLOORS.get(s, 0.0):
                    continue
                trial = {**best, s: g}
                if sum(trial.values()) == 0:
                    continue
                v = value(trial)
                if v > current + 1e-9:
                    best, current, changed = trial, v, True
        if not changed:
            break
    return best


def cross_validate(rec: Recommender, profiles: list[dict], folds: int = 5, seed: int = 0) -> dict:
    order = list(range(len(profiles)))
    random.Random(seed).shuffle(order)
    parts = [order[i::folds] for i in range(folds)]
    result = {"practices": np.zeros(len(profiles)), "peers": np.zeros(len(profiles)), "weights": []}
    for k, test in enumerate(parts):
        train = [profiles[i] for i in order if i not in test]
        # tuning starts from uniform weights, not from the shipped ones, so the estimate does not lean on them
        wp = tune(rec, train, "practices", START)
        wq = tune(rec, train, "peers", START)
        result["weights"].append({"practices": wp, "peers": wq})
        model = with_weights(rec, wp, wq)
        test_profiles = [profiles[i] for i in test]
        run = run_model(model, test_profiles)
        for what in ("practices", "peers"):
            result[what][test] = per_profile_ndcg(run, test_profiles, what)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=ROOT / "build" / "store")
    ap.add_argument("--devset", type=Path, default=Path(__file__).with_name("devset.yaml"))
    ap.add_argument("--model", default="use-multilingual")
    ap.add_argument("--tune", action="store_true", help="also run 5-fold cross-validation of the weights")
    ap.add_argument("--json", type=Path, help="write all numbers to this file")
    args = ap.parse_args()

    kb = load_knowledge(GraphStore.open(args.store))
    started = time.perf_counter()
    rec = Recommender(encoder=CachingEncoder(load_encoder(args.model))).fit(kb)
    print(f"model {args.model}; fitted in {time.perf_counter() - started:.2f} s; "
          f"{len(kb.cases)} cases, {int(rec.index_.peer_candidate.sum())} candidate peers")
    profiles = load_devset(args.devset, kb)

    rows: dict[str, dict] = {}
    runs: dict[str, dict] = {}
    rand = [score_run(baseline(rec, profiles, "random", seed=s), profiles) for s in range(20)]
    rows["random (mean of 20 seeds)"] = {w: tuple(np.mean([r[w] for r in rand], axis=0)) for w in ("practices", "peers")}
    for kind in ("popularity", "same-province"):
        runs[kind] = baseline(rec, profiles, kind)
        rows[kind] = score_run(runs[kind], profiles)
    only = lambda name: {s: (1.0 if s == name else 0.0) for s in SCORERS}  # noqa: E731
    for label, name in (("TF-IDF only", "lexical"), ("embeddings only", "semantic")):
        runs[label] = run_model(with_weights(rec, only(name), only(name)), profiles)
        rows[label] = score_run(runs[label], profiles)
    runs["full"] = run_model(rec, profiles)
    rows["**full (shipped weights, in-sample)**"] = score_run(runs["full"], profiles)
    for s in SCORERS:
        w_pr = {**rec.practice_weights_, s: 0.0}
        w_pe = {**rec.peer_weights_, s: 0.0}
        rows[f"full − {s}"] = score_run(run_model(with_weights(rec, w_pr, w_pe), profiles), profiles)

    print(f"\n{len(profiles)} profiles; metrics @ {K}; gains 2^grade − 1\n")
    print("| system | practices nDCG@10 | recall@10 | MRR | peers nDCG@10 | recall@10 | MRR |")
    print("|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        a, b = r["practices"], r["peers"]
        print(f"| {name} | {a[0]:.3f} | {a[1]:.3f} | {a[2]:.3f} | {b[0]:.3f} | {b[1]:.3f} | {b[2]:.3f} |")

    base_names = [n for n in rows if not n.startswith(("**full", "full"))]
    for what in ("practices", "peers"):
        best = max(base_names, key=lambda n: rows[n][what][0])
        full = rows["**full (shipped weights, in-sample)**"][what][0]
        print(f"\n{what}: full {full:.3f} vs best baseline {best} {rows[best][what][0]:.3f} "
              f"({100 * (full / rows[best][what][0] - 1):+.1f} % relative)")

    out = {"model": args.model, "rows": {k: {w: list(v) for w, v in r.items()} for k, r in rows.items()}}
    if args.tune:
        started = time.perf_counter()
        cv = cross_validate(rec, profiles)
        print(f"\n5-fold cross-validation of the weights ({time.perf_counter() - started:.0f} s): held-out nDCG@10 "
              f"practices {cv['practices'].mean():.3f}, peers {cv['peers'].mean():.3f} "
              f"(shipped weights in-sample: {rows['**full (shipped weights, in-sample)**']['practices'][0]:.3f}, "
              f"{rows['**full (shipped weights, in-sample)**']['peers'][0]:.3f})")
        for k, w in enumerate(cv["weights"]):
            print(f"  fold {k}: practices {w['practices']}\n          peers     {w['peers']}")
        for what in ("practices", "peers"):
            median = {s: float(np.median([w[what][s] for w in cv["weights"]])) for s in SCORERS}
            print(f"  median over folds, {what}: {median}")
        out["cv"] = {"practices": cv["practices"].tolist(), "peers": cv["peers"].tolist(), "weights": cv["weights"]}
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

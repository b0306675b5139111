"""Evaluate the recommender on both development sets against the strong naive baselines (issue 11).

    .venv/bin/python bench/recommender/evaluate.py            # one run: everything bench/README.md reports
    .venv/bin/python bench/recommender/evaluate.py --json bench/recommender/results.json

What one run prints (all nDCG@10, gains 2^grade − 1):
- both development sets: `devset.yaml` (27 profiles, judged by the recommender's author from the whole
  catalogue: an unlisted item is 0) and `devset2.yaml` (the blind set: profiles and grades by judges who
  saw neither code nor scores, on pooled candidates; **condensed** nDCG: unjudged items are dropped from a
  ranking before it is cut at 10, so a run is never rewarded or punished for what no judge saw);
- the system **cross-validated**: 5 folds grouped by profile over both sets together; the ranking
  parameters are tuned on four folds (coordinate ascent over a small grid) and scored on the fifth; the
  fold-to-fold spread and the parameters each fold chose;
- the strong baselines (baselines.py), popularity and random, in the same run;
- ablations (one signal switched off, parameters otherwise as shipped), per dev set;
- every segment (small, town, city, supralocal, free text) for system and best baseline;
- exposure: how often each government is in the top 5 peers over both sets (cross-validated runs).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import math
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from baselines import StrongBaselines  # noqa: E402

from kg.store import GraphStore  # noqa: E402
from recommender import Recommender, load_encoder, load_knowledge  # noqa: E402
from recommender.ranking import RankingParams  # noqa: E402

K = 10
DEPTH = 60            # rankings are read this deep so that a condensed list still has 10 judged items
FOLDS = 5
SEGMENTS = ("small", "town", "city", "supralocal", "freetext")
GRID: dict[str, list[float]] = {
    "text_share": [0.4, 0.6, 0.8, 1.0],
    "semantic_share": [0.25, 0.5, 0.75],
    "history_share": [0.0, 0.5, 1.0],
    "context_lift": [0.0, 0.2, 0.35, 0.6],
    "peer_context_lift": [0.0, 0.25, 0.5, 1.0, 2.0, 4.0],
    "kind_lift": [0.0, 0.5, 1.0, 2.0, 4.0, 8.0],
    "frontrunner_lift": [0.0, 0.1, 0.3],
    "barrier_lift": [0.0, 0.1, 0.3],
    "graph_lift": [0.0, 0.2],
    "sharpen": [1.0, 2.0, 3.0, 4.0],
    "decay": [0.15, 0.3, 0.5, 0.8],
}
# Where tuning starts in every fold: the values written before any dev-set number was seen, so a held-out
# fold never benefits from parameters chosen on all profiles (the shipped defaults were chosen that way).
NEUTRAL_START = RankingParams(text_share=0.6, semantic_share=0.5, history_share=0.5, context_lift=0.35,
                              peer_context_lift=0.5, kind_lift=1.0, frontrunner_lift=0.1, barrier_lift=0.1,
                              graph_lift=0.0, sharpen=2.0, decay=0.5)
ABLATIONS = {
    "codes only (no words)": {"text_share": 0.0},
    "words only (no codes)": {"text_share": 1.0},
    "words: n-grams only": {"semantic_share": 0.0},
    "words: embeddings only": {"semantic_share": 1.0},
    "no context lift": {"context_lift": 0.0, "peer_context_lift": 0.0},
    "no kind match": {"kind_lift": 0.0},
    "with front-runner gap (0.1)": {"frontrunner_lift": 0.1},
    "with barrier fit (0.1)": {"barrier_lift": 0.1},
    "no graph proximity (PageRank)": {"graph_lift": 0.0},
    "peers: plain sum (no sharpening, no decay)": {"sharpen": 1.0, "decay": 1.0},
}


class CachingEncoder:
    """Memoises query embeddings so that parameter sweeps do not re-run the model (rankings are unchanged)."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.cache = inner, inner.name, {}

    def encode(self, texts):
        missing = [t for t in texts if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.inner.encode(missing)):
                self.cache[t] = v
        return np.vstack([self.cache[t] for t in texts])


# --- the development sets ------------------------------------------------------------------------

def segment_of(request: dict, kb) -> str:
    profile = request.get("profile") or {}
    if request.get("nis_code"):
        g = kb.governments[kb.by_nis()[request["nis_code"]]]
        if g.centrumstad or g.type == "centrumstad":
            return "city"
        return "small" if (g.population or 0) < 20_000 else "town"
    if profile.get("government_type") in ("provincie", "intergemeentelijk", "pom"):
        return "supralocal"
    if set(profile) <= {"description", "name"}:
        return "freetext"
    return "supralocal" if profile.get("government_type") else "freetext"


def load_devset(path: Path, kb, name: str, *, condensed: bool) -> list[dict]:
    by_name = {g.name: g.iri for g in kb.governments.values() if not g.former}
    by_id = {c.id: c.iri for c in kb.cases.values()}
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for p in doc["profiles"]:
        if "judgments" in p:        # devset2: every pooled item graded, 0 included
            practices = {by_id[c]: int(g) for c, g in p["judgments"]["practices"].items()}
            peers = {by_name[n]: int(g) for n, g in p["judgments"]["peers"].items()}
        else:                       # devset: grade -> items; unlisted = 0
            practices = {by_id[c]: int(g) for g, cs in p["practices"].items() for c in cs}
            peers = {by_name[n]: int(g) for g, ns in p["peers"].items() for n in ns}
        out.append({"id": f"{name}:{p['id']}", "set": name, "request": p["request"], "condensed": condensed,
                    "segment": p.get("segment") or segment_of(p["request"], kb),
                    "practices": practices, "peers": peers})
    return out


# --- metrics -------------------------------------------------------------------------------------

def ndcg(ranked: list[str], judged: dict[str, int], condensed: bool) -> float:
    if condensed:
        ranked = [x for x in ranked if x in judged]
    gains = [2 ** judged.get(x, 0) - 1 for x in ranked[:K]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2 ** g - 1 for g in judged.values()), reverse=True)[:K]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def scores(run: dict[str, list[list[str]]], profiles: list[dict]) -> dict[str, np.ndarray]:
    return {what: np.array([ndcg(r, p[what], p["condensed"]) for r, p in zip(run[what], profiles)])
            for what in ("practices", "peers")}


# --- runs ----------------------------------------------------------------------------------------

def with_params(rec: Recommender, params: RankingParams) -> Recommender:
    """The fitted recommender with other ranking parameters (the index is shared, not copied)."""
    model = copy.copy(rec)
    model.params_ = params
    return model


def run_system(rec: Recommender, profiles: list[dict]) -> dict[str, list[list[str]]]:
    out = {"practices": [], "peers": []}
    for p in profiles:
        r = rec.recommend(**p["request"], limit=DEPTH)
        out["practices"].append([x.iri for x in r.practices])
        out["peers"].append([x.iri for x in r.peers])
    return out


def run_baselines(rec: Recommender, base: StrongBaselines, profiles: list[dict]) -> dict[str, dict]:
    kb, prof = rec.kb_, rec.profiles_
    runs = {"strong baseline": {"practices": [], "peers": []}, "popularity": {"practices": [], "peers": []},
            "random (seed 0)": {"practices": [], "peers": []}}
    rng = random.Random(0)
    for p in profiles:
        runs["strong baseline"]["practices"].append(base.practices(p["request"], DEPTH))
        runs["strong baseline"]["peers"].append(base.peers(p["request"], DEPTH))
        q = rec.resolve(**p["request"])
        cases = [c for c in base.case_iris if not (q.iri and q.iri in kb.cases[c].participants)]
        peers = sorted(g for g in base.peer_ok if g != q.iri)
        runs["popularity"]["practices"].append(sorted(cases, key=lambda c: -len(kb.cases[c].participants))[:DEPTH])
        runs["popularity"]["peers"].append(sorted(peers, key=lambda g: -prof[g].cases_total)[:DEPTH])
        rng.shuffle(cases), rng.shuffle(peers)
        runs["random (seed 0)"]["practices"].append(cases[:DEPTH])
        runs["random (seed 0)"]["peers"].append(peers[:DEPTH])
    return runs


def objective(rec: Recommender, profiles: list[dict], params: RankingParams) -> float:
    s = scores(run_system(with_params(rec, params), profiles), profiles)
    return float(s["practices"].mean() + s["peers"].mean())


def tune(rec: Recommender, profiles: list[dict], start: RankingParams, rounds: int = 2) -> RankingParams:
    """Coordinate ascent over GRID, maximising mean practice nDCG + mean peer nDCG on ``profiles``."""
    best, current = start, objective(rec, profiles, start)
    for _ in range(rounds):
        changed = False
        for name, values in GRID.items():
            for value in values:
                if value == getattr(best, name):
                    continue
                trial = dataclasses.replace(best, **{name: value})
                v = objective(rec, profiles, trial)
                if v > current + 1e-6:
                    best, current, changed = trial, v, True
        if not changed:
            break
    return best


def cross_validate(rec: Recommender, profiles: list[dict], seed: int = 0) -> dict:
    """Grouped by profile: each profile is in exactly one test fold; folds stratified by dev set."""
    order = sorted(range(len(profiles)), key=lambda i: (profiles[i]["set"], random.Random(seed + i).random()))
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    run = {"practices": [None] * len(profiles), "peers": [None] * len(profiles)}
    chosen, fold_scores = [], []
    for k, test in enumerate(folds):
        train = [profiles[i] for i in range(len(profiles)) if i not in set(test)]
        params = tune(rec, train, NEUTRAL_START)
        chosen.append(dataclasses.asdict(params))
        test_profiles = [profiles[i] for i in test]
        test_run = run_system(with_params(rec, params), test_profiles)
        s = scores(test_run, test_profiles)
        fold_scores.append({w: float(s[w].mean()) for w in s})
        for j, i in enumerate(test):
            run["practices"][i] = test_run["practices"][j]
            run["peers"][i] = test_run["peers"][j]
        print(f"  fold {k}: held-out practices {fold_scores[-1]['practices']:.3f}, peers {fold_scores[-1]['peers']:.3f}; "
              f"chosen {chosen[-1]}", flush=True)
    return {"run": run, "params": chosen, "fold_scores": fold_scores}


# --- reporting -----------------------------------------------------------------------------------

def table(rows: dict[str, dict[str, np.ndarray]], profiles: list[dict]) -> None:
    sets = sorted({p["set"] for p in profiles})
    head = " | ".join(f"{s} practices | {s} peers" for s in sets)
    print(f"| run | {head} |")
    print("|---" * (1 + 2 * len(sets)) + "|")
    for name, s in rows.items():
        cells = []
        for st in sets:
            mask = np.array([p["set"] == st for p in profiles])
            cells += [f"{s['practices'][mask].mean():.3f}", f"{s['peers'][mask].mean():.3f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")


def exposure(run: dict[str, list[list[str]]], rec: Recommender, top: int = 5) -> list[tuple[str, int, float]]:
    counts = Counter(g for ranked in run["peers"] for g in ranked[:top])
    n = len(run["peers"])
    return [(rec.kb_.governments[g].name, c, c / n) for g, c in counts.most_common(10)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=ROOT / "build" / "store")
    ap.add_argument("--model", default="use-multilingual")
    ap.add_argument("--json", type=Path, help="write all numbers to this file")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation (quick look, in-sample only)")
    ap.add_argument("--only", choices=("dev1", "dev2"), help="one development set only (quick looks)")
    args = ap.parse_args()

    kb = load_knowledge(GraphStore.open(args.store))
    started = time.perf_counter()
    rec = Recommender(encoder=CachingEncoder(load_encoder(args.model))).fit(kb)
    base = StrongBaselines(rec)
    profiles = load_devset(HERE / "devset.yaml", kb, "dev1", condensed=False) + \
        load_devset(HERE / "devset2.yaml", kb, "dev2", condensed=True)
    if args.only:
        profiles = [p for p in profiles if p["set"] == args.only]
    print(f"model {args.model}; fitted in {time.perf_counter() - started:.1f} s; {len(kb.cases)} cases; "
          f"{len(profiles)} profiles ({Counter(p['set'] for p in profiles)}); nDCG@{K}, dev2 condensed\n")

    rows: dict[str, dict[str, np.ndarray]] = {}
    runs: dict[str, dict] = {}
    for name, run in run_baselines(rec, base, profiles).items():
        runs[name], rows[name] = run, scores(run, profiles)
    out: dict = {"model": args.model, "profiles": [p["id"] for p in profiles]}
    if not args.no_cv:
        print(f"{FOLDS}-fold cross-validation, grouped by profile, over both sets:")
        t = time.perf_counter()
        cv = cross_validate(rec, profiles)
        print(f"  ({time.perf_counter() - t:.0f} s)")
        runs["Kringloop (cross-validated)"] = cv["run"]
        rows["Kringloop (cross-validated)"] = scores(cv["run"], profiles)
        spread = {w: np.std([f[w] for f in cv["fold_scores"]]) for w in ("practices", "peers")}
        print(f"  fold-to-fold spread (std of fold means): practices {spread['practices']:.3f}, peers {spread['peers']:.3f}")
        median = {n: float(np.median([c[n] for c in cv["params"]])) for n in GRID}
        print(f"  median of the folds' choices (the shipped defaults should be these): {median}")
        print(f"  shipped defaults: {dataclasses.asdict(RankingParams())}")
        out["cv"] = {"params": cv["params"], "fold_scores": cv["fold_scores"]}
    shipped = rec.params_
    runs["Kringloop (shipped parameters, in-sample)"] = run_system(rec, profiles)
    rows["Kringloop (shipped parameters, in-sample)"] = scores(runs["Kringloop (shipped parameters, in-sample)"], profiles)
    for label, change in ABLATIONS.items():
        rows[f"ablation: {label}"] = scores(run_system(with_params(rec, dataclasses.replace(shipped, **change)), profiles),
                                            profiles)

    print("\n## All runs, per development set\n")
    table(rows, profiles)

    system = "Kringloop (cross-validated)" if "Kringloop (cross-validated)" in rows else \
        "Kringloop (shipped parameters, in-sample)"
    print(f"\n## {system} against the strong baseline, per segment\n")
    print("| set | segment | n | practices: Kringloop | baseline | ratio | peers: Kringloop | baseline | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    summary = {}
    for st in ("dev1", "dev2", "both"):
        for seg in ("all",) + SEGMENTS:
            mask = np.array([(st == "both" or p["set"] == st) and (seg == "all" or p["segment"] == seg) for p in profiles])
            if not mask.any():
                continue
            cells = []
            for what in ("practices", "peers"):
                a, b = rows[system][what][mask].mean(), rows["strong baseline"][what][mask].mean()
                cells += [f"{a:.3f}", f"{b:.3f}", f"x{a / b:.2f}" if b else "–"]
                summary[f"{st}/{seg}/{what}"] = {"system": float(a), "baseline": float(b), "n": int(mask.sum())}
            print(f"| {st} | {seg} | {int(mask.sum())} | " + " | ".join(cells) + " |")
    out["summary"] = summary

    print(f"\n## Exposure: governments most often in the top 5 peers ({system}, {len(profiles)} lists)\n")
    print("| government | lists | share |")
    print("|---|---|---|")
    for name, c, share in exposure(runs[system], rec):
        print(f"| {name} | {c} | {100 * share:.0f} % |")
    base_top = exposure(runs["strong baseline"], rec)[0]
    print(f"\n(strong baseline: most exposed {base_top[0]} in {100 * base_top[2]:.0f} % of the top-5 lists)")
    out["exposure"] = exposure(runs[system], rec)
    out["rows"] = {n: {w: v.tolist() for w, v in s.items()} for n, s in rows.items()}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

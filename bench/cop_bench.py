"""Benchmark of the CoP planner: all 285 municipalities over the 3 CoPs and 2 coaching tracks.

For each scenario it builds one request, solves it with the MILP (HiGHS via scipy) and the greedy baseline in
the same run, and prints status, proven gap, solve time and both objectives. Participants are the 285 current
municipalities with their graph profiles (maturity, case interests, neighbours, associations). The graph has
no registrations yet, so the "registrations" scenarios add a seeded, synthetic sign-up per municipality (1-2
groups it is interested in, capacity and willingness to share); "graph-only" uses the graph alone.

    .venv/bin/python bench/cop_bench.py                 # uses build/store, or builds the graph into a temp dir
    .venv/bin/python bench/cop_bench.py --repeat 3 --json bench/results/cop_bench.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.build import build  # noqa: E402
from kg.errors import StoreMissing  # noqa: E402
from kg.namespaces import DEFAULT_BASE_IRI  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from recommender.cop import problem_from_request, solve, solve_greedy  # noqa: E402
from recommender.profiles import load_profiles  # noqa: E402

GROUPS = ["cop-circulair-aankopen", "cop-stadsontwikkeling", "cop-monitoring", "traject-strategie",
          "traject-pilootproject"]
# what signing up for a group says about a participant's interests (the group's topic or support form)
SIGN_UP = {"cop-circulair-aankopen": ("instruments", "circulair-aankopen"),
           "cop-stadsontwikkeling": ("themes", "stadsontwikkeling"),
           "cop-monitoring": ("instruments", "monitoring"),
           "traject-strategie": ("support_forms", "begeleiding-strategie"),
           "traject-pilootproject": ("support_forms", "begeleiding-pilootproject")}


def synthetic_registrations(nis_codes: list[str], *, seed: int) -> list[dict[str, Any]]:
    """One seeded sign-up per municipality: 1 or 2 groups of interest, capacity, willingness to share."""
    rng = random.Random(seed)
    out = []
    for nis in nis_codes:
        profile: dict[str, Any] = {}
        for code in rng.sample(GROUPS, rng.choice([1, 1, 2])):
            key, topic = SIGN_UP[code]
            profile.setdefault(key, {})[topic] = round(rng.uniform(0.4, 1.0), 2)
        profile["capacity"] = round(rng.random(), 2)
        profile["willingness_to_share"] = round(rng.random(), 2)
        out.append({"nis_code": nis, "profile": profile})
    return out


def scenarios(nis_codes: list[str], *, seed: int) -> dict[str, dict[str, Any]]:
    registered = synthetic_registrations(nis_codes, seed=seed)
    partition_groups = [{"code": g, "min_size": 40, "max_size": 70} for g in GROUPS]
    partition_rules = {"exactly_one_group": True, "min_frontrunners_per_group": 2, "max_per_province": 20,
                       "maturity_mix": {"late-majority": {"max_share": 0.8}}}
    seats_groups = ([{"code": g, "min_size": 8, "max_size": 20} for g in GROUPS[:3]]
                    + [{"code": g, "min_size": 4, "max_size": 12} for g in GROUPS[3:]])
    seats_rules = {"min_frontrunners_per_group": 1, "max_per_province": 6}
    signed_up = [{"nis_code": r["nis_code"],
                  "profile": {**r["profile"], "groups": [code for code, (key, topic) in SIGN_UP.items()
                                                         if topic in r["profile"].get(key, {})]}}
                 for r in registered]
    multi_rules = {"max_groups_per_participant": 2, "min_frontrunners_per_group": 1, "max_per_province": 10,
                   "government_type_mix": {"centrumstad": {"max": 3}},
                   "maturity_mix": {"late-majority": {"max_share": 0.75}}}
    return {
        "partition-registrations": {"participants": registered, "groups": partition_groups,
                                    "constraints": partition_rules},
        "partition-graph-only": {"participants": [{"nis_code": n} for n in nis_codes], "groups": partition_groups,
                                 "constraints": partition_rules},
        "seats-registrations": {"participants": registered, "groups": seats_groups, "constraints": seats_rules},
        "signed-up-two-groups": {"participants": signed_up,
                                 "groups": [{"code": g, "min_size": 10, "max_size": 40} for g in GROUPS],
                                 "constraints": multi_rules},
    }


def open_store(path: Path) -> GraphStore:
    try:
        return GraphStore.open(path)
    except StoreMissing:
        out = Path(tempfile.mkdtemp(prefix="kringloop-bench-"))
        print(f"no store at {path}; building the graph into {out}", file=sys.stderr)
        return GraphStore.open(Path(build(REPO / "data", out, base_iri=DEFAULT_BASE_IRI).store_path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=REPO / "build" / "store")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=1, help="solve each scenario this often; times are medians")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    store = open_store(args.store)
    profiles = load_profiles(store)
    concepts = yaml.safe_load((REPO / "data" / "concepts.yaml").read_text(encoding="utf-8"))
    nis_codes = sorted(p.nis_code for p in profiles.values()
                       if p.type in ("gemeente", "centrumstad") and p.nis_code and not p.former)
    results = []
    for name, request in scenarios(nis_codes, seed=args.seed).items():
        problem, weights = problem_from_request(request, profiles=profiles, concepts=concepts)
        runs = [solve(problem, weights=weights, time_limit=args.time_limit) for _ in range(args.repeat)]
        greedy_runs = [solve_greedy(problem, weights=weights) for _ in range(args.repeat)]
        milp, greedy = runs[0], greedy_runs[0]
        assigned = sum(len(m) for m in milp.plan.values())
        row = {"scenario": name, "participants": len(problem.participants), "groups": len(problem.groups),
               "binaries": milp.detail["binaries"], "variables": milp.detail["variables"], "rows": milp.detail["rows"],
               "status": milp.status, "gap": milp.gap, "objective": round(milp.objective or 0.0, 3),
               "bound": None if milp.bound is None else round(milp.bound, 3),
               "solve_seconds_median": round(statistics.median(r.solve_seconds for r in runs), 3),
               "solve_seconds_max": round(max(r.solve_seconds for r in runs), 3),
               "cpu_seconds_median": round(statistics.median(float(r.detail["cpu_seconds"]) for r in runs), 3),
               "load_average_1min": round(os.getloadavg()[0], 2),
               "assigned_places": assigned,
               "greedy_status": greedy.status, "greedy_objective": round(greedy.objective or 0.0, 3),
               "greedy_seconds_median": round(statistics.median(r.solve_seconds for r in greedy_runs), 3),
               "greedy_cpu_seconds_median": round(statistics.median(float(r.detail["cpu_seconds"])
                                                                    for r in greedy_runs), 3),
               "milp_over_greedy_pct": round(100.0 * ((milp.objective or 0) - (greedy.objective or 0))
                                             / max(abs(greedy.objective or 0), 1e-9), 2),
               "score": milp.score.as_dict() if milp.score else None,
               "greedy_score": greedy.score.as_dict() if greedy.score else None}
        results.append(row)
    header = ("scenario", "participants", "binaries", "rows", "status", "gap", "objective", "solve_seconds_median",
              "solve_seconds_max", "cpu_seconds_median", "greedy_status", "greedy_objective", "greedy_seconds_median",
              "greedy_cpu_seconds_median", "milp_over_greedy_pct", "load_average_1min")
    print(" | ".join(header))
    for row in results:
        print(" | ".join(str(row[h]) for h in header))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                         "seed": args.seed, "repeat": args.repeat, "results": results}, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

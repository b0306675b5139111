"""Pool candidates for blind judging (TREC-style): the union of the top ``--depth`` of each run, shuffled,
with no run names, written as judging sheets for a judge who sees neither code nor scores.

    .venv/bin/python bench/recommender/pool.py --profiles bench/recommender/devset2_profiles.yaml \
        --out /tmp/blind/pool --parts 4
    # extend a judged pool with what a new run puts in its top 10 and the judges have not seen:
    .venv/bin/python bench/recommender/pool.py ... --depth 10 --exclude bench/recommender/devset2_judgments.yaml

Each sheet lists, per profile, the profile (request, main interest, the municipality's context) and the
candidate practices and peers with the facts a coordinator would look at (summary, participants with
role, type, size and province; a peer's practices and memberships).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from baselines import StrongBaselines  # noqa: E402

from kg.store import GraphStore  # noqa: E402
from recommender import Recommender, load_encoder, load_knowledge  # noqa: E402

ROLE_NL = {"trekker": "trekker", "co-trekker": "co-trekker", "partner": "partner"}


def government_card(rec: Recommender, iri: str) -> dict:
    kb, prof = rec.kb_, rec.profiles_
    g, p = kb.governments[iri], prof.get(iri)
    cases = sorted(kb.cases_of(iri), key=lambda c: c.participants[iri] not in ("trekker", "co-trekker"))
    card = {"name": g.name, "type": g.type, "province": p.province if p else None, "population": g.population,
            "member_of": sorted({m.name for m in kb.memberships.get(iri, []) if m.association_kind == "intercommunale"}),
            "practices": [f"{c.title} [{c.participants[iri]}; id {c.id}]" for c in cases[:25]]}
    if len(cases) > 25:
        card["practices"].append(f"… and {len(cases) - 25} more")
    return {k: v for k, v in card.items() if v not in (None, [], "")}


def practice_card(rec: Recommender, iri: str) -> dict:
    kb, prof = rec.kb_, rec.profiles_
    c = kb.cases[iri]
    who = []
    for gov, role in c.participants.items():
        g = kb.governments.get(gov)
        if g is None:
            continue
        extra = ", ".join(str(x) for x in (g.type, prof[gov].province if gov in prof else None,
                                            f"{g.population} inwoners" if g.population else None) if x)
        who.append(f"{g.name} ({ROLE_NL.get(role, role)}; {extra})")
    return {"id": c.id, "title": c.title, "summary": c.summary_nl, "themes": c.themes, "instruments": c.instruments,
            "year": c.year, "participants": who}


def profile_card(rec: Recommender, profile: dict) -> dict:
    kb = rec.kb_
    q = rec.resolve(**profile["request"])
    card = {"id": profile["id"], "segment": profile.get("segment"), "main_interest": profile.get("main_interest"),
            "request": profile["request"]}
    if q.iri and q.iri in kb.governments:
        g = kb.governments[q.iri]
        card["who"] = {"name": g.name, "type": g.type, "province": q.province, "population": g.population,
                       "member_of": sorted({m.name for m in kb.memberships.get(q.iri, [])
                                            if m.association_kind == "intercommunale"}),
                       "neighbours": sorted(kb.governments[n].name for n in kb.neighbours.get(q.iri, ())
                                            if n in kb.governments)}
    return card


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=ROOT / "build" / "store")
    ap.add_argument("--profiles", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="prefix of the sheets: {out}_{n}.yaml")
    ap.add_argument("--parts", type=int, default=4)
    ap.add_argument("--depth", type=int, default=20)
    ap.add_argument("--exclude", type=Path, help="judgments already made: their items are left out")
    ap.add_argument("--model", default="use-multilingual")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()

    kb = load_knowledge(GraphStore.open(args.store))
    rec = Recommender(encoder=load_encoder(args.model)).fit(kb)
    base = StrongBaselines(rec)
    profiles = yaml.safe_load(args.profiles.read_text(encoding="utf-8"))["profiles"]
    judged: dict[str, dict[str, set[str]]] = {}
    if args.exclude:   # a judges' file ({"judgments": [...]}) or devset2.yaml ({"profiles": [{"judgments": ...}]})
        doc = yaml.safe_load(args.exclude.read_text(encoding="utf-8"))
        entries = doc.get("judgments") or [{"id": p["id"], **p["judgments"]} for p in doc.get("profiles", [])]
        for j in entries:
            judged[j["id"]] = {"practices": set(j["practices"]), "peers": set(j["peers"])}
    rng = random.Random(args.seed)
    sheets: list[list[dict]] = [[] for _ in range(args.parts)]
    total = 0
    for n, profile in enumerate(profiles):
        result = rec.recommend(**profile["request"], limit=args.depth)
        practice_runs = [[p.iri for p in result.practices], base.practices(profile["request"], args.depth)]
        peer_runs = [[p.iri for p in result.peers], base.peers(profile["request"], args.depth)]
        seen = judged.get(profile["id"], {"practices": set(), "peers": set()})
        practices = [i for i in sorted({i for run in practice_runs for i in run[:args.depth]})
                     if kb.cases[i].id not in seen["practices"]]
        peers = [i for i in sorted({i for run in peer_runs for i in run[:args.depth]})
                 if kb.governments[i].name not in seen["peers"]]
        rng.shuffle(practices)
        rng.shuffle(peers)
        if not practices and not peers:
            continue
        entry = profile_card(rec, profile)
        entry["practices"] = [practice_card(rec, i) for i in practices]
        entry["peers"] = [government_card(rec, i) for i in peers]
        sheets[n % args.parts].append(entry)
        total += len(practices) + len(peers)
    for k, sheet in enumerate(sheets):
        path = Path(f"{args.out}_{k + 1}.yaml")
        path.write_text(yaml.safe_dump({"profiles": sheet}, allow_unicode=True, sort_keys=False, width=120),
                        encoding="utf-8")
        print(f"{path}: {len(sheet)} profiles, {sum(len(e['practices']) + len(e['peers']) for e in sheet)} items")
    print(f"{total} items to judge")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Scale profile: request latency on the synthetic store with the model-free hashing encoder, plus a cProfile.

Fitting USE on 100,000 case texts takes ~14 min on the 2-core machine; the hashing encoder fits in ~2 min,
so this measures everything a request does except the query pass itself (add the USE floor).

    .venv/bin/python bench/recommender/scale_profile.py
"""
import cProfile, pstats, time, yaml, statistics, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from kg.store import GraphStore
from recommender import Recommender, HashingEncoder, load_knowledge
t=time.perf_counter(); kb = load_knowledge(GraphStore.open(ROOT / 'build' / 'synthetic-store')); print('read', time.perf_counter()-t, flush=True)
t=time.perf_counter(); rec = Recommender(encoder=HashingEncoder()).fit(kb); print('fit hashing', time.perf_counter()-t, flush=True)
P=["Antwerpen","Limburg","Oost-Vlaanderen","Vlaams-Brabant","West-Vlaanderen"]
reqs=[]
for p in yaml.safe_load(open(ROOT / 'bench' / 'recommender' / 'devset.yaml'))["profiles"]:
    r=dict(p["request"]); r.pop("nis_code",None)
    if not r.get("profile"): continue
    r["profile"]=dict(r["profile"])
    if "province" in r["profile"]: r["profile"]["province"]=f"Synthetisch-{P.index(r['profile']['province'])}"
    reqs.append(r)
reqs += [{"nis_code": f"S{i:07d}"} for i in (0, 17, 4242, 31337, 77777)]
for r in reqs: rec.recommend(**r, limit=10)
lat=[]
for _ in range(3):
    for r in reqs:
        s=time.perf_counter(); rec.recommend(**r, limit=10); lat.append(time.perf_counter()-s)
import numpy as np
print('request (hashing encoder) p50 %.1f ms p95 %.1f ms' % (1000*np.percentile(lat,50), 1000*np.percentile(lat,95)), flush=True)
enc_t=[]
from recommender.text import query_text
for r in reqs:
    txt=query_text(rec.resolve(**r), kb); s=time.perf_counter(); rec.encoder_.encode([txt]); enc_t.append(time.perf_counter()-s)
print('hashing encode p50 %.2f ms' % (1000*np.median(enc_t)))
pr=cProfile.Profile(); pr.enable()
for r in reqs: rec.recommend(**r, limit=10)
pr.disable(); pstats.Stats(pr).sort_stats('cumulative').print_stats(30)

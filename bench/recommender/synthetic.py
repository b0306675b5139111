"""A seeded synthetic graph of 100,000 governments and 100,000 cases, for the scale benchmark only.

Every synthetic resource carries ``kl:synthetic true`` and lives in its own named graph of its own
store (default ``build/synthetic-store``), never in the real graph. The concept schemes and the
barrier knowledge are copied from the real store, so the recommender reads it with the same queries.

    .venv/bin/python bench/recommender/synthetic.py --governments 100000 --cases 100000
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kg.namespaces import DEFAULT_BASE_IRI, Iris  # noqa: E402
from kg.store import GraphStore, write_store  # noqa: E402

KL = "https://w3id.org/kringloop/def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
GEO = "http://www.opengis.net/ont/geosparql#"
BESLUIT = "http://data.vlaanderen.be/ns/besluit#"
XSD = "http://www.w3.org/2001/XMLSchema#"
THEMES = ["stadsontwikkeling", "circulair-bouwen", "afvalstromen", "consumentengoederen", "textiel", "elektronica",
          "hergebruik-herstel", "deelsystemen", "agro-voeding", "voedselverlies", "industrie", "water", "energie-materialen"]
INSTRUMENTS = ["politieke-activatie", "circulair-aankopen", "ondernemerschap", "bedrijventerreinen", "beleidsstrategie",
               "sociale-economie", "burgerparticipatie", "regelgeving", "communicatie-sensibilisering", "monitoring",
               "subsidies-financiering", "reguliere-financiering", "samenwerking-leiderschap"]
WORDS = ("herbruikbare bekers repair café kringwinkel materialenbank deelauto fietsbieb textielinzameling "
         "compost voedseloverschotten restwarmte bedrijventerrein regenwater luiers uitleendienst sloop "
         "hergebruik bouwmaterialen circulair aankopen laptops sociale economie strategie monitoring "
         "sensibilisering recyclagepark verenigingen evenementen subsidie premie intercommunale").split()


def lit(value: str, lang: str | None = None, dtype: str | None = None) -> str:
    esc = value.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{esc}"@{lang}'
    if dtype:
        return f'"{esc}"^^<{dtype}>'
    return f'"{esc}"'


def generate(n_gov: int, n_cases: int, *, seed: int, base: str) -> list[str]:
    rng = random.Random(seed)
    iris = Iris(base)
    g = f"<{iris.graph('synthetic')}>"
    true = lit("true", dtype=XSD + "boolean")
    out: list[str] = []

    def q(s: str, p: str, o: str) -> None:
        out.append(f"<{s}> <{p}> {o} {g} .")

    def concept(scheme: str, code: str) -> str:
        return f"<{iris.concept(scheme, code)}>"

    provinces = [str(iris(f"id/synthetisch/provincie/{k}")) for k in range(5)]
    for k, p in enumerate(provinces):
        q(p, RDF_TYPE, f"<{BESLUIT}Bestuurseenheid>"), q(p, RDF_TYPE, f"<{KL}Province>")
        q(p, KL + "governmentType", concept("bestuurstype", "provincie"))
        q(p, SKOS + "prefLabel", lit(f"Provincie Synthetisch-{k}", "nl")), q(p, KL + "synthetic", true)
    n_assoc = max(1, n_gov // 30)
    n_mun = n_gov - len(provinces) - n_assoc
    side = int(math.ceil(math.sqrt(n_mun)))
    govs: list[str] = []
    for i in range(n_mun):
        m = str(iris(f"id/synthetisch/gemeente/{i}"))
        govs.append(m)
        big = rng.random() < 0.02
        q(m, RDF_TYPE, f"<{BESLUIT}Bestuurseenheid>"), q(m, RDF_TYPE, f"<{KL}Municipality>")
        q(m, KL + "governmentType", concept("bestuurstype", "centrumstad" if big else "gemeente"))
        q(m, SKOS + "prefLabel", lit(f"Synthetische gemeente {i}", "nl"))
        q(m, DCT + "identifier", lit(f"S{i:07d}"))
        q(m, KL + "province", f"<{provinces[(i // side) * 5 // side]}>")
        pop = int(rng.lognormvariate(9.5, 0.6) * (6 if big else 1))
        q(m, KL + "population", lit(str(pop), dtype=XSD + "integer")), q(m, KL + "synthetic", true)
        row, col = divmod(i, side)
        for j in (i + 1 if col + 1 < side else None, i + side):
            if j is not None and j < n_mun:
                q(m, GEO + "sfTouches", f"<{iris(f'id/synthetisch/gemeente/{j}')}>")
    assocs = []
    for a in range(n_assoc):
        s = str(iris(f"id/synthetisch/samenwerkingsverband/{a}"))
        assocs.append(s)
        q(s, RDF_TYPE, f"<{BESLUIT}Bestuurseenheid>"), q(s, RDF_TYPE, f"<{KL}IntermunicipalAssociation>")
        q(s, KL + "governmentType", concept("bestuurstype", "intergemeentelijk"))
        q(s, SKOS + "prefLabel", lit(f"Synthetische intercommunale {a}", "nl")), q(s, KL + "synthetic", true)
    for i, m in enumerate(govs):
        # associations group neighbouring municipalities, as real intercommunales do
        for a in {(i // 25) % n_assoc, rng.randrange(n_assoc)}:
            q(m, ORG + "memberOf", f"<{assocs[a]}>")
    actors = govs + assocs
    weights = [1.0 / (k + 1) ** 0.8 for k in range(len(actors))]   # a few front-runners lead many cases
    rng.shuffle(weights)
    cum = list(itertools.accumulate(weights))   # once: random.choices would rebuild it per call
    for c in range(n_cases):
        case = str(iris(f"id/synthetisch/case/{c}"))
        q(case, RDF_TYPE, f"<{KL}Case>"), q(case, DCT + "identifier", lit(f"synthetisch-{c}"))
        themes = rng.sample(THEMES, rng.randint(1, 3))
        words = " ".join(rng.sample(WORDS, 6))
        title = f"Synthetische praktijk {c}: {words}"
        q(case, DCT + "title", lit(title, "nl"))
        q(case, DCT + "abstract", lit(f"{title}. Een lokaal bestuur werkt rond {', '.join(themes)} met {rng.choice(WORDS)}.", "nl"))
        for t in themes:
            q(case, KL + "theme", concept("thema", t))
        for ins in rng.sample(INSTRUMENTS, rng.randint(1, 3)):
            q(case, KL + "instrument", concept("instrument", ins))
        q(case, KL + "synthetic", true)
        parts = set(rng.choices(range(len(actors)), cum_weights=cum, k=rng.randint(1, 3)))
        for n, a in enumerate(sorted(parts)):
            role = "trekker" if n == 0 else rng.choice(["co-trekker", "partner"])
            node = f"{case}/rol/{n}"
            q(case, PROV + "qualifiedAssociation", f"<{node}>")
            q(node, PROV + "agent", f"<{actors[a]}>"), q(node, PROV + "hadRole", concept("casusrol", role))
            q(case, PROV + "wasAssociatedWith", f"<{actors[a]}>")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--governments", type=int, default=100_000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--real-store", type=Path, default=ROOT / "build" / "store")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "synthetic-store")
    args = ap.parse_args()
    if args.out.resolve() == args.real_store.resolve():
        raise SystemExit("refusing to write synthetic data into the real store")
    started = time.perf_counter()
    lines = generate(args.governments, args.cases, seed=args.seed, base=DEFAULT_BASE_IRI)
    real = GraphStore.open(args.real_store)
    # concept schemes and barrier knowledge come from the real graph, unchanged
    shared = b"".join(real.store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.NamedNode(DEFAULT_BASE_IRI + f"graph/{name}"))
                      .replace(b" .\n", f" <{DEFAULT_BASE_IRI}graph/{name}> .\n".encode())
                      for name in ("concepts", "ontology"))
    data = ("\n".join(lines) + "\n").encode("utf-8") + shared
    store = write_store(data, args.out)
    print(f"synthetic graph: {args.governments} governments, {args.cases} cases, {len(store)} quads in "
          f"{time.perf_counter() - started:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The concepts a planning request may name, read from the graph in the shape of concepts.yaml.

The server and the CLI then need only the built store; tests and tools may still pass a parsed
concepts.yaml instead, since both have the same shape.
"""

from __future__ import annotations

from typing import Any

from kg import queries
from kg.build_concepts import CONCEPT_KEY
from kg.store import GraphStore

# the schemes the planner reads, keyed as in concepts.yaml (kg.build_concepts.CONCEPT_KEY is the one map)
SCHEME_KEYS = {slug: CONCEPT_KEY[slug] for slug in ("thema", "instrument", "ondersteuning", "bestuurstype",
                                                    "maturiteit", "cop")}


def concepts_from_graph(store: GraphStore) -> dict[str, list[dict[str, Any]]]:
    """Themes, instruments, support forms, government types, maturity levels and CoPs, as in concepts.yaml."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for row in queries.select(store, "cop_catalogue"):
        key = SCHEME_KEYS[str(row["scheme"])]
        code = str(row["code"])
        entry = entries.setdefault((key, code), {"code": code, "nl": row["labelNl"] or code,
                                                 "en": row["labelEn"] or row["labelNl"] or code})
        if key == "communities_of_practice":
            entry["kind"] = row["kind"] or "cop"
            for field in ("theme", "instrument"):
                if row[field]:
                    entry.setdefault(f"{field}s", [])
                    if row[field] not in entry[f"{field}s"]:
                        entry[f"{field}s"].append(row[field])
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in SCHEME_KEYS.values()}
    for (key, _), entry in entries.items():
        out[key].append(entry)
    # concepts.yaml lists the CoPs before the coaching tracks; keep that order for default requests
    out["communities_of_practice"].sort(key=lambda e: (e["kind"] != "cop", e["code"]))
    return out

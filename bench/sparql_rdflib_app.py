"""The rdflib-based comparison endpoint for bench/sparql_bench.py (rdflib-endpoint over the same N-Quads).

Run by the bench as ``uvicorn bench.sparql_rdflib_app:create_app --factory`` with
``KRINGLOOP_BENCH_NQUADS`` naming the dump; the default graph is the union of the named graphs,
as on /sparql. rdflib must never fetch FROM graphs, here as anywhere (REPORT.md §3).
"""

from __future__ import annotations

import os

import rdflib
import rdflib.plugins.sparql
from rdflib_endpoint import SparqlEndpoint

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def create_app() -> SparqlEndpoint:
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(os.environ["KRINGLOOP_BENCH_NQUADS"], format="nquads")
    return SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False, enable_update=False)

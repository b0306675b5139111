"""``kringloop build | validate | stats | query``: the knowledge-graph commands."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import pyoxigraph as ox

from kg import build as kg_build
from kg.errors import KgError, SourceDataError, ValidationFailed
from kg.sources import load_sources
from kg.stats import class_counts, member_lists
from kg.store import GraphStore, open_store
from kg.curation import publish
from kg.store_server import ServerEndpoints, StoreServerError
from kg.validate import validate_graph
from state.db import describe
from state.errors import StateError

from ..usage import UsageError
from ..config import Settings, get_settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    settings = get_settings()
    p = sub.add_parser("build", help="build the graph from data/ (validated) into build/")
    p.add_argument("--data", type=Path, default=settings.data_dir)
    p.add_argument("--out", type=Path, default=settings.build_dir)
    p.add_argument("--if-changed", action="store_true", help="skip when inputs are unchanged since the last build")
    p.add_argument("--no-validate", action="store_true")
    p.add_argument("--publish", action="store_true",
                   help="also load the graph into the store server at KRINGLOOP_STORE_URL (a new generation, "
                        "switched in one step)")
    p.set_defaults(run=run_build)

    p = sub.add_parser("validate", help="build the graph in memory and check it against ontology/shapes.ttl")
    p.add_argument("--data", type=Path, default=settings.data_dir)
    p.set_defaults(run=run_validate)

    p = sub.add_parser("stats", help="count instances per class in the built graph")
    p.add_argument("--store", type=Path, default=settings.store_path)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=run_stats)

    p = sub.add_parser("query", help="run a SPARQL query (string or file) on the built graph")
    p.add_argument("query", help="SPARQL text, or a path to a .rq file")
    p.add_argument("--store", type=Path, default=settings.store_path)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(run=run_query)


def run_build(args: argparse.Namespace) -> int:
    base = get_settings().base_iri
    if args.publish and not get_settings().store_url:
        raise UsageError("--publish needs KRINGLOOP_STORE_URL (the store server's query endpoint)")
    if args.if_changed and not args.publish and not kg_build.needs_build(args.data, args.out, base_iri=base):
        print(f"graph in {args.out} is up to date")
        return 0
    try:
        report = kg_build.build(args.data, args.out, base_iri=base, validate=not args.no_validate,
                                state_dir=get_settings().state_location)
    except ValidationFailed as exc:
        print(exc.report, file=sys.stderr)
        raise UsageError(str(exc)) from None
    except SourceDataError as exc:
        raise UsageError(str(exc)) from None
    graphs = ", ".join(f"{k} {v}" for k, v in report.graphs.items())
    print(f"built {report.triples} triples ({graphs}) in {report.seconds} s; SHACL conforms: {report.conforms}")
    print(f"store: {report.store_path}")
    print_data_report(report.data)
    if args.publish:
        publish_build(args.out)
    return 0


def publish_build(out: Path, settings: Settings | None = None) -> None:
    """Load the built dataset (with curation, as in the local store) into the store server."""
    settings = settings or get_settings()
    server = ServerEndpoints.from_settings(settings)
    try:   # the same composition and lock as a curation commit's publishing
        version = publish(state_dir=settings.state_location, build_dir=out, store_path=out / "store",
                          base_iri=settings.base_iri, server=server, new_base=True)
    except (KgError, StateError) as exc:
        raise UsageError(f"publishing to {settings.store_url} failed: {exc}") from None
    print(f"published to {settings.store_url} (curation version {version}); the dumps stay in {out}; the base "
          f"quads are recorded in the state {describe(settings.state_location)} for replicas without a build")


def print_data_report(data: dict) -> None:
    """The short data report: counts per file, names resolved by rule, anything left unresolved."""
    print("data report:")
    for file, counts in sorted(data.get("files", {}).items()):
        print(f"  {file}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    for title, key in (("resolved through the 2025 merger crosswalk", "crosswalked"),
                       ("resolved from the case's own source", "resolved_from_case_source"),
                       ("unresolved", "unresolved")):
        items = data.get(key, [])
        print(f"  {title}: {len(items)}")
        for item in items:
            print(f"    - {item}")


def run_validate(args: argparse.Namespace) -> int:
    try:
        sources = load_sources(args.data)
    except SourceDataError as exc:
        raise UsageError(str(exc)) from None
    graphs = kg_build.build_graphs(sources, base_iri=get_settings().base_iri)
    conforms, violations, report = validate_graph(kg_build.union(graphs), kg_build.ONTOLOGY_DIR / "shapes.ttl")
    if not conforms:
        print(report, file=sys.stderr)
        print(f"SHACL: {violations} violation(s)", file=sys.stderr)
        return 1
    print(f"SHACL conforms ({sum(len(g) for g in graphs.values())} triples)")
    return 0


def _open(path: Path) -> GraphStore:
    """The store server when KRINGLOOP_STORE_URL is set, else the embedded store at ``path``."""
    try:
        return open_store(store_url=get_settings().store_url, store_path=path)
    except KgError as exc:
        raise UsageError(str(exc)) from None


def run_stats(args: argparse.Namespace) -> int:
    store = _open(args.store)
    rows, lists = class_counts(store), member_lists(store)
    if args.format == "json":
        print(json.dumps(rows, indent=2))  # the class rows only, as before: scripts read this shape
        return 0
    print("Summary")
    for r in sorted((r for r in rows if r["label"]), key=lambda r: -r["count"]):
        print(f"{r['count']:>7}  {r['label']}")
    print(f"\nMember lists of intercommunales ({sum(r['members'] for r in lists)} memberships read on a list)")
    for r in lists:
        state = "volledig / complete" if r["complete"] else "onvolledig / partial"
        print(f"{r['members']:>7}  {r['intercommunale']} ({state}, read {r['date_seen']})")
    print("\nInstances per class")
    width = max(len(r["class"]) for r in rows)
    for r in rows:
        print(f"{r['count']:>7}  {r['class']:<{width}}")
    return 0


def _term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}"
    return str(term)


def run_query(args: argparse.Namespace) -> int:
    text = args.query
    if text.endswith(".rq") or (len(text) < 4096 and "\n" not in text and Path(text).is_file()):
        path = Path(text)
        if not path.is_file():
            raise UsageError(f"query file not found: {path}")
        text = path.read_text(encoding="utf-8")
    store = _open(args.store)
    try:
        result = store.query(text)
    except SyntaxError as exc:
        raise UsageError(f"invalid SPARQL: {exc}") from None
    except StoreServerError as exc:
        raise UsageError(str(exc)) from None
    if isinstance(result, (bool, ox.QueryBoolean)):   # pyoxigraph answers ASK with a QueryBoolean
        print(json.dumps({"boolean": bool(result)}) if args.format == "json" else str(bool(result)).lower())
        return 0
    if not isinstance(result, ox.QuerySolutions):   # CONSTRUCT / DESCRIBE: triples from either backend
        sys.stdout.buffer.write(ox.serialize(list(result), format=ox.RdfFormat.TURTLE) or b"")
        return 0
    names = [v.value for v in result.variables]
    rows = [[_term(row[n]) for n in names] for row in result]
    if args.format == "json":
        print(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
    else:
        widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
        print("  ".join(n.ljust(w) for n, w in zip(names, widths)))
        for r in rows:
            print("  ".join(c[:w].ljust(w) for c, w in zip(r, widths)))
        print(f"({len(rows)} rows)", file=sys.stderr)
    return 0

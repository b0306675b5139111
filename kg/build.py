"""The build pipeline: data/ -> RDF (named graphs) -> SHACL validation -> on-disk store and dumps."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

import ontology

from . import build_cases, build_concepts, build_governments, build_meta, build_survey
from .curation import apply_curation
from .errors import ValidationFailed
from .namespaces import Iris
from .resolve import ResolutionReport, Resolver
from .sources import Sources, load_sources
from .store import write_store
from .validate import validate_graph

ONTOLOGY_DIR = ontology.DIR   # package data: an installed Kringloop has its ontology and shapes too
GRAPH_NAMES = ("ontology", "concepts", "flanders", "cases", "survey", "meta")


@dataclass
class BuildReport:
    """What a build produced, saved as build/manifest.json."""

    store_path: str
    triples: int
    graphs: dict[str, int]
    seconds: float
    conforms: bool
    violations: int
    input_hash: str
    base_iri: str
    files: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)     # the data report: see data_report()


def inputs_hash(data_dir: Path, ontology_dir: Path = ONTOLOGY_DIR) -> str:
    """A hash over every input file and the build code, to tell whether a rebuild is needed."""
    digest = hashlib.sha256()
    paths = [p for d in (Path(data_dir), ontology_dir, Path(__file__).parent) for p in sorted(d.rglob("*"))
             if p.is_file() and p.suffix in {".csv", ".yaml", ".yml", ".ttl", ".geojson", ".py", ".md"}]
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_graphs(sources: Sources, *, base_iri: str, ontology_dir: Path = ONTOLOGY_DIR) -> dict[str, Graph]:
    """Every named graph of the dataset, keyed by short name (see MODEL.md)."""
    return build_graphs_reporting(sources, base_iri=base_iri, ontology_dir=ontology_dir)[0]


def data_report(sources: Sources, resolution: ResolutionReport) -> dict:
    """What each source file contributed, what was resolved by rule, and what was left unresolved."""
    per_file: dict[str, dict[str, int]] = {}
    for kind, files in (("cases", sources.case_files), ("organisations", sources.organisation_files)):
        for file in files.values():
            per_file.setdefault(file, {}).setdefault(kind, 0)
            per_file[file][kind] += 1
    for entry in sources.intercommunale_members:
        counts = per_file.setdefault(entry["_file"], {"member lists": 0, "names": 0})
        counts["member lists"] += 1
        counts["names"] += len(entry["municipalities"])
    return {"files": per_file, "crosswalked": resolution.crosswalked,
            "resolved_from_case_source": resolution.by_case_source, "unresolved": resolution.unresolved}


def build_graphs_reporting(sources: Sources, *, base_iri: str,
                           ontology_dir: Path = ONTOLOGY_DIR) -> tuple[dict[str, Graph], dict]:
    """The named graphs and the data report (see data_report)."""
    iris = Iris(base_iri)
    resolver = Resolver(sources, iris)
    graphs = {name: Graph() for name in GRAPH_NAMES}
    ontology_file = ontology_dir / "kringloop.ttl"
    if ontology_file.exists():
        graphs["ontology"].parse(ontology_file, format="turtle")
    build_concepts.add_concepts(graphs["concepts"], sources, iris)
    build_concepts.add_barrier_remedies(graphs["ontology"], sources, iris)
    build_governments.add_provinces(graphs["flanders"], sources, iris)
    build_governments.add_municipalities(graphs["flanders"], sources, iris)
    build_governments.add_municipal_websites(graphs["flanders"], sources, iris)
    build_governments.add_associations(graphs["flanders"], sources, iris)
    build_governments.add_organisations(graphs["cases"], sources, iris, resolver)
    build_governments.add_intercommunale_members(graphs["flanders"], sources, iris, resolver)
    build_governments.add_intercommunale_functions(graphs["cases"], sources, iris, resolver)
    build_cases.add_cases(graphs["cases"], sources, iris, resolver)
    build_cases.add_collaborations(graphs["cases"], sources, iris, resolver)
    build_survey.add_survey(graphs["survey"], sources, iris)
    total = sum(len(g) for g in graphs.values())
    build_meta.add_meta(graphs["meta"], iris, triples=total, graphs=[iris.graph(n) for n in GRAPH_NAMES])
    return graphs, data_report(sources, resolver.report)


def to_dataset(graphs: dict[str, Graph], *, base_iri: str) -> Dataset:
    iris = Iris(base_iri)
    dataset = Dataset()
    for name, graph in graphs.items():
        target = dataset.graph(iris.graph(name))
        for triple in graph:
            target.add(triple)
    return dataset


def union(graphs: dict[str, Graph]) -> Graph:
    merged = Graph()
    for graph in graphs.values():
        merged += graph
    for prefix, ns in next(iter(graphs.values())).namespaces():
        merged.bind(prefix, ns, override=False)
    return merged


def build(data_dir: Path, out_dir: Path, *, base_iri: str, validate: bool = True,
          ontology_dir: Path = ONTOLOGY_DIR, state_dir: Path | None = None) -> BuildReport:
    """Build the graph from ``data_dir`` into ``out_dir`` (store, dumps, docs, manifest).

    Nothing in ``out_dir`` is replaced unless the whole build, validation included, succeeded.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    sources = load_sources(Path(data_dir))
    graphs, data = build_graphs_reporting(sources, base_iri=base_iri, ontology_dir=ontology_dir)
    merged = union(graphs)
    conforms, violations, report = True, 0, ""
    if validate:
        conforms, violations, report = validate_graph(merged, ontology_dir / "shapes.ttl")
        if not conforms:
            raise ValidationFailed(report, violations)
    out_dir.mkdir(parents=True, exist_ok=True)
    dataset = to_dataset(graphs, base_iri=base_iri)
    nquads = dataset.serialize(format="nquads", encoding="utf-8")
    # the store and dumps also hold curation (settings.state_dir); kringloop.nq stays the pure base
    published = apply_curation(nquads, state_dir, base_iri)
    store = write_store(published, out_dir / "store")
    files = _write_dumps(merged if published is nquads else _union_of(published), out_dir)
    (out_dir / "kringloop.nq.tmp").write_bytes(nquads)  # named graphs kept: the base for republishing
    (out_dir / "kringloop.nq.tmp").replace(out_dir / "kringloop.nq")
    files["nq"] = str(out_dir / "kringloop.nq")
    files.update(_write_docs(ontology_dir, out_dir))
    report_obj = BuildReport(
        store_path=str(out_dir / "store"), triples=len(store), graphs={n: len(g) for n, g in graphs.items()},
        seconds=round(time.perf_counter() - started, 2), conforms=conforms, violations=violations,
        input_hash=inputs_hash(Path(data_dir), ontology_dir), base_iri=base_iri, files=files, data=data)
    (out_dir / "manifest.json").write_text(json.dumps(asdict(report_obj), indent=2), encoding="utf-8")
    return report_obj


def _union_of(nquads: bytes) -> Graph:
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    merged = Graph()
    for graph in dataset.graphs():
        merged += graph
    return merged


def _write_dumps(merged: Graph, out_dir: Path) -> dict[str, str]:
    files = {}
    for fmt, suffix in (("turtle", "ttl"), ("nt", "nt"), ("json-ld", "jsonld")):
        path = out_dir / f"kringloop.{suffix}"
        tmp = path.with_suffix(path.suffix + ".tmp")
        merged.serialize(destination=str(tmp), format=fmt, encoding="utf-8")
        tmp.replace(path)
        files[suffix] = str(path)
    return files


def _write_docs(ontology_dir: Path, out_dir: Path) -> dict[str, str]:
    ontology_file = ontology_dir / "kringloop.ttl"
    if not ontology_file.exists():
        return {}
    from .docs import write_ontology_docs  # pyLODE is only needed here

    return {"ontology_html": str(write_ontology_docs(ontology_file, out_dir / "ontology.html"))}


def read_manifest(out_dir: Path) -> dict | None:
    path = Path(out_dir) / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def needs_build(data_dir: Path, out_dir: Path, *, base_iri: str) -> bool:
    manifest = read_manifest(out_dir)
    return (manifest is None or not (Path(out_dir) / "store" / "CURRENT").exists()
            or manifest.get("input_hash") != inputs_hash(Path(data_dir)) or manifest.get("base_iri") != base_iri)


__all__ = ["BuildReport", "build", "build_graphs", "needs_build", "read_manifest"]

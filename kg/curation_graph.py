"""Curated cases and organisations as RDF: rendering, SHACL checks and composing the public graph.

A curated record uses the fields of ``data/cases/cases*.yaml`` / ``organisations*.yaml`` and is rendered
by the build's own code (``build_cases``, ``build_governments``), so a curated case looks exactly like
one from ``data/``. The public dataset is *base quads* (``build/kringloop.nq``) minus the descriptions a
curated record supersedes, plus the named graph ``B graph/curatie`` (see docs/operations.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, SH, SKOS, XSD

from .build_cases import ROLE_CODE, _add_case
from .build_governments import add_organisations
from .errors import KgError, SourceDataError
from .namespaces import Iris
from .resolve import Resolver, province_name
from .sources import Sources

CURATION_GRAPH = "curatie"
KINDS = ("case", "organisation")
ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
# an organisation's triples in graph/cases that belong to collaborations, not to its own record
FOREIGN_ORG_PREDICATES = {ORG.memberOf.__str__(), ORG.hasMember.__str__()}


class CurationError(KgError, ValueError):
    """A curated record that cannot be accepted; ``field`` names the offending field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}" if field else problem)


@dataclass(frozen=True)
class Context:
    """What checking a curated record needs from the base graph, loaded once per base build."""

    shapes: Graph
    vocabulary: Graph           # ontology + concepts graphs: class hierarchy and SKOS concepts
    types: dict[str, set[str]]  # IRI -> its rdf:type IRIs, over every base graph

    @classmethod
    def from_base(cls, base_nquads: bytes, *, iris: Iris, shapes: Graph) -> Context:
        keep = {str(iris.graph("ontology")), str(iris.graph("concepts"))}
        vocabulary = Graph()
        types: dict[str, set[str]] = {}
        for quad in ox.parse(base_nquads, format=ox.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in keep:
                vocabulary.add((_rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)))
            if quad.predicate.value == str(RDF.type) and isinstance(quad.subject, ox.NamedNode):
                types.setdefault(quad.subject.value, set()).add(quad.object.value)
        return cls(shapes=shapes, vocabulary=vocabulary, types=types)


def _rdflib(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    from rdflib import BNode

    return BNode(term.value)


def effective_sources(sources: Sources, curated: dict[tuple[str, str], dict[str, Any] | None]) -> Sources:
    """The sources as curation changed them: curated records replace or extend, retired ones go."""
    organisations = {o["id"]: o for o in sources.organisations}
    cases = {c["id"]: c for c in sources.cases}
    for (kind, entity_id), record in curated.items():
        target = organisations if kind == "organisation" else cases
        if record is None:
            target.pop(entity_id, None)
        else:
            target[entity_id] = record
    return replace(sources, organisations=list(organisations.values()), cases=list(cases.values()),
                   organisation_files={**sources.organisation_files, **{i: "curation" for i in organisations
                                                                        if i not in sources.organisation_files}},
                   case_files={**sources.case_files, **{i: "curation" for i in cases if i not in sources.case_files}})


def check_url(value: Any, field: str) -> str:
    if not isinstance(value, str) or len(value) > 2000 or not URL.match(value) or not urlsplit(value).netloc:
        raise CurationError(field, "must be an http(s) web address without spaces or <>\"{}|\\^` characters")
    return value


def check_id(value: Any, field: str = "id") -> str:
    if not isinstance(value, str) or not ID.match(value):
        raise CurationError(field, "must be 2-80 characters: lower-case letters, digits and '-', starting with a letter or digit")
    return value


def check_case(record: dict[str, Any], sources: Sources) -> None:
    """The checks the build makes on data/cases (kg.sources), per field, against the curated sources."""
    check_id(record.get("id"))
    for key in ("title_nl", "summary_nl", "summary_en", "evidence"):
        if not str(record.get(key) or "").strip():
            raise CurationError(key, "required")
    allowed = {"themes": ("themes", "theme"), "instruments": ("instruments", "instrument"),
               "pentagon": ("pentagon", "pentagon role")}
    for key, (scheme, label) in allowed.items():
        codes = {c["code"] for c in sources.concepts.get(scheme, [])}
        for index, code in enumerate(record.get(key) or []):
            if code not in codes:
                raise CurationError(f"{key}.{index}", f"unknown {label} code {code!r}")
    if not record.get("themes"):
        raise CurationError("themes", "at least one theme code is required")
    statuses = {s["code"] for s in sources.vocabularies["case_statuses"]}
    if record.get("status") not in statuses:
        raise CurationError("status", f"unknown status {record.get('status')!r}; known: {', '.join(sorted(statuses))}")
    if record.get("gov_role") not in ROLE_CODE:
        raise CurationError("gov_role", f"must be one of {', '.join(ROLE_CODE)}")
    check_url(record.get("source_url"), "source_url")
    for index, extra in enumerate(record.get("extra_sources") or []):
        check_url(extra.get("url"), f"extra_sources.{index}.url")
    organisation_ids = {o["id"] for o in sources.organisations}
    for index, pid in enumerate(record.get("partner_ids") or []):
        if pid not in organisation_ids:
            raise CurationError(f"partner_ids.{index}", f"unknown organisation id {pid!r}")
    if not record.get("lead"):
        raise CurationError("lead", "name at least one lead government or organisation")


def check_organisation(record: dict[str, Any], sources: Sources) -> None:
    check_id(record.get("id"))
    if not str(record.get("name") or "").strip():
        raise CurationError("name", "required")
    if province_name(record["name"]) is not None:
        raise CurationError("name", "provinces are governments from data/flanders, not curated organisations")
    if record["id"] in {g["id"] for g in sources.extra_governments}:
        raise CurationError("id", f"{record['id']!r} is a government from data/extra_governments.yaml")
    kinds = {k["code"] for k in sources.vocabularies["organisation_kinds"]}
    if record.get("kind") not in kinds:
        raise CurationError("kind", f"unknown kind {record.get('kind')!r}; known: {', '.join(sorted(kinds))}")
    check_url(record.get("source_url"), "source_url")
    if record.get("url") is not None:
        check_url(record["url"], "url")


def render(kind: str, record: dict[str, Any], sources: Sources, iris: Iris) -> Graph:
    """The triples the build would make for ``record``; ``sources`` must already include it."""
    graph = Graph()
    resolver = Resolver(sources, iris)
    try:
        if kind == "case":
            lead = [_lead_name(name, sources) for name in record["lead"]]
            _add_case(graph, {**record, "lead": lead}, "curation", iris, resolver)
        else:
            add_organisations(graph, replace(sources, organisations=[record], extra_governments=[]), iris, resolver)
    except SourceDataError as exc:
        raise CurationError("lead" if "lead" in exc.problem else "", exc.problem) from None
    return graph


def _lead_name(name: str, sources: Sources) -> str:
    """A lead may be given by NIS code as well as by name."""
    if re.fullmatch(r"\d{5}", name):
        for row in sources.municipalities:
            if row["nis_code"] == name:
                return row["name_nl"]
    return name


def owned_subjects(kind: str, iri: str, graph: Graph) -> set[str]:
    """The subjects a record's description consists of (an entity and its case participations)."""
    return {str(s) for s in set(graph.subjects()) if str(s) == iri or (kind == "case" and str(s).startswith(iri + "/rol/"))
            or (kind != "case" and str(s) == iri + "/contact")}


def shacl_check(kind: str, iri: str, graph: Graph, context: Context, *,
                curated_types: dict[str, set[str]] | None = None) -> None:
    """Validate the record's triples with ontology/shapes.ttl; raise CurationError on a violation.

    The data graph holds the record, the vocabulary (classes, concepts) and the types of every IRI the
    record points to. Those neighbours are incomplete here, so only results about the record's own
    subjects count (pySHACL's ``focus_nodes`` would be the tool, but it miscounts qualified shapes).
    """
    data = Graph()
    data += context.vocabulary
    curated_types = curated_types or {}
    for obj in set(graph.objects()):
        for type_iri in curated_types.get(str(obj), context.types.get(str(obj), ())):
            data.add((obj, RDF.type, URIRef(type_iri)))
    data += graph
    _, results, _ = validate(data, shacl_graph=context.shapes, inference="none", advanced=True, allow_warnings=True)
    owned = owned_subjects(kind, iri, graph)
    problems = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        if str(results.value(result, SH.focusNode)) in owned:
            path = results.value(result, SH.resultPath)
            message = results.value(result, SH.resultMessage)
            problems.append(f"{_short(path)}: {message}" if path is not None else str(message))
    if problems:
        raise CurationError("", "SHACL: " + "; ".join(sorted(set(problems))))


def _short(iri: Any) -> str:
    text = str(iri)
    for prefix, ns in (("dcterms", DCTERMS), ("prov", PROV), ("skos", SKOS), ("org", ORG)):
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def types_of(ntriples: str) -> dict[str, set[str]]:
    """IRI -> rdf:type IRIs in a curated record's triples (a curated organisation a case points to)."""
    found: dict[str, set[str]] = {}
    for triple in ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        if triple.predicate.value == str(RDF.type) and isinstance(triple.subject, ox.NamedNode):
            found.setdefault(triple.subject.value, set()).add(triple.object.value)
    return found


def tombstone(iri: str, entity_id: str, label: str | None) -> Graph:
    """What stays of a retired entity: no class (so no listing shows it), a label and owl:deprecated."""
    graph = Graph()
    node = URIRef(iri)
    graph.add((node, DCTERMS.identifier, Literal(entity_id)))
    graph.add((node, OWL.deprecated, Literal(True)))
    if label:
        graph.add((node, SKOS.prefLabel, Literal(label, lang="nl")))
    return graph


def change_triples(change: dict[str, Any], *, iris: Iris, entity_iri: str, previous: int | None) -> list[ox.Triple]:
    """PROV for one change: who (the coordinator token's name), when, from which source, what it revised."""
    node = ox.NamedNode(str(iris(f"id/curatie/{change['seq']}")))
    agent = ox.NamedNode(str(iris(f"id/coordinator/{change['agent']}")))
    source = ox.NamedNode(change["source_url"])
    out = [
        ox.Triple(node, _nn(RDF.type), _nn(PROV.Entity)),
        ox.Triple(node, _nn(DCTERMS.subject), ox.NamedNode(entity_iri)),
        ox.Triple(node, _nn(DCTERMS.type), ox.Literal(change["action"])),
        ox.Triple(node, _nn(PROV.wasAttributedTo), agent),
        ox.Triple(node, _nn(PROV.generatedAtTime), ox.Literal(change["at"], datatype=_nn(XSD.dateTime))),
        ox.Triple(node, _nn(PROV.wasDerivedFrom), source),
        ox.Triple(node, _nn(DCTERMS.source), source),
        ox.Triple(agent, _nn(RDF.type), _nn(PROV.Agent)),
        ox.Triple(agent, _nn(SKOS.prefLabel), ox.Literal(change["agent"], language="nl")),
    ]
    if change.get("note"):
        out.append(ox.Triple(node, _nn(SKOS.note), ox.Literal(change["note"], language="nl")))
    if previous is not None:
        out.append(ox.Triple(node, _nn(PROV.wasRevisionOf), ox.NamedNode(str(iris(f"id/curatie/{previous}")))))
    return out


def _nn(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def rebase(ntriples: str, old_base: str, new_base: str) -> list[ox.Triple]:
    """Stored triples with IRIs minted under ``old_base`` moved to ``new_base`` (a changed base IRI)."""
    def move(term: Any) -> Any:
        if isinstance(term, ox.NamedNode) and old_base != new_base and term.value.startswith(old_base):
            return ox.NamedNode(new_base + term.value[len(old_base):])
        return term

    return [ox.Triple(move(t.subject), t.predicate, move(t.object))
            for t in ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


def superseded_filter(base_nquads: bytes, *, iris: Iris, cases: set[str], organisations: set[str]) -> list[ox.Quad]:
    """Base quads minus the descriptions of curated (corrected or retired) cases and organisations."""
    cases_graph = str(iris.graph("cases"))
    case_iris = {str(iris.case(i)) for i in cases}
    org_iris = {str(iris.organisation(i)) for i in organisations}
    kept = []
    for quad in ox.parse(base_nquads, format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value == cases_graph \
                and isinstance(quad.subject, ox.NamedNode):
            subject = quad.subject.value
            if subject in case_iris or (subject.rsplit("/rol/", 1)[0] in case_iris and "/rol/" in subject):
                continue
            if subject in org_iris and quad.predicate.value not in FOREIGN_ORG_PREDICATES:
                continue
            if subject.endswith("/contact") and subject.removesuffix("/contact") in org_iris:
                continue  # the organisation's contact point goes with its description
        kept.append(quad)
    return kept


__all__ = ["CURATION_GRAPH", "Context", "CurationError", "change_triples", "check_case", "check_organisation",
           "effective_sources", "owned_subjects", "rebase", "types_of", "render", "shacl_check", "superseded_filter", "tombstone"]

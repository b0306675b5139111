"""Linked Data: what the graph says about one IRI, as RDF or as a readable page.

Lookups go through the store interface (kg/store.py: the embedded store's triple index, or one
query per lookup on a store server), bounded by ``limit``, so they are cheap enough to run in the web
process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.store import GraphStore

from ._serializers import write_triples

SKOS_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DCTERMS_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
LABEL_PROPERTIES = (SKOS_PREF_LABEL, RDFS_LABEL, DCTERMS_TITLE)
LANGUAGE_ORDER = ("nl", "en", "")


@dataclass(frozen=True)
class Description:
    """The triples about the resources of one document, and what is known to point at them."""

    iris: tuple[str, ...]
    triples: list[ox.Triple]
    incoming: list[ox.Triple]
    truncated: bool

    def __bool__(self) -> bool:
        return bool(self.triples)


def describe(store: GraphStore, iris: list[str], *, limit: int = 5000, incoming_limit: int = 200) -> Description:
    """Triples with each IRI as subject (every graph, duplicates dropped), plus the blank nodes they reach."""
    seen: set[ox.Triple] = set()
    triples: list[ox.Triple] = []
    roots = [node for node in map(_named_node, iris) if node is not None]
    truncated = False
    for root in roots:
        for triple in store.describe_quads(root, limit=limit):
            if triple in seen:
                continue
            if len(triples) >= limit:
                truncated = True
                break
            seen.add(triple)
            triples.append(triple)
        if truncated:
            break
    incoming: list[ox.Triple] = []
    if len(roots) == 1:
        for quad in store.quads_for_pattern(None, None, roots[0], None):
            if len(incoming) >= incoming_limit:
                break
            if quad.triple not in incoming:
                incoming.append(quad.triple)
    return Description(iris=tuple(iris), triples=triples, incoming=incoming, truncated=truncated)


def _named_node(iri: str) -> ox.NamedNode | None:
    """The IRI as a term, or None when it is not a valid IRI (a mistyped URL is just unknown)."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def subjects_with_prefix(store: GraphStore, graph: str, prefix: str) -> list[str]:
    """IRIs in ``graph`` that start with ``prefix`` and are the subject of something (e.g. ontology terms)."""
    found = {q.subject.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
             if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)}
    return sorted(found)


def label_of(store: GraphStore, term: ox.NamedNode | ox.BlankNode) -> str | None:
    """The best label: skos:prefLabel, rdfs:label or dcterms:title, Dutch first, then English, then any."""
    if not isinstance(term, ox.NamedNode):
        return None
    return labels_of(store, [term]).get(term.value)


def labels_of(store: GraphStore, terms: list[ox.NamedNode]) -> dict[str, str]:
    """The best label of each term (as ``label_of``), looked up in one go."""
    best: dict[str, tuple[int, int, str]] = {}
    for quad in store.label_quads(list(dict.fromkeys(terms)), LABEL_PROPERTIES):
        if not isinstance(quad.object, ox.Literal):
            continue
        language = quad.object.language or ""
        order = LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else len(LANGUAGE_ORDER)
        candidate = (order, LABEL_PROPERTIES.index(quad.predicate), quad.object.value)
        key = quad.subject.value
        if key not in best or candidate < best[key]:
            best[key] = candidate
    return {iri: value[2] for iri, value in best.items()}


def to_rdf(description: Description, fmt: str, *, prefixes: dict[str, str]) -> bytes:
    return write_triples(description.triples, fmt, prefixes=prefixes)


class HtmlRenderer:
    """Prepares a description for api/templates/ld_resource.html; links under the base stay on this site."""

    def __init__(self, *, base_iri: str) -> None:
        self.base_iri = base_iri

    def local_path(self, iri: str) -> str | None:
        """The path on this server that serves ``iri``, or None for IRIs outside the base."""
        kl_def = "https://w3id.org/kringloop/def"
        if iri.startswith(self.base_iri):
            return "/" + iri[len(self.base_iri):]
        if iri.startswith(kl_def):
            return "/def" + iri[len(kl_def):]
        return None

    def context(self, store: GraphStore, description: Description, *, title_iri: str,
                prefixes: dict[str, str]) -> dict[str, Any]:
        """What api/templates/ld_resource.html shows: the triples by subject, labelled, and what links here."""
        shown = [t for triple in (*description.triples, *description.incoming)
                 for t in (triple.subject, triple.predicate, triple.object) if isinstance(t, ox.NamedNode)]
        labels = labels_of(store, [*shown, ox.NamedNode(title_iri)])

        def view(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict:
            if isinstance(term, ox.NamedNode):
                return {"kind": "iri", "iri": term.value, "href": self.local_path(term.value) or term.value,
                        "label": labels.get(term.value), "short": _shorten(term.value, prefixes)}
            if isinstance(term, ox.BlankNode):
                return {"kind": "bnode", "text": f"_:{term.value}"}
            if isinstance(term, ox.Literal):
                datatype = term.datatype.value
                return {"kind": "literal", "text": term.value, "language": term.language,
                        "datatype": None if term.language or datatype.endswith("#string")
                        else _shorten(datatype, prefixes)}
            return {"kind": "literal", "text": str(term), "language": None, "datatype": None}

        by_subject: dict[str, list[dict]] = {}
        for triple in sorted(description.triples, key=_sort_key):
            key = str(triple.subject)
            by_subject.setdefault(key, []).append({"predicate": view(triple.predicate), "object": view(triple.object)})
        subjects = [{"node": view(_node(s)), "rows": rows} for s, rows in by_subject.items()]
        incoming = [{"subject": view(t.subject), "predicate": view(t.predicate)} for t in description.incoming]
        return {"iri": title_iri, "label": labels.get(title_iri), "subjects": subjects,
                "incoming": incoming, "truncated": description.truncated,
                "formats": [("Turtle", "turtle", "text/turtle"), ("JSON-LD", "jsonld", "application/ld+json"),
                            ("N-Triples", "ntriples", "application/n-triples")]}


def _node(text: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text[1:-1])


def _sort_key(triple: ox.Triple) -> tuple:
    # labels first, then properties alphabetically, Dutch literals before others
    language = triple.object.language if isinstance(triple.object, ox.Literal) else None
    return (str(triple.subject).startswith("_:"), str(triple.subject),
            triple.predicate not in LABEL_PROPERTIES, triple.predicate.value,
            LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else 3, str(triple.object))


def _shorten(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri

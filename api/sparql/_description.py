"""The SPARQL service description (sd:Service) and the VoID description of the dataset, as rdflib graphs."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from kg.namespaces import SD

from ._examples import ExampleQuery
from ._guard import query_form
from ._negotiation import GRAPH_FORMATS, RESULT_FORMATS

SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

# W3C format IRIs (https://www.w3.org/ns/formats/) of what the endpoint writes
_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
                "jsonld": "JSON-LD", "rdfxml": "RDF_XML"}


def service_description(*, endpoint: str, dataset_iri: str, graph_sizes: dict[str, int],
                        union_default_graph: bool, examples: list[ExampleQuery]) -> Graph:
    """``sd:Service`` for ``endpoint``: languages, formats, the default dataset and the example queries."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("sh", SH)
    g.bind("schema", SCHEMA)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in (*RESULT_FORMATS, *GRAPH_FORMATS):
        g.add((service, SD.resultFormat, FORMATS[_FORMAT_IRIS[fmt.key]]))
    if union_default_graph:
        g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, RDFS.comment, Literal(
        "Read-only SPARQL 1.1 endpoint. SERVICE, LOAD, updates and FROM outside the graphs below are "
        "refused; queries are time-limited and row-capped (header X-Kringloop-Truncated).", lang="en")))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, DCTERMS.source, URIRef(dataset_iri)))
    default_graph = BNode()
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(sum(graph_sizes.values()), datatype=XSD.integer)))
    for name, size in sorted(graph_sizes.items()):
        named = BNode()
        description = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, description))
        g.add((description, RDF.type, SD.Graph))
        g.add((description, VOID.triples, Literal(size, datatype=XSD.integer)))
    for example in examples:
        node = URIRef(f"{endpoint}/examples#{example.name}")
        g.add((service, RDFS.seeAlso, node))
        g.add((node, RDF.type, SH.SPARQLExecutable))
        g.add((node, SCHEMA.target, service))
        g.add((node, SCHEMA.identifier, Literal(example.name)))
        g.add((node, RDFS.label, Literal(example.title, lang="nl")))
        g.add((node, RDFS.label, Literal(example.title_en, lang="en")))
        g.add((node, RDFS.comment, Literal(example.description, lang="nl")))
        g.add((node, RDFS.comment, Literal(example.description_en, lang="en")))
        g.add((node, SH[query_form(example.query).lower()], Literal(example.query)))
    return g


def void_description(*, dataset_iri: str, endpoint: str, site: str, graph_sizes: dict[str, int],
                     meta: Graph | None = None) -> Graph:
    """VoID for ``/.well-known/void``: the build's own dataset description plus live counts and access points."""
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.bind("sd", SD)
    if meta is not None:
        g += meta
    dataset = URIRef(dataset_iri)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    g.add((dataset, VOID.triples, Literal(sum(graph_sizes.values()), datatype=XSD.integer)))
    for extension in ("ttl", "nt", "jsonld"):
        g.add((dataset, VOID.dataDump, URIRef(f"{site}/dumps/kringloop.{extension}")))
    for name, size in sorted(graph_sizes.items()):
        subset = URIRef(name)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))
        g.add((subset, SD.name, subset))
    return g

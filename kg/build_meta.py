"""DCAT/VoID description of the dataset, its distributions and its sources (with licence statements)."""

from __future__ import annotations

from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    GEO,
    ORG,
    PROV,
    QB,
    RDF,
    RDFS,
    SKOS,
    VOID,
    XSD,
)

from .build_concepts import SEED_TITLE, SEED_URL
from .build_governments import SRC_PIC, SRC_STATBEL_2020
from .namespaces import BESLUIT, KL, Iris

LICENCE_OWN = URIRef("https://creativecommons.org/licenses/by/4.0/")

# (IRI, title, licence statement as the source gives it)
SOURCE_DATASETS: list[tuple[URIRef, str, str]] = [
    (SRC_PIC, "Provincies in Cijfers, gebiedsniveaus (boundaries, codes, arrondissements, IGS, police zones), "
     "commit 3b1b6d8d (2026-03-12)",
     "No licence file covers the folders used; geometry is a simplified version of Statbel open data. "
     "Check reuse terms before redistributing."),
    (SRC_STATBEL_2020, "Statbel population by municipality on 1 January 2020, via bmesuere/belgium-topojson a903fdab",
     "CC0 1.0; underlying data from Statbel."),
    (SEED_URL, SEED_TITLE, "Publication by Vlaanderen Circulair and Möbius (October 2022); figures cited as facts."),
    (URIRef("https://github.com/lblod/app-organization-portal/tree/17f7c04065d7a38257a7d691af9ee35e03e16114"),
     "Organisatieportaal (Agentschap Binnenlands Bestuur), lblod/app-organization-portal 17f7c040 (2023-12-12): "
     "municipal websites (data/contacts/municipal_websites.csv)",
     "Repository under the MIT licence; see data/contacts/PROVENANCE.md."),
    (URIRef("id/bron/cases"), "Kringloop case dataset (data/cases/*.yaml): summaries are "
     "own wording, each case based on a public web page named in its dcterms:source",
     "Own work, CC BY 4.0; the web pages cited keep their own terms."),
]


def add_meta(g: Graph, iris: Iris, *, triples: int, graphs: list[URIRef]) -> None:
    dataset = iris("id/dataset/kringloop")
    now = Literal(datetime.now(timezone.utc).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal("Kringloop: lokale besturen en de circulaire economie in Vlaanderen", lang="nl")))
    g.add((dataset, DCTERMS.title, Literal("Kringloop: local governments and the circular economy in Flanders", lang="en")))
    g.add((dataset, DCTERMS.description, Literal(
        "Kennisgraaf van alle Vlaamse lokale besturen (gemeenten, provincies, intergemeentelijke samenwerkingsverbanden, "
        "POM's), hun circulaire praktijken met bronnen, partners uit de maatschappelijke vijfhoek en de resultaten van "
        "de verkenningsronde 2022.", lang="nl")))
    g.add((dataset, DCTERMS.description, Literal(
        "Knowledge graph of all Flemish local governments, their circular-economy practices with sources, partners "
        "from the societal pentagon and the results of the 2022 survey.", lang="en")))
    g.add((dataset, DCTERMS.license, LICENCE_OWN))
    g.add((dataset, DCTERMS.modified, now))
    g.add((dataset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    g.add((dataset, VOID.sparqlEndpoint, iris("sparql")))
    g.add((dataset, VOID.uriSpace, Literal(iris.base + "id/")))
    g.add((dataset, VOID.exampleResource, iris.municipality("24062")))
    g.add((dataset, VOID.exampleResource, iris.case("leuven-resource-hub")))
    for vocabulary in (BESLUIT, ORG, SKOS, PROV, QB, GEO, KL._NS):
        g.add((dataset, VOID.vocabulary, URIRef(str(vocabulary))))
    for graph in graphs:
        g.add((dataset, VOID.subset, graph))
        g.add((graph, RDF.type, VOID.Dataset))
    activity = iris("id/dataset/kringloop/build")
    g.add((dataset, PROV.wasGeneratedBy, activity))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.endedAtTime, now))
    g.add((activity, RDFS.label, Literal("kringloop build", lang="en")))
    for fmt, suffix, media in (("Turtle", "ttl", "text/turtle"), ("N-Triples", "nt", "application/n-triples"),
                               ("JSON-LD", "jsonld", "application/ld+json")):
        dist = iris(f"id/dataset/kringloop/distributie/{suffix}")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"Kringloop dump ({fmt})", lang="en")))
        g.add((dist, DCAT.downloadURL, iris(f"dumps/kringloop.{suffix}")))
        g.add((dist, DCAT.mediaType, Literal(media)))
        g.add((dist, DCTERMS.license, LICENCE_OWN))
    for source, title, licence in SOURCE_DATASETS:
        source = source if str(source).startswith("http") else iris(str(source))  # relative = ours
        g.add((dataset, DCTERMS.source, source))
        g.add((dataset, PROV.wasDerivedFrom, source))
        g.add((source, RDF.type, DCAT.Dataset))
        g.add((source, RDF.type, PROV.Entity))
        g.add((source, DCTERMS.title, Literal(title)))
        g.add((source, DCTERMS.rights, Literal(licence, lang="en")))
    remedies = iris("id/bron/barrier-remedies")
    g.add((remedies, RDF.type, PROV.Entity))
    g.add((remedies, DCTERMS.title, Literal("Redactionele koppeling drempel -> instrument (data/barrier_remedies.yaml)", lang="nl")))
    g.add((remedies, DCTERMS.title, Literal("Editorial barrier -> instrument mapping (data/barrier_remedies.yaml)", lang="en")))
    g.add((remedies, PROV.wasAttributedTo, Literal("Kringloop team")))

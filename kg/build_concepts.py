"""SKOS concept schemes from concepts.yaml and vocabularies.yaml, and the barrier-remedy knowledge."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from .errors import SourceDataError
from .namespaces import KL, Iris
from .sources import Sources

SEED_TITLE = ("Lokale besturen en de circulaire economie in Vlaanderen - Resultaten van een verkenningsronde "
              "bij de start van het doe-netwerk Lokaal Circulair (Vlaanderen Circulair & Möbius, 2022)")
SEED_URL = URIRef("http://www.lokaalcirculair.be")

# (yaml key, scheme slug, label nl, label en)
SCHEMES: list[tuple[str, str, str, str]] = [
    ("themes", "thema", "Circulaire thema's (actiedomeinen)", "Circular themes (action domains)"),
    ("instruments", "instrument", "Circulaire beleidsinstrumenten", "Circular policy instruments"),
    ("barriers", "drempel", "Drempels voor circulair beleid", "Barriers to circular policy"),
    ("drivers", "drijfveer", "Drijfveren om circulair te gaan", "Drivers for going circular"),
    ("maturity", "maturiteit", "Maturiteit van een lokaal bestuur", "Maturity of a local government"),
    ("adoption_groups", "adoptiegroep", "Adoptiegroepen (Rogers)", "Adoption groups (Rogers)"),
    ("pentagon", "vijfhoek", "Maatschappelijke vijfhoek", "Societal pentagon"),
    ("support_forms", "ondersteuning", "Ondersteuningsvormen", "Forms of support"),
    ("communities_of_practice", "cop", "Communities of Practice en begeleidingstrajecten",
     "Communities of Practice and coaching tracks"),
    ("government_types", "bestuurstype", "Soorten lokale besturen", "Types of local government"),
]
OWN_SCHEMES: list[tuple[str, str, str, str]] = [
    ("organisation_kinds", "organisatiesoort", "Soorten organisaties", "Kinds of organisation"),
    ("case_roles", "casusrol", "Rollen in een case", "Roles in a case"),
    ("case_statuses", "casusstatus", "Status van een case", "Status of a case"),
    ("collaboration_roles", "samenwerkingsrol", "Rollen in een samenwerking", "Roles in a collaboration"),
    ("intercommunale_functions", "intercommunalefunctie", "Wat een intercommunale doet", "What an intercommunale does"),
]


# a scheme's slug in the graph (kg/MODEL.md) -> its key in concepts.yaml / vocabularies.yaml: the one map
CONCEPT_KEY = {slug: key for key, slug, _, _ in SCHEMES + OWN_SCHEMES}


def add_concepts(g: Graph, sources: Sources, iris: Iris) -> None:
    for key, slug, nl, en in SCHEMES:
        _add_scheme(g, iris, slug, nl, en, sources.concepts.get(key, []), source=SEED_URL)
    for key, slug, nl, en in OWN_SCHEMES:
        _add_scheme(g, iris, slug, nl, en, sources.vocabularies.get(key, []), source=None)
    _add_concept_details(g, sources, iris)


def _add_scheme(g: Graph, iris: Iris, slug: str, nl: str, en: str, items: list[dict], *, source: URIRef | None) -> None:
    scheme = iris.scheme(slug)
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(nl, lang="nl")))
    g.add((scheme, SKOS.prefLabel, Literal(en, lang="en")))
    g.add((scheme, DCTERMS.identifier, Literal(slug)))
    if source is not None:
        g.add((scheme, DCTERMS.source, source))
    for item in items:
        concept = iris.concept(slug, item["code"])
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.notation, Literal(item["code"])))
        g.add((concept, SKOS.prefLabel, Literal(item["nl"], lang="nl")))
        g.add((concept, SKOS.prefLabel, Literal(item["en"], lang="en")))
        g.add((concept, SKOS.inScheme, scheme))
        if "broader" in item:
            parent = iris.concept(slug, item["broader"])
            g.add((concept, SKOS.broader, parent))
            g.add((parent, SKOS.narrower, concept))
        else:
            g.add((concept, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, concept))
        if item.get("source"):
            g.add((concept, SKOS.editorialNote, Literal(item["source"], lang="en")))


def _add_concept_details(g: Graph, sources: Sources, iris: Iris) -> None:
    for item in sources.concepts.get("maturity", []):
        concept = iris.concept("maturiteit", item["code"])
        g.add((concept, KL.level, Literal(item["level"], datatype=XSD.integer)))
        g.add((concept, KL.adoptionGroup, iris.concept("adoptiegroep", item["group"])))
    for key, slug, share_key in (("barriers", "drempel", "share"), ("drivers", "drijfveer", "share_first_reason"),
                                 ("adoption_groups", "adoptiegroep", "share")):
        for item in sources.concepts.get(key, []):
            if share_key in item:
                g.add((iris.concept(slug, item["code"]), KL.seedShare, Literal(str(item[share_key]), datatype=XSD.decimal)))
    for item in sources.vocabularies.get("organisation_kinds", []):
        g.add((iris.concept("organisatiesoort", item["code"]), KL.pentagonRole, iris.concept("vijfhoek", item["pentagon"])))
    for item in sources.concepts.get("communities_of_practice", []):
        cop = iris.concept("cop", item["code"])
        g.add((cop, RDF.type, KL.CommunityOfPractice))
        g.add((cop, DCTERMS.identifier, Literal(item["code"])))
        g.add((cop, KL.copKind, Literal(item["kind"])))
        for code in item.get("themes", []):
            g.add((cop, KL.theme, iris.concept("thema", code)))
        for code in item.get("instruments", []):
            g.add((cop, KL.instrument, iris.concept("instrument", code)))


def add_barrier_remedies(g: Graph, sources: Sources, iris: Iris) -> None:
    """The documented barrier -> instrument knowledge (data/barrier_remedies.yaml)."""
    barriers = {c["code"] for c in sources.concepts["barriers"]}
    instruments = {c["code"] for c in sources.concepts["instruments"]}
    counters: dict[str, int] = {}
    for item in sources.barrier_remedies:
        record = f"{item.get('barrier')} -> {item.get('instrument')}"
        if item.get("barrier") not in barriers:
            raise SourceDataError("data/barrier_remedies.yaml", record, f"unknown barrier code {item.get('barrier')!r}")
        if item.get("instrument") not in instruments:
            raise SourceDataError("data/barrier_remedies.yaml", record, f"unknown instrument code {item.get('instrument')!r}")
        counters[item["barrier"]] = counters.get(item["barrier"], 0) + 1
        node = iris(f"id/remedie/{item['barrier']}/{counters[item['barrier']]}")
        barrier, remedy = iris.concept("drempel", item["barrier"]), iris.concept("instrument", item["instrument"])
        g.add((node, RDF.type, KL.BarrierRemedy))
        g.add((node, KL.barrier, barrier))
        g.add((node, KL.remedy, remedy))
        g.add((node, KL.strength, Literal(str(item.get("strength", 1.0)), datatype=XSD.decimal)))
        g.add((node, KL.rationale, Literal(item["rationale_nl"], lang="nl")))
        g.add((node, KL.rationale, Literal(item["rationale_en"], lang="en")))
        g.add((node, PROV.wasDerivedFrom, iris("id/bron/barrier-remedies")))
        g.add((barrier, KL.addressedBy, remedy))

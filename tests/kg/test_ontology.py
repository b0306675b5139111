"""The ontology, the SHACL shapes, the barrier remedies and the ontology docs keep their promises."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pyshacl
import pytest
import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID
from rdflib.term import Node

from kg.docs import write_ontology_docs
from kg.namespaces import BESLUIT, GEO, KL, LBLOD_CLASSIFICATION, QB, VL_GEMEENTE, Iris

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_TTL = ROOT / "ontology" / "kringloop.ttl"
SHAPES_TTL = ROOT / "ontology" / "shapes.ttl"
REMEDIES_YAML = ROOT / "data" / "barrier_remedies.yaml"
CONCEPTS_YAML = ROOT / "data" / "concepts.yaml"

KL_NS = str(KL._NS)
KL_TERMS = {KL[name] for name in KL.__annotations__}
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
LANGUAGES = ("nl", "en")

# Standard vocabularies whose classes shapes may target; rdflib's closed namespaces know their terms.
STANDARD_NAMESPACES: tuple[type[rdfns.DefinedNamespace], ...] = (ORG, SKOS, rdfns.DCAT, PROV, VOID)
# The RDF Data Cube, OSLO besluit and GeoSPARQL namespaces are open in kg.namespaces; their classes
# as named in the W3C / OSLO specifications.
OPEN_STANDARD_CLASSES = {
    QB.DataSet, QB.Observation, QB.DataStructureDefinition,
    BESLUIT.Bestuurseenheid,
    GEO.Feature, GEO.Geometry, GEO.SpatialObject,
    URIRef("https://schema.org/ContactPoint"),  # how to reach a government or organisation (schema.org)
}


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_TTL)


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL)


def declared_kl_terms(ontology: Graph) -> set[URIRef]:
    return {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(KL_NS)}


# --- (a) the closed namespace and the ontology agree -------------------------------------------


def test_every_kl_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    assert sorted(KL_TERMS - declared_kl_terms(ontology)) == []


def test_the_ontology_declares_no_term_missing_from_kl(ontology: Graph) -> None:
    assert sorted(declared_kl_terms(ontology) - KL_TERMS) == []


def test_the_ontology_and_shapes_use_no_undeclared_kl_iri(ontology: Graph, shapes: Graph) -> None:
    used = {node for graph in (ontology, shapes) for triple in graph for node in triple
            if isinstance(node, URIRef) and str(node).startswith(KL_NS)}
    assert sorted(used - KL_TERMS) == []


def test_the_ontology_does_not_redeclare_standard_terms(ontology: Graph) -> None:
    foreign = {s for s in ontology.subjects(RDF.type, None)
               if isinstance(s, URIRef) and not str(s).startswith("https://w3id.org/kringloop/")}
    assert foreign == set()


def test_the_ontology_header_carries_its_metadata(ontology: Graph) -> None:
    (onto,) = ontology.subjects(RDF.type, OWL.Ontology)
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, OWL.versionInfo):
        assert ontology.value(onto, predicate) is not None, predicate
    assert ontology.value(onto, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")) == Literal("kl")


# --- (b) every term is typed and documented in both languages --------------------------------


@pytest.mark.parametrize("term", sorted(KL_TERMS), ids=lambda t: str(t).removeprefix(KL_NS))
def test_each_term_has_one_owl_type_and_a_label_and_comment_in_dutch_and_english(ontology: Graph,
                                                                                 term: URIRef) -> None:
    assert len(set(ontology.objects(term, RDF.type)) & TERM_TYPES) == 1
    for predicate in (RDFS.label, RDFS.comment):
        languages = [value.language for value in ontology.objects(term, predicate)]
        assert sorted(languages) == sorted(LANGUAGES), (predicate, languages)


def test_properties_are_typed_as_their_ranges_say(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        for range_ in ontology.objects(prop, RDFS.range):
            assert range_ == RDFS.Literal or str(range_).startswith((str(rdfns.XSD), str(RDF))), (prop, range_)
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        for range_ in ontology.objects(prop, RDFS.range):
            assert not str(range_).startswith(str(rdfns.XSD)), (prop, range_)


# --- (c) the shapes parse and target known classes --------------------------------------------


def is_standard_class(iri: URIRef) -> bool:
    for namespace in STANDARD_NAMESPACES:
        if iri in namespace:
            return str(iri).removeprefix(str(namespace._NS))[:1].isupper()
    return iri in OPEN_STANDARD_CLASSES


def test_every_shape_targets_a_class_that_the_ontology_or_a_standard_defines(ontology: Graph,
                                                                            shapes: Graph) -> None:
    ours = set(ontology.subjects(RDF.type, OWL.Class))
    targets = set(shapes.objects(None, SH.targetClass))
    assert targets, "shapes.ttl targets no class"
    assert sorted(t for t in targets if t not in ours and not is_standard_class(t)) == []


@pytest.mark.parametrize("cls", [
    KL.CurrentMunicipality, KL.FormerMunicipality, KL.Province, KL.IntermunicipalAssociation, KL.PoliceZone,
    KL.DevelopmentAgency, ORG.Organization, KL.Case, KL.Participation, ORG.Membership,
    ORG.OrganizationalCollaboration, KL.CommunityOfPractice, SKOS.Concept, SKOS.ConceptScheme, KL.BarrierRemedy,
    QB.Observation, QB.DataSet, rdfns.DCAT.Dataset, GEO.Geometry,
], ids=lambda c: str(c).rsplit("#", 1)[-1].rsplit("/", 1)[-1])
def test_every_class_the_build_produces_has_a_shape(shapes: Graph, cls: URIRef) -> None:
    assert (None, SH.targetClass, cls) in shapes


# --- (d) the shapes accept correct data and catch broken data ---------------------------------

IRI = Iris()
LEUVEN = IRI.municipality("24062")
HERENT = IRI.municipality("24038")
GALMAARDEN = IRI.municipality("23023")
PAJOTTEGEM = IRI.municipality("23106")
VLAAMS_BRABANT = IRI.province("20001")
CASE = IRI.case("leuven-resource-hub")
PARTICIPATION = URIRef(f"{CASE}/rol/1")
REMEDY = IRI("id/remedie/kennis-bestuur/1")
DATASET = IRI("id/dataset/enquete-2022")
OBSERVATION = IRI("id/dataset/enquete-2022/obs/drempel-kennis-bestuur")
CENTROID = URIRef(f"{LEUVEN}/centroid")
SOURCE = URIRef("https://www.leuven2030.be/doorbraakproject/leuven-circulair-met-de-resource-hub")
PLATFORM = IRI.collaboration("platform-leuven-circulair")
KU_LEUVEN = IRI.organisation("ku-leuven")
MEMBERSHIP = IRI("id/lidmaatschap/platform-leuven-circulair/ku-leuven")
SOURCE_DATASET = URIRef("https://github.com/bmesuere/belgium-topojson")
SEED = URIRef("http://www.lokaalcirculair.be")

CONCEPTS = {
    ("thema", "circulair-bouwen"): ("Circulair bouwen", "Circular building"),
    ("instrument", "circulair-aankopen"): ("Circulair aankopen", "Circular procurement"),
    ("drempel", "kennis-bestuur"): ("Onvoldoende kennis bij het bestuur", "Insufficient knowledge in government"),
    ("vijfhoek", "overheid"): ("Beleidsmakers en overheden", "Policy makers and governments"),
    ("casusstatus", "lopend"): ("Lopend", "Ongoing"),
    ("casusrol", "trekker"): ("Trekker", "Lead"),
    ("bestuurstype", "gemeente"): ("Gemeente", "Municipality"),
    ("bestuurstype", "provincie"): ("Provincie", "Province"),
    ("enquetevraag", "drempels"): ("Grootste drempels", "Biggest barriers"),
    ("organisatiesoort", "kennisinstelling"): ("Kennisinstelling", "Knowledge institution"),
    ("vijfhoek", "kennisinstellingen"): ("Kennisinstellingen", "Knowledge institutions"),
}


def decimal(value: str) -> Literal:
    return Literal(value, datatype=rdfns.XSD.decimal)


def date(value: str) -> Literal:
    return Literal(value, datatype=rdfns.XSD.date)


def concept(scheme: str, code: str) -> URIRef:
    return IRI.concept(scheme, code)


def municipality(g: Graph, iri: URIRef, nis: str, name: str) -> None:
    g.add((iri, RDF.type, KL.CurrentMunicipality))
    g.add((iri, DCTERMS.identifier, Literal(nis)))
    g.add((iri, SKOS.prefLabel, Literal(name, lang="nl")))
    g.add((iri, KL.governmentType, concept("bestuurstype", "gemeente")))
    g.add((iri, KL.province, VLAAMS_BRABANT))
    g.add((iri, BESLUIT.werkingsgebied, VL_GEMEENTE[nis]))
    g.add((iri, BESLUIT.classificatie, LBLOD_CLASSIFICATION["5ab0e9b8a3b2ca7c5e000001"]))


def valid_graph() -> Graph:
    """A small graph that follows MODEL.md: concepts, a province, municipalities, a case, a remedy, the survey."""
    g = Graph()
    for scheme in {scheme for scheme, _ in CONCEPTS}:
        g.add((IRI.scheme(scheme), RDF.type, SKOS.ConceptScheme))
        g.add((IRI.scheme(scheme), SKOS.prefLabel, Literal(scheme, lang="nl")))
    for (scheme, code), (nl, en) in CONCEPTS.items():
        c = concept(scheme, code)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.notation, Literal(code)))
        g.add((c, SKOS.prefLabel, Literal(nl, lang="nl")))
        g.add((c, SKOS.prefLabel, Literal(en, lang="en")))
        g.add((c, SKOS.inScheme, IRI.scheme(scheme)))
    g.add((concept("drempel", "kennis-bestuur"), KL.seedShare, decimal("0.63")))
    g.add((concept("drempel", "kennis-bestuur"), KL.addressedBy, concept("instrument", "circulair-aankopen")))

    g.add((VLAAMS_BRABANT, RDF.type, KL.Province))
    g.add((VLAAMS_BRABANT, DCTERMS.identifier, Literal("20001")))
    g.add((VLAAMS_BRABANT, SKOS.prefLabel, Literal("Vlaams-Brabant", lang="nl")))
    g.add((VLAAMS_BRABANT, KL.governmentType, concept("bestuurstype", "provincie")))
    g.add((VLAAMS_BRABANT, KL.iso31662, Literal("BE-VBR")))
    g.add((VLAAMS_BRABANT, KL.capital, LEUVEN))

    municipality(g, LEUVEN, "24062", "Leuven")
    municipality(g, HERENT, "24038", "Herent")
    municipality(g, PAJOTTEGEM, "23106", "Pajottegem")
    g.add((LEUVEN, KL.population, Literal(101396)))
    g.add((LEUVEN, KL.populationDate, date("2020-01-01")))
    g.add((LEUVEN, KL.areaKm2, decimal("56.63")))
    g.add((LEUVEN, KL.isCentrumstad, Literal(True)))
    g.add((LEUVEN, KL.arrondissementCode, Literal("24000")))
    g.add((LEUVEN, GEO.hasCentroid, CENTROID))
    g.add((CENTROID, RDF.type, GEO.Geometry))
    g.add((CENTROID, GEO.asWKT, Literal("POINT(4.7005 50.8798)", datatype=GEO.wktLiteral)))
    g.add((LEUVEN, GEO.sfTouches, HERENT))
    g.add((HERENT, GEO.sfTouches, LEUVEN))

    g.add((GALMAARDEN, RDF.type, KL.FormerMunicipality))
    g.add((GALMAARDEN, DCTERMS.identifier, Literal("23023")))
    g.add((GALMAARDEN, SKOS.prefLabel, Literal("Galmaarden", lang="nl")))
    g.add((GALMAARDEN, KL.governmentType, concept("bestuurstype", "gemeente")))
    g.add((GALMAARDEN, KL.endDate, date("2025-01-01")))
    g.add((GALMAARDEN, DCTERMS.isReplacedBy, PAJOTTEGEM))
    g.add((PAJOTTEGEM, DCTERMS.replaces, GALMAARDEN))
    g.add((PAJOTTEGEM, KL.mergedOn, date("2025-01-01")))

    g.add((CASE, RDF.type, KL.Case))
    g.add((CASE, DCTERMS.identifier, Literal("leuven-resource-hub")))
    g.add((CASE, DCTERMS.title, Literal("Leuven circulair met de Resource Hub", lang="nl")))
    g.add((CASE, SKOS.prefLabel, Literal("Leuven circulair met de Resource Hub", lang="nl")))
    g.add((CASE, DCTERMS.abstract, Literal("Stad Leuven bouwt een Resource Hub.", lang="nl")))
    g.add((CASE, DCTERMS.abstract, Literal("The City of Leuven builds a Resource Hub.", lang="en")))
    g.add((CASE, DCTERMS.source, SOURCE))
    g.add((CASE, PROV.wasDerivedFrom, SOURCE))
    g.add((CASE, KL.theme, concept("thema", "circulair-bouwen")))
    g.add((CASE, KL.instrument, concept("instrument", "circulair-aankopen")))
    g.add((CASE, KL.pentagonRole, concept("vijfhoek", "overheid")))
    g.add((CASE, KL.status, concept("casusstatus", "lopend")))
    g.add((CASE, KL.startYear, Literal("2021", datatype=rdfns.XSD.gYear)))
    g.add((CASE, KL.evidence, Literal("Met de Leuvense Resource Hub willen we partners samenbrengen", lang="nl")))
    g.add((CASE, PROV.wasAssociatedWith, LEUVEN))
    g.add((CASE, KL.leadGovernment, LEUVEN))
    g.add((CASE, PROV.qualifiedAssociation, PARTICIPATION))
    g.add((PARTICIPATION, RDF.type, KL.Participation))
    g.add((PARTICIPATION, PROV.agent, LEUVEN))
    g.add((PARTICIPATION, PROV.hadRole, concept("casusrol", "trekker")))
    g.add((PARTICIPATION, KL.pentagonRole, concept("vijfhoek", "overheid")))

    g.add((REMEDY, RDF.type, KL.BarrierRemedy))
    g.add((REMEDY, KL.barrier, concept("drempel", "kennis-bestuur")))
    g.add((REMEDY, KL.remedy, concept("instrument", "circulair-aankopen")))
    g.add((REMEDY, KL.strength, decimal("0.4")))
    g.add((REMEDY, KL.rationale, Literal("Leren door te doen.", lang="nl")))
    g.add((REMEDY, KL.rationale, Literal("Learning by doing.", lang="en")))

    structure = BNode()
    g.add((DATASET, RDF.type, QB.DataSet))
    g.add((DATASET, QB.structure, structure))
    g.add((structure, RDF.type, QB.DataStructureDefinition))
    g.add((DATASET, DCTERMS.source, SEED))
    g.add((OBSERVATION, RDF.type, QB.Observation))
    g.add((OBSERVATION, QB.dataSet, DATASET))
    g.add((OBSERVATION, KL.surveyQuestion, concept("enquetevraag", "drempels")))
    g.add((OBSERVATION, KL.surveyCategory, concept("drempel", "kennis-bestuur")))
    g.add((OBSERVATION, QB.measureType, KL.share))
    g.add((OBSERVATION, KL.share, decimal("0.63")))
    g.add((OBSERVATION, KL.sampleSize, Literal(106)))

    g.add((KU_LEUVEN, RDF.type, ORG.Organization))
    g.add((KU_LEUVEN, DCTERMS.identifier, Literal("ku-leuven")))
    g.add((KU_LEUVEN, SKOS.prefLabel, Literal("KU Leuven", lang="nl")))
    g.add((KU_LEUVEN, ORG.classification, concept("organisatiesoort", "kennisinstelling")))
    g.add((KU_LEUVEN, KL.pentagonRole, concept("vijfhoek", "kennisinstellingen")))
    g.add((KU_LEUVEN, DCTERMS.source, URIRef("https://www.kuleuven.be")))
    g.add((PLATFORM, RDF.type, ORG.OrganizationalCollaboration))
    g.add((PLATFORM, SKOS.prefLabel, Literal("Platform Leuven Circulair", lang="nl")))
    g.add((PLATFORM, ORG.hasMember, KU_LEUVEN))
    g.add((MEMBERSHIP, RDF.type, ORG.Membership))
    g.add((MEMBERSHIP, ORG.member, KU_LEUVEN))
    g.add((MEMBERSHIP, ORG.organization, PLATFORM))
    g.add((MEMBERSHIP, ORG.role, concept("vijfhoek", "kennisinstellingen")))
    g.add((MEMBERSHIP, PROV.wasDerivedFrom, SEED))

    g.add((SOURCE_DATASET, RDF.type, rdfns.DCAT.Dataset))
    g.add((SOURCE_DATASET, DCTERMS.title, Literal("Statbel population 2020")))
    g.add((SOURCE_DATASET, DCTERMS.rights, Literal("CC0 1.0; underlying data from Statbel.", lang="en")))
    return g


def violations(data: Graph, shapes: Graph, ontology: Graph) -> set[tuple[Node, Node | None]]:
    """(focus node, result path) of every SHACL result, validating as the build does."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    return {(report.value(result, SH.focusNode), report.value(result, SH.resultPath))
            for result in report.subjects(RDF.type, SH.ValidationResult)}


def test_a_correct_small_graph_conforms(shapes: Graph, ontology: Graph) -> None:
    assert violations(valid_graph(), shapes, ontology) == set()


def drop(subject: Node, predicate: URIRef) -> Callable[[Graph], None]:
    return lambda g: g.remove((subject, predicate, None))


def replace(subject: Node, predicate: URIRef, value: Node) -> Callable[[Graph], None]:
    return lambda g: g.set((subject, predicate, value))


def add(subject: Node, predicate: URIRef, value: Node) -> Callable[[Graph], None]:
    return lambda g: g.add((subject, predicate, value))


THEME = concept("thema", "circulair-bouwen")
INSTRUMENT = concept("instrument", "circulair-aankopen")


def drop_english_label(g: Graph) -> None:
    g.remove((THEME, SKOS.prefLabel, Literal(CONCEPTS[("thema", "circulair-bouwen")][1], lang="en")))


def drop_theme_and_instrument(g: Graph) -> None:
    g.remove((CASE, KL.theme, None))
    g.remove((CASE, KL.instrument, None))


BROKEN = [
    ("case-without-source", drop(CASE, DCTERMS.source), CASE, DCTERMS.source),
    ("case-source-is-text", replace(CASE, DCTERMS.source, Literal(str(SOURCE))), CASE, DCTERMS.source),
    ("case-without-participation", drop(CASE, PROV.qualifiedAssociation), CASE, PROV.qualifiedAssociation),
    ("case-with-two-identifiers", add(CASE, DCTERMS.identifier, Literal("other")), CASE, DCTERMS.identifier),
    ("case-status-from-wrong-scheme", replace(CASE, KL.status, THEME), CASE, KL.status),
    ("case-theme-from-wrong-scheme", replace(CASE, KL.theme, INSTRUMENT), CASE, KL.theme),
    ("case-without-english-abstract", drop(CASE, DCTERMS.abstract), CASE, DCTERMS.abstract),
    ("case-without-theme-or-instrument", drop_theme_and_instrument, CASE, None),
    ("participation-without-role", drop(PARTICIPATION, PROV.hadRole), PARTICIPATION, PROV.hadRole),
    ("municipality-with-bad-nis", replace(LEUVEN, DCTERMS.identifier, Literal("2406")), LEUVEN, DCTERMS.identifier),
    ("municipality-with-negative-population", replace(LEUVEN, KL.population, Literal(-1)), LEUVEN, KL.population),
    ("municipality-population-as-text", replace(LEUVEN, KL.population, Literal("101396")), LEUVEN, KL.population),
    ("current-municipality-without-province", drop(HERENT, KL.province), HERENT, KL.province),
    ("former-municipality-without-successor",
     drop(GALMAARDEN, DCTERMS.isReplacedBy), GALMAARDEN, DCTERMS.isReplacedBy),
    ("former-municipality-without-end-date", drop(GALMAARDEN, KL.endDate), GALMAARDEN, KL.endDate),
    ("province-without-iso-code", drop(VLAAMS_BRABANT, KL.iso31662), VLAAMS_BRABANT, KL.iso31662),
    ("concept-missing-english-label", drop_english_label, THEME, SKOS.prefLabel),
    ("concept-without-notation", drop(INSTRUMENT, SKOS.notation), INSTRUMENT, SKOS.notation),
    ("centroid-with-swapped-coordinates",
     replace(CENTROID, GEO.asWKT, Literal("POINT(50.8798 4.7005)", datatype=GEO.wktLiteral)), CENTROID, GEO.asWKT),
    ("remedy-strength-above-one", replace(REMEDY, KL.strength, decimal("1.5")), REMEDY, KL.strength),
    ("remedy-barrier-is-an-instrument", replace(REMEDY, KL.barrier, INSTRUMENT), REMEDY, KL.barrier),
    ("organisation-without-kind", drop(KU_LEUVEN, ORG.classification), KU_LEUVEN, ORG.classification),
    ("membership-without-source", drop(MEMBERSHIP, PROV.wasDerivedFrom), MEMBERSHIP, PROV.wasDerivedFrom),
    ("membership-role-from-wrong-scheme", replace(MEMBERSHIP, ORG.role, THEME), MEMBERSHIP, ORG.role),
    ("source-dataset-without-licence", drop(SOURCE_DATASET, DCTERMS.rights), SOURCE_DATASET, None),
    ("observation-share-above-one", replace(OBSERVATION, KL.share, decimal("63")), OBSERVATION, KL.share),
    ("observation-without-value-for-its-measure",
     replace(OBSERVATION, QB.measureType, KL.meanScore), OBSERVATION, None),
]


@pytest.mark.parametrize(("break_it", "focus", "path"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_shapes_catch_broken_data(shapes: Graph, ontology: Graph, break_it: Callable[[Graph], None],
                                  focus: Node, path: Node | None) -> None:
    g = valid_graph()
    break_it(g)
    assert (focus, path) in violations(g, shapes, ontology)


def test_a_case_with_an_instrument_but_no_theme_conforms(shapes: Graph, ontology: Graph) -> None:
    g = valid_graph()
    g.remove((CASE, KL.theme, None))
    assert violations(g, shapes, ontology) == set()


# --- (e) the barrier remedies use the concept codes and explain themselves --------------------


@pytest.fixture(scope="session")
def remedies() -> list[dict]:
    return yaml.safe_load(REMEDIES_YAML.read_text(encoding="utf-8"))["remedies"]


@pytest.fixture(scope="session")
def concept_codes() -> dict[str, set[str]]:
    concepts = yaml.safe_load(CONCEPTS_YAML.read_text(encoding="utf-8"))
    return {scheme: {c["code"] for c in concepts[scheme]} for scheme in ("barriers", "instruments")}


def test_remedies_have_exactly_the_documented_fields(remedies: list[dict]) -> None:
    fields = {"barrier", "instrument", "strength", "rationale_nl", "rationale_en"}
    assert [r for r in remedies if set(r) != fields] == []


def test_remedies_use_only_codes_from_concepts_yaml(remedies: list[dict],
                                                   concept_codes: dict[str, set[str]]) -> None:
    assert {r["barrier"] for r in remedies} <= concept_codes["barriers"]
    assert {r["instrument"] for r in remedies} <= concept_codes["instruments"]


def test_every_barrier_has_two_to_four_distinct_remedies(remedies: list[dict],
                                                        concept_codes: dict[str, set[str]]) -> None:
    for barrier in sorted(concept_codes["barriers"]):
        instruments = [r["instrument"] for r in remedies if r["barrier"] == barrier]
        assert 2 <= len(instruments) <= 4, barrier
        assert len(set(instruments)) == len(instruments), barrier


def test_every_remedy_has_a_strength_between_zero_and_one(remedies: list[dict]) -> None:
    assert [r for r in remedies if not (isinstance(r["strength"], float) and 0 <= r["strength"] <= 1)] == []


def test_every_remedy_explains_itself_in_dutch_and_english(remedies: list[dict]) -> None:
    for r in remedies:
        for key in ("rationale_nl", "rationale_en"):
            assert isinstance(r[key], str) and len(r[key].split()) >= 6, (r["barrier"], r["instrument"], key)
        assert r["rationale_nl"] != r["rationale_en"]


# --- (f) the ontology docs ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def ontology_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("docs") / "ontology.html"
    with pytest.MonkeyPatch.context() as mp:
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"write_ontology_docs opened a network connection: {args}")
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket, "create_connection", refuse)
        path = write_ontology_docs(ONTOLOGY_TTL, out)
    assert path == out
    return out.read_text(encoding="utf-8")


def test_ontology_docs_name_every_class_in_both_languages(ontology: Graph, ontology_html: str) -> None:
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    labels = [str(label) for cls in classes for label in ontology.objects(cls, RDFS.label)]
    assert len(labels) == 2 * len(classes)
    assert [label for label in labels if label not in ontology_html] == []


def test_ontology_docs_name_every_property(ontology: Graph, ontology_html: str) -> None:
    props = {p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in ontology.subjects(RDF.type, kind)}
    assert [p for p in props if str(p) not in ontology_html] == []

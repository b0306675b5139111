"""Namespaces of the Kringloop graph. Standard terms come from rdflib; ours are closed (see MODEL.md)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import GEO, QB, DefinedNamespace  # noqa: F401 - GEO, QB re-exported for the build
from rdflib.namespace import SDO as SCHEMA  # noqa: F401 - re-exported for the build

DEFAULT_BASE_IRI = "https://w3id.org/kringloop/"

BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")
LBLOD_CLASSIFICATION = Namespace("http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/")
VL_GEMEENTE = Namespace("https://data.vlaanderen.be/id/gemeente/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


class KL(DefinedNamespace):
    """The Kringloop vocabulary; every term is declared in ontology/kringloop.ttl (a test checks both ways)."""

    _NS = Namespace("https://w3id.org/kringloop/def#")
    _fail = True

    # classes
    Municipality: URIRef
    CurrentMunicipality: URIRef
    FormerMunicipality: URIRef
    Province: URIRef
    IntermunicipalAssociation: URIRef
    PoliceZone: URIRef
    DevelopmentAgency: URIRef
    Case: URIRef
    Participation: URIRef
    CommunityOfPractice: URIRef
    BarrierRemedy: URIRef
    MemberList: URIRef
    # government properties
    governmentType: URIRef
    province: URIRef
    arrondissement: URIRef
    arrondissementCode: URIRef
    population: URIRef
    populationDate: URIRef
    populationIsSumOfPredecessors: URIRef
    areaKm2: URIRef
    isCentrumstad: URIRef
    isVlaamseRand: URIRef
    referenceRegion: URIRef
    transportRegion: URIRef
    endDate: URIRef
    mergedOn: URIRef
    iso31662: URIRef
    capital: URIRef
    associationKind: URIRef
    intercommunaleFunction: URIRef
    # member lists (intercommunale_members*.yaml)
    memberList: URIRef
    listOf: URIRef
    complete: URIRef
    dateSeen: URIRef
    sourceKind: URIRef
    listedCount: URIRef
    nameAsRead: URIRef
    memberAsRead: URIRef
    # organisations and cases
    pentagonRole: URIRef
    theme: URIRef
    instrument: URIRef
    startYear: URIRef
    status: URIRef
    evidence: URIRef
    leadOrganisationName: URIRef
    partnerName: URIRef
    leadGovernment: URIRef
    copKind: URIRef
    # barrier knowledge
    barrier: URIRef
    remedy: URIRef
    rationale: URIRef
    strength: URIRef
    addressedBy: URIRef
    # survey
    surveyQuestion: URIRef
    surveyCategory: URIRef
    share: URIRef
    meanScore: URIRef
    respondentCount: URIRef
    sampleSize: URIRef
    # concept metadata
    level: URIRef
    adoptionGroup: URIRef
    seedShare: URIRef
    # provenance
    synthetic: URIRef


class Iris:
    """Mints instance IRIs under one base (MODEL.md, 'IRIs')."""

    def __init__(self, base: str = DEFAULT_BASE_IRI) -> None:
        if not base.endswith("/"):
            base += "/"
        self.base = base

    def __call__(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def municipality(self, nis: str) -> URIRef:
        return self(f"id/gemeente/{nis}")

    def province(self, nis: str) -> URIRef:
        return self(f"id/provincie/{nis}")

    def organisation(self, org_id: str) -> URIRef:
        return self(f"id/organisatie/{org_id}")

    def association(self, code: str) -> URIRef:
        return self(f"id/samenwerkingsverband/{code}")

    def case(self, case_id: str) -> URIRef:
        return self(f"id/case/{case_id}")

    def collaboration(self, slug: str) -> URIRef:
        return self(f"id/samenwerking/{slug}")

    def concept(self, scheme: str, code: str) -> URIRef:
        return self(f"id/concept/{scheme}/{code}")

    def scheme(self, scheme: str) -> URIRef:
        return self(f"id/concept/{scheme}")

    def graph(self, name: str) -> URIRef:
        return self(f"graph/{name}")

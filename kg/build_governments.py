"""Municipalities (current and former), provinces, associations and their memberships."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from .errors import SourceDataError
from .namespaces import BESLUIT, GEO, KL, LBLOD_CLASSIFICATION, SCHEMA, VL_GEMEENTE, Iris
from .resolve import Resolver, is_development_agency, province_name
from .sources import Sources

MERGER_DATE = "2025-01-01"
POPULATION_DATE = "2020-01-01"
CLASS_GEMEENTE = LBLOD_CLASSIFICATION["5ab0e9b8a3b2ca7c5e000001"]
CLASS_PROVINCIE = LBLOD_CLASSIFICATION["5ab0e9b8a3b2ca7c5e000000"]
CLASS_APB = LBLOD_CLASSIFICATION["80310756-ce0a-4a1b-9b8e-7c01b6cc7a2d"]
CLASS_POLITIEZONE = LBLOD_CLASSIFICATION["a3922c6d-425b-474f-9a02-ffb71a436bfc"]

# source documents (prov:Entity, described in the meta graph)
SRC_PIC = URIRef("https://github.com/provinciesincijfers/gebiedsniveaus")
SRC_STATBEL_2020 = URIRef("https://github.com/bmesuere/belgium-topojson")


def _bool(value: str) -> Literal:
    return Literal(value.strip().lower() == "true", datatype=XSD.boolean)


def add_provinces(g: Graph, sources: Sources, iris: Iris) -> None:
    for row in sources.provinces:
        province = iris.province(row["province_nis"])
        g.add((province, RDF.type, KL.Province))
        g.add((province, RDF.type, BESLUIT.Bestuurseenheid))
        g.add((province, DCTERMS.identifier, Literal(row["province_nis"])))
        g.add((province, SKOS.prefLabel, Literal(f"Provincie {row['name_nl']}", lang="nl")))
        g.add((province, SKOS.prefLabel, Literal(f"Province of {row['name_nl']}", lang="en")))
        g.add((province, RDFS.label, Literal(row["name_nl"], lang="nl")))
        g.add((province, BESLUIT.classificatie, CLASS_PROVINCIE))
        g.add((province, KL.governmentType, iris.concept("bestuurstype", "provincie")))
        g.add((province, KL.iso31662, Literal(row["iso_3166_2"])))
        g.add((province, KL.capital, iris.municipality(row["capital_nis_2025"])))
        g.add((province, KL.population, Literal(int(row["population_2020_2025_borders"]), datatype=XSD.integer)))
        g.add((province, KL.populationDate, Literal(POPULATION_DATE, datatype=XSD.date)))
        g.add((province, KL.areaKm2, Literal(row["area_km2_2025"], datatype=XSD.decimal)))
        g.add((province, DCTERMS.source, SRC_PIC))


def _municipality_core(g: Graph, iris: Iris, row: dict[str, str], *, province_nis: str) -> URIRef:
    nis = row["nis_code"]
    m = iris.municipality(nis)
    g.add((m, RDF.type, KL.Municipality))
    g.add((m, RDF.type, BESLUIT.Bestuurseenheid))
    g.add((m, RDF.type, GEO.Feature))
    g.add((m, DCTERMS.identifier, Literal(nis)))
    g.add((m, SKOS.prefLabel, Literal(row["name_nl"], lang="nl")))
    g.add((m, BESLUIT.classificatie, CLASS_GEMEENTE))
    g.add((m, KL.province, iris.province(province_nis)))
    g.add((m, KL.arrondissement, Literal(row["arrondissement"], lang="nl")))
    g.add((m, KL.arrondissementCode, Literal(row["arrondissement_nis"])))
    g.add((m, KL.population, Literal(int(row["population_2020"]), datatype=XSD.integer)))
    g.add((m, KL.populationDate, Literal(POPULATION_DATE, datatype=XSD.date)))
    g.add((m, KL.areaKm2, Literal(row["area_km2"], datatype=XSD.decimal)))
    g.add((m, KL.isCentrumstad, _bool(row["is_centrumstad"])))
    g.add((m, KL.isVlaamseRand, _bool(row["is_vlaamse_rand"])))
    centroid = URIRef(f"{m}/centroid")
    g.add((m, GEO.hasCentroid, centroid))
    g.add((centroid, RDF.type, GEO.Geometry))
    g.add((centroid, GEO.asWKT, Literal(f"POINT({row['lon']} {row['lat']})", datatype=GEO.wktLiteral)))
    g.add((m, DCTERMS.source, SRC_PIC))
    g.add((m, DCTERMS.source, SRC_STATBEL_2020))
    return m


def add_municipalities(g: Graph, sources: Sources, iris: Iris) -> None:
    current = {row["nis_code"] for row in sources.municipalities}
    for row in sources.municipalities:
        m = _municipality_core(g, iris, row, province_nis=row["province_nis"])
        g.add((m, RDF.type, KL.CurrentMunicipality))
        g.add((m, BESLUIT.werkingsgebied, VL_GEMEENTE[row["nis_code"]]))
        centrumstad = row["is_centrumstad"].strip().lower() == "true"
        g.add((m, KL.governmentType, iris.concept("bestuurstype", "centrumstad" if centrumstad else "gemeente")))
        g.add((m, KL.populationIsSumOfPredecessors, _bool(row["population_2020_is_sum_of_predecessors"])))
        if row.get("referentieregio"):
            g.add((m, KL.referenceRegion, Literal(row["referentieregio"], lang="nl")))
        if row.get("vervoerregio"):
            g.add((m, KL.transportRegion, Literal(row["vervoerregio"], lang="nl")))
    for row in sources.adjacency:
        a, b = iris.municipality(row["nis_a"]), iris.municipality(row["nis_b"])
        g.add((a, GEO.sfTouches, b))
        g.add((b, GEO.sfTouches, a))
    _add_mergers(g, sources, iris, current)


def _add_mergers(g: Graph, sources: Sources, iris: Iris, current: set[str]) -> None:
    former_rows = {row["nis_code"]: row for row in sources.former_municipalities}
    province_of_code = {row["nis_code"]: row["province_nis"] for row in sources.former_municipalities}
    for row in sources.crosswalk:
        old, new = row["nis_code_2019_2024"], row["nis_code_2025"]
        if new not in current:
            raise SourceDataError("data/flanders/merger_2025_crosswalk.csv", old, f"successor {new} is not a 2025 municipality")
        if row["changed"].strip().lower() != "true":
            continue
        successor = iris.municipality(new)
        g.add((successor, KL.mergedOn, Literal(MERGER_DATE, datatype=XSD.date)))
        if old == new:
            continue  # a continuing code is one entity before and after (e.g. Antwerpen 11002)
        if old not in former_rows:
            raise SourceDataError("data/flanders/merger_2025_crosswalk.csv", old, "not in municipalities_2019_2024.csv")
        former = _municipality_core(g, iris, former_rows[old], province_nis=province_of_code[old])
        g.add((former, RDF.type, KL.FormerMunicipality))
        g.add((former, KL.governmentType, iris.concept("bestuurstype", "gemeente")))
        g.add((former, KL.endDate, Literal(MERGER_DATE, datatype=XSD.date)))
        g.add((former, DCTERMS.isReplacedBy, successor))
        g.add((successor, DCTERMS.replaces, former))
    # a continuing code that absorbed others records them as predecessors too
    for row in sources.municipalities:
        for predecessor in filter(None, row.get("predecessor_nis_codes", "").split(";")):
            if predecessor != row["nis_code"]:
                g.add((iris.municipality(row["nis_code"]), DCTERMS.replaces, iris.municipality(predecessor)))


def add_membership(g: Graph, iris: Iris, organisation: URIRef, member: URIRef, *, source: URIRef,
                role: URIRef | None = None) -> URIRef:
    node = iris(f"id/lidmaatschap/{str(organisation).rstrip('/').rsplit('/', 1)[-1]}/{str(member).rsplit('/', 1)[-1]}")
    g.add((node, RDF.type, ORG.Membership))
    g.add((node, ORG.member, member))
    g.add((node, ORG.organization, organisation))
    g.add((node, PROV.wasDerivedFrom, source))
    if role is not None:
        g.add((node, ORG.role, role))
    g.add((organisation, ORG.hasMember, member))
    g.add((member, ORG.memberOf, organisation))
    return node


def _add_collaborating_government(g: Graph, iri: URIRef, cls: URIRef, *, kind: str,
                                  government_type: URIRef | None) -> None:
    """The typing shared by every association of governments (intercommunale, IGS, police zone, ...)."""
    g.add((iri, RDF.type, cls))
    g.add((iri, RDF.type, BESLUIT.Bestuurseenheid))
    g.add((iri, RDF.type, ORG.OrganizationalCollaboration))
    g.add((iri, KL.associationKind, Literal(kind)))
    if government_type is not None:
        g.add((iri, KL.governmentType, government_type))


def add_associations(g: Graph, sources: Sources, iris: Iris) -> None:
    """Housing IGS and police zones from intercommunales.csv, with their member municipalities."""
    current = {row["nis_code"] for row in sources.municipalities}
    for row in sources.associations:
        assoc = iris.association(row["source_code"])
        police = row["kind"] == "politiezone"
        _add_collaborating_government(g, assoc, KL.PoliceZone if police else KL.IntermunicipalAssociation,
                                      kind=row["kind"],
                                      government_type=None if police else iris.concept("bestuurstype", "intergemeentelijk"))
        g.add((assoc, DCTERMS.identifier, Literal(row["source_code"])))
        g.add((assoc, SKOS.prefLabel, Literal(row["name"], lang="nl")))
        g.add((assoc, DCTERMS.source, SRC_PIC))
        if police:
            g.add((assoc, BESLUIT.classificatie, CLASS_POLITIEZONE))
        for nis in filter(None, row["member_nis_codes"].split(";")):
            if nis not in current:
                raise SourceDataError("data/flanders/intercommunales.csv", row["source_code"], f"unknown member NIS code {nis}")
            add_membership(g, iris, assoc, iris.municipality(nis), source=SRC_PIC)


def add_intercommunale_members(g: Graph, sources: Sources, iris: Iris, resolver: Resolver) -> None:
    """Member lists read on a page that names the municipalities (every intercommunale_members*.yaml).

    Each list is a ``kl:MemberList`` (source, date seen, complete or partial); each name on it becomes an
    ``org:Membership`` of the government it is now, keeping the name as read and, for a municipality merged
    in 2025, the former municipality the page named.
    """
    list_numbers: dict[str, int] = {}
    for entry in sources.intercommunale_members:
        org = resolver.organisation_by_name.get(entry["name"])
        if org is None:
            resolver.report.unresolved.append(
                f"member list {entry['name']!r} ({entry['_file']}): names no single intercommunale; not split")
            continue
        assoc = resolver.organisation_iri(org["id"])
        local = str(assoc).rstrip("/").rsplit("/", 1)[-1]
        list_numbers[local] = list_numbers.get(local, 0) + 1
        member_list = iris(f"id/ledenlijst/{local}/{list_numbers[local]}")
        source = URIRef(entry["source_url"])
        g.add((member_list, RDF.type, KL.MemberList))
        g.add((member_list, RDF.type, PROV.Entity))
        g.add((member_list, KL.listOf, assoc))
        g.add((member_list, DCTERMS.source, source))
        g.add((member_list, PROV.wasDerivedFrom, source))
        g.add((member_list, KL.complete, Literal(bool(entry["complete"]))))
        g.add((member_list, KL.dateSeen, Literal(str(entry["date_seen"]), datatype=XSD.date)))
        g.add((member_list, KL.listedCount, Literal(len(entry["municipalities"]), datatype=XSD.integer)))
        g.add((member_list, SKOS.prefLabel, Literal(f"Ledenlijst van {entry['name']}", lang="nl")))
        g.add((member_list, SKOS.prefLabel, Literal(f"Member list of {entry['name']}", lang="en")))
        if entry.get("source_title"):
            g.add((source, DCTERMS.title, Literal(entry["source_title"])))
            g.add((source, RDF.type, PROV.Entity))
        if entry.get("source_kind"):
            g.add((member_list, KL.sourceKind, Literal(entry["source_kind"])))
        if entry.get("notes"):
            g.add((member_list, SKOS.note, Literal(entry["notes"], lang="nl")))
        _check_merger_notes(entry, resolver)
        for name in entry["municipalities"]:
            member = resolver.member(name)
            if member is None:
                raise SourceDataError(entry["_file"], entry["name"], f"member {name!r} does not resolve")
            node = add_membership(g, iris, assoc, member.current.iri, source=source)
            g.add((node, KL.memberList, member_list))
            g.add((node, KL.nameAsRead, Literal(name)))
            if member.former is not None:
                g.add((node, KL.memberAsRead, member.former.iri))
                successor = str(member.current.iri).rsplit("/", 1)[-1]
                resolver.report.crosswalked.append(
                    f"{name} -> {resolver.name_of_nis(successor)} ({entry['name']}, {entry['_file']})")


# "Lo-Reninge maakt sinds 2025 deel uit van Diksmuide": a list's own note about a 2025 merger
MERGER_NOTE = re.compile(r"([A-Z][\w'-]*) maakt sinds 2025 deel uit van ([A-Z][\w'-]*)")


def _check_merger_notes(entry: dict, resolver: Resolver) -> None:
    """Where a list's note claims a 2025 merger that the merger crosswalk does not have, the crosswalk
    (three concordant sources, data/flanders/PROVENANCE.md) decides; the disagreement is reported."""
    for former, successor in MERGER_NOTE.findall(entry.get("notes") or ""):
        member = resolver.member(former)
        if member is not None and member.former is None and successor != former:
            resolver.report.unresolved.append(
                f"{entry['name']} ({entry['_file']}): the note says {former} is part of {successor} since 2025; "
                f"the merger crosswalk keeps {former} as a municipality, so it stays {former}")


def add_intercommunale_functions(g: Graph, sources: Sources, iris: Iris, resolver: Resolver) -> None:
    """What each intercommunale does (data/intercommunales.yaml), only where quoted evidence says so."""
    for item in sources.intercommunales:
        iri = resolver.organisation_iri(resolver.organisation_by_name[item["name"]]["id"])
        for code in item.get("functions") or []:
            g.add((iri, KL.intercommunaleFunction, iris.concept("intercommunalefunctie", code)))


def contact_point_iri(agent: URIRef) -> URIRef:
    return URIRef(f"{agent}/contact")


def add_contact_point(g: Graph, agent: URIRef, *, website: str, source: str) -> None:
    """How to reach ``agent``: its website, with the public page that gave it (never a guessed address)."""
    point = contact_point_iri(agent)
    g.add((agent, SCHEMA.contactPoint, point))
    g.add((point, RDF.type, SCHEMA.ContactPoint))
    g.add((point, SCHEMA.url, URIRef(website)))
    g.add((point, DCTERMS.source, URIRef(source)))


def add_municipal_websites(g: Graph, sources: Sources, iris: Iris) -> None:
    """Each municipality's website as its contact point, with the source it was read from."""
    current = {row["nis_code"] for row in sources.municipalities}
    for row in sources.municipal_websites:
        if row["nis_code"] not in current:
            raise SourceDataError("data/contacts/municipal_websites.csv", row["nis_code"] or "-",
                                  "not the NIS code of a current municipality")
        municipality = iris.municipality(row["nis_code"])
        g.add((municipality, SCHEMA.url, URIRef(row["website"])))
        add_contact_point(g, municipality, website=row["website"], source=row["source_url"])


def add_organisations(g: Graph, sources: Sources, iris: Iris, resolver: Resolver) -> None:
    """Every organisation record; governments among them (intercommunales, POMs, provinces) typed as such."""
    for org in sources.organisations:
        iri = resolver.organisation_iri(org["id"])
        is_province = province_name(org["name"]) in resolver.province_by_name
        if not is_province:
            g.add((iri, DCTERMS.identifier, Literal(org["id"])))
            g.add((iri, SKOS.prefLabel, Literal(org["name"], lang="nl")))
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, ORG.classification, iris.concept("organisatiesoort", org["kind"])))
        agent = resolver.by_id(org["id"])
        g.add((iri, KL.pentagonRole, iris.concept("vijfhoek", agent.pentagon)))
        if org.get("description"):
            g.add((iri, DCTERMS.description, Literal(org["description"], lang="nl")))
        if org.get("url"):
            g.add((iri, SCHEMA.url, URIRef(org["url"])))
            if org.get("source_url"):
                add_contact_point(g, iri, website=org["url"], source=org["source_url"])
        if org.get("source_url"):
            g.add((iri, DCTERMS.source, URIRef(org["source_url"])))
        if is_development_agency(org):
            g.add((iri, RDF.type, KL.DevelopmentAgency))
            g.add((iri, RDF.type, BESLUIT.Bestuurseenheid))
            g.add((iri, BESLUIT.classificatie, CLASS_APB))
            g.add((iri, KL.governmentType, iris.concept("bestuurstype", "pom")))
        elif org["kind"] == "intercommunale":
            _add_collaborating_government(g, iri, KL.IntermunicipalAssociation, kind="intercommunale",
                                          government_type=iris.concept("bestuurstype", "intergemeentelijk"))
    for extra in sources.extra_governments:
        iri = iris.organisation(extra["id"])
        _add_collaborating_government(g, iri, KL.IntermunicipalAssociation, kind="ocmw-samenwerking",
                                      government_type=iris.concept("bestuurstype", extra["government_type"]))
        g.add((iri, DCTERMS.identifier, Literal(extra["id"])))
        g.add((iri, SKOS.prefLabel, Literal(extra["name"], lang="nl")))
        g.add((iri, DCTERMS.description, Literal(extra["description_nl"], lang="nl")))
        g.add((iri, DCTERMS.description, Literal(extra["description_en"], lang="en")))
        case = next((c for c in sources.cases if c["id"] == extra["named_in_case"]), None)
        if case is None:
            raise SourceDataError("data/extra_governments.yaml", extra["id"], f"unknown case {extra['named_in_case']!r}")
        g.add((iri, DCTERMS.source, URIRef(case["source_url"])))

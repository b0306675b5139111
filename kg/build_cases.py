"""Cases with their participants (PROV qualified associations) and the named collaborations."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, XSD

from .build_concepts import SEED_URL
from .build_governments import add_membership
from .errors import SourceDataError
from .namespaces import KL, SCHEMA, Iris
from .resolve import Agent, Resolver
from .sources import Sources

ROLE_CODE = {"lead": "trekker", "co-lead": "co-trekker", "partner": "partner"}


def add_cases(g: Graph, sources: Sources, iris: Iris, resolver: Resolver) -> None:
    for case in sources.cases:
        _add_case(g, case, sources.case_files[case["id"]], iris, resolver)


def _participants(case: dict, file: str, resolver: Resolver) -> list[tuple[Agent, str]]:
    """(agent, role code) for every resolvable participant, leads first, each agent once."""
    found: list[tuple[Agent, str]] = []
    seen: set[URIRef] = set()

    def add(agent: Agent, role: str) -> None:
        if agent.iri not in seen:
            seen.add(agent.iri)
            found.append((agent, role))

    for name in case["lead"]:
        add(resolver.lead(resolver.in_case(name, case["id"]), file=file, case_id=case["id"]), ROLE_CODE[case["gov_role"]])
    for org_id in case.get("partner_ids") or []:
        add(resolver.by_id(org_id), "partner")
    for name in case.get("partners") or []:
        agent = resolver.government(resolver.in_case(name, case["id"]))
        if agent is not None:
            add(agent, "partner")
    return found


def _unresolved_partner_names(case: dict, resolver: Resolver) -> list[str]:
    known = {resolver.organisations[i]["name"].casefold() for i in case.get("partner_ids") or []}
    return [n for n in case.get("partners") or []
            if n.casefold() not in known and resolver.government(n) is None]


def _add_case(g: Graph, case: dict, file: str, iris: Iris, resolver: Resolver) -> None:
    c = iris.case(case["id"])
    g.add((c, RDF.type, KL.Case))
    g.add((c, RDF.type, SCHEMA.Project))
    g.add((c, RDF.type, PROV.Activity))
    g.add((c, DCTERMS.identifier, Literal(case["id"])))
    g.add((c, SKOS.prefLabel, Literal(case["title_nl"], lang="nl")))
    g.add((c, DCTERMS.title, Literal(case["title_nl"], lang="nl")))
    g.add((c, DCTERMS.abstract, Literal(case["summary_nl"], lang="nl")))
    if case.get("summary_en"):
        g.add((c, DCTERMS.abstract, Literal(case["summary_en"], lang="en")))
    for code in case.get("themes") or []:
        g.add((c, KL.theme, iris.concept("thema", code)))
    for code in case.get("instruments") or []:
        g.add((c, KL.instrument, iris.concept("instrument", code)))
    for code in case.get("pentagon") or []:
        g.add((c, KL.pentagonRole, iris.concept("vijfhoek", code)))
    if case.get("year"):
        g.add((c, KL.startYear, Literal(str(case["year"]), datatype=XSD.gYear)))
    g.add((c, KL.status, iris.concept("casusstatus", case["status"])))
    g.add((c, KL.evidence, Literal(case["evidence"], lang="nl")))
    if case.get("notes"):
        g.add((c, SKOS.note, Literal(case["notes"], lang="nl")))
    if case.get("lead_org"):
        g.add((c, KL.leadOrganisationName, Literal(case["lead_org"], lang="nl")))
    sources = [(case["source_url"], case.get("source_title"))]
    sources += [(s["url"], s.get("title")) for s in case.get("extra_sources") or [] if s.get("url")]
    for url, title in sources:
        doc = URIRef(url)
        g.add((c, DCTERMS.source, doc))
        g.add((c, PROV.wasDerivedFrom, doc))
        g.add((doc, RDF.type, PROV.Entity))
        if title:
            g.add((doc, DCTERMS.title, Literal(title)))
    for index, (agent, role) in enumerate(_participants(case, file, resolver), start=1):
        node = URIRef(f"{c}/rol/{index}")
        g.add((c, PROV.wasAssociatedWith, agent.iri))
        g.add((c, PROV.qualifiedAssociation, node))
        g.add((node, RDF.type, KL.Participation))
        g.add((node, RDF.type, PROV.Association))
        g.add((node, PROV.agent, agent.iri))
        g.add((node, PROV.hadRole, iris.concept("casusrol", role)))
        g.add((node, KL.pentagonRole, iris.concept("vijfhoek", agent.pentagon)))
        if agent.is_government and role in ("trekker", "co-trekker"):
            g.add((c, KL.leadGovernment, agent.iri))
    for name in _unresolved_partner_names(case, resolver):
        g.add((c, KL.partnerName, Literal(name)))


def add_collaborations(g: Graph, sources: Sources, iris: Iris, resolver: Resolver) -> None:
    case_sources = {c["id"]: c["source_url"] for c in sources.cases}
    for collab in sources.collaborations:
        iri = iris.collaboration(collab["id"])
        g.add((iri, RDF.type, ORG.OrganizationalCollaboration))
        g.add((iri, DCTERMS.identifier, Literal(collab["id"])))
        g.add((iri, SKOS.prefLabel, Literal(collab["name_nl"], lang="nl")))
        g.add((iri, SKOS.prefLabel, Literal(collab["name_en"], lang="en")))
        g.add((iri, DCTERMS.description, Literal(collab["description_nl"], lang="nl")))
        g.add((iri, DCTERMS.description, Literal(collab["description_en"], lang="en")))
        g.add((iri, DCTERMS.source, SEED_URL))
        for member in collab["members"]:
            agent = resolver.any_agent(member["name"])
            if agent is None:
                raise SourceDataError("data/collaborations.yaml", collab["id"], f"member {member['name']!r} does not resolve")
            origin = member.get("source", "seed")
            if origin.startswith("case:"):
                if origin[5:] not in case_sources:
                    raise SourceDataError("data/collaborations.yaml", collab["id"], f"unknown case {origin[5:]!r}")
                source = URIRef(case_sources[origin[5:]])
            else:
                source = SEED_URL
            if collab["member_role"] == "pentagon":
                role = iris.concept("vijfhoek", agent.pentagon)
            else:
                role = iris.concept("samenwerkingsrol", collab["member_role"])
            add_membership(g, iris, iri, agent.iri, source=source, role=role)

"""Resolving government and organisation names used in the sources to graph IRIs."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from .errors import SourceDataError
from .namespaces import Iris
from .sources import Sources


@dataclass(frozen=True)
class Agent:
    """A resolved participant: its IRI, whether it is a government, and its pentagon role code."""

    iri: URIRef
    is_government: bool
    pentagon: str
    label: str


@dataclass
class ResolutionReport:
    """What the build resolved by rule rather than by exact name, and what it left open; printed by the build."""

    crosswalked: list[str] = field(default_factory=list)     # "Lo-Reninge -> Diksmuide (IVVO)"
    by_case_source: list[str] = field(default_factory=list)  # "MIROM -> Mirom Menen in case ..."
    unresolved: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MemberAsRead:
    """A name on a member list: the government it is now, and the former municipality it named (if merged)."""

    current: Agent
    former: Agent | None


def province_name(name: str) -> str | None:
    """'Provincie Oost-Vlaanderen' -> 'Oost-Vlaanderen'."""
    return name.removeprefix("Provincie ").strip() if name.startswith("Provincie ") else None


def is_development_agency(org: dict) -> bool:
    return str(org.get("name", "")).startswith("POM ")


def is_government_organisation(org: dict) -> bool:
    """Intercommunales and POMs are local governments; provinces are merged into the province IRI."""
    return org.get("kind") == "intercommunale" or is_development_agency(org)


class Resolver:
    """Maps names and ids from the sources to IRIs; unknown names are errors naming the record."""

    def __init__(self, sources: Sources, iris: Iris) -> None:
        self.iris = iris
        kinds = {k["code"]: k["pentagon"] for k in sources.vocabularies["organisation_kinds"]}
        self.current_by_name = {r["name_nl"]: r["nis_code"] for r in sources.municipalities}
        self.former_by_name = {r["name_nl"]: r["nis_code"] for r in sources.former_municipalities}
        self.current_codes = set(self.current_by_name.values())
        self.province_by_name = {r["name_nl"]: r["province_nis"] for r in sources.provinces}
        self.organisations = {o["id"]: o for o in sources.organisations}
        self.organisation_by_name = {o["name"]: o for o in sources.organisations}
        self.extra = {g["id"]: g for g in sources.extra_governments}
        self.extra_by_name = {g["name"]: g for g in sources.extra_governments}
        self.aliases = {a["name"]: a["target"] for a in sources.aliases}
        self.kind_pentagon = kinds
        self.successor = {r["nis_code_2019_2024"]: r["nis_code_2025"] for r in sources.crosswalk}
        self.name_resolutions = {(r["case"], r["name"]): r.get("resolves_to") for r in sources.name_resolutions}
        self.report = ResolutionReport()

    def organisation_iri(self, org_id: str) -> URIRef:
        """Provinces listed in organisations.yaml share the province's own IRI."""
        org = self.organisations.get(org_id)
        if org is not None:
            province = province_name(org["name"])
            if province in self.province_by_name:
                return self.iris.province(self.province_by_name[province])
        return self.iris.organisation(org_id)

    def by_id(self, org_id: str) -> Agent:
        org = self.organisations[org_id]
        province = province_name(org["name"])
        government = is_government_organisation(org) or province in self.province_by_name
        pentagon = "overheid" if government else self.kind_pentagon[org["kind"]]
        return Agent(self.organisation_iri(org_id), government, pentagon, org["name"])

    def _target(self, target: str) -> Agent | None:
        kind, _, key = target.partition(":")
        if kind == "gemeente" and key in self.current_codes:
            return Agent(self.iris.municipality(key), True, "overheid", key)
        if kind == "organisatie" and key in self.organisations:
            return self.by_id(key)
        if kind == "organisatie" and key in self.extra:
            return Agent(self.iris.organisation(key), True, "overheid", self.extra[key]["name"])
        return None

    def government(self, name: str, *, allow_former: bool = True) -> Agent | None:
        """The government a name means, or None when it names no known government."""
        if name in self.current_by_name:
            return Agent(self.iris.municipality(self.current_by_name[name]), True, "overheid", name)
        if allow_former and name in self.former_by_name:
            return Agent(self.iris.municipality(self.former_by_name[name]), True, "overheid", name)
        province = province_name(name)
        if province in self.province_by_name:
            return Agent(self.iris.province(self.province_by_name[province]), True, "overheid", name)
        if name in self.extra_by_name:
            return Agent(self.iris.organisation(self.extra_by_name[name]["id"]), True, "overheid", name)
        if name in self.organisation_by_name:
            agent = self.by_id(self.organisation_by_name[name]["id"])
            return agent if agent.is_government else None
        if name in self.aliases:
            agent = self._target(self.aliases[name])
            return agent if agent and agent.is_government else None
        return None

    def any_agent(self, name: str) -> Agent | None:
        """A government or organisation by name (aliases included)."""
        found = self.government(name)
        if found:
            return found
        if name in self.organisation_by_name:
            return self.by_id(self.organisation_by_name[name]["id"])
        if name in self.aliases:
            return self._target(self.aliases[name])
        return None

    def name_of_nis(self, nis: str) -> str:
        return next((n for n, code in self.current_by_name.items() if code == nis), nis)

    def member(self, name: str) -> MemberAsRead | None:
        """A municipality on a member list as it is now: a pre-2025 name resolves through the merger crosswalk."""
        agent = self.government(name)
        if agent is None:
            return None
        nis = str(agent.iri).rsplit("/", 1)[-1]
        if name in self.former_by_name and nis not in self.current_codes:
            successor = self.successor.get(nis)
            if successor is None or successor not in self.current_codes:
                return None
            return MemberAsRead(Agent(self.iris.municipality(successor), True, "overheid", name), agent)
        return MemberAsRead(agent, None)

    def in_case(self, name: str, case_id: str) -> str:
        """The name a case means: an ambiguous name resolved from that case's own source (name_resolutions.yaml)."""
        if (case_id, name) not in self.name_resolutions:
            return name
        target = self.name_resolutions[(case_id, name)]
        if target is None:
            self.report.unresolved.append(f"{name!r} in case {case_id}: left as named (ambiguous in its source)")
            return name
        self.report.by_case_source.append(f"{name} -> {target} in case {case_id}")
        return target

    def lead(self, name: str, *, file: str, case_id: str) -> Agent:
        """A name in a case's ``lead``: a government, or an association of governments such as VVSG."""
        agent = self.any_agent(name)
        if agent is None:
            raise SourceDataError(file, case_id, f"lead {name!r} does not resolve to a known government or organisation")
        return agent

"""Counts that describe a built graph (``kringloop stats``)."""

from __future__ import annotations

from . import queries
from rdflib.namespace import ORG, QB, SKOS

from .namespaces import KL
from .store import GraphStore

SHORT = {
    str(KL.CurrentMunicipality): "current municipalities",
    str(KL.FormerMunicipality): "former municipalities (ended 2025-01-01)",
    str(KL.Province): "provinces",
    str(KL.IntermunicipalAssociation): "intermunicipal associations",
    str(KL.PoliceZone): "police zones",
    str(KL.DevelopmentAgency): "POMs",
    str(KL.Case): "cases",
    str(ORG.Organization): "organisations",
    str(ORG.Membership): "memberships",
    str(SKOS.Concept): "concepts",
    str(QB.Observation): "survey observations",
    str(KL.BarrierRemedy): "barrier remedies",
    str(KL.MemberList): "member lists of intercommunales",
}


def class_counts(store: GraphStore) -> list[dict]:
    """Rows of {class, label, count} for every class in the store."""
    rows = queries.select(store, "stats_classes")
    return [{"class": r["class"], "label": SHORT.get(r["class"], ""), "count": r["count"]} for r in rows]


def member_lists(store: GraphStore) -> list[dict]:
    """Rows of {name, complete, dateSeen, members} for every intercommunale member list."""
    return [{"intercommunale": r["name"], "complete": r["complete"], "date_seen": str(r["dateSeen"]),
             "members": r["members"]} for r in queries.select(store, "stats_member_lists")]

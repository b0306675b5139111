"""What a note says, gathered from the recommender and the graph; nothing here is written by hand.

The note repeats the profile exactly as the user sent it, the practices and peers the intake page
showed (same recommender call), each practice's summary, evidence quote and sources from the graph,
and the 2022 survey's figures from its RDF Data Cube. A value the graph does not hold is ``None``,
and the template says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kg import queries
from kg.store import GraphStore
from recommender import Recommendation, Recommender

PRACTICES = 3
PEERS = 5
RECOMMENDER_LIMIT = 10      # the intake page asks for 10: the note shows the head of the same lists
REASONS_PER_PEER = 2
SOURCES_PER_PRACTICE = 3    # more are on the practice's page; the note stays within two A4 pages
# survey figures a council note quotes (observation codes of data/survey-2022.yaml, as in the graph)
KEY_FIGURES = ("drempel-kennis-bestuur", "gewenste-deelnemers-koplopers", "agenda-actief",
               "maturiteit-zelfinschatting")
RESPONDENTS = "respondenten"
CODE_LISTS = (("themes", "theme"), ("instruments", "instrument"), ("barriers", "barrier"), ("drivers", "driver"))


@dataclass
class Note:
    """Everything one note shows, in one language."""

    lang: str
    government: str | None                    # the municipality's name (chosen by NIS code) or the name given
    nis_code: str | None
    need: list[dict[str, Any]]                # [{"field", "key": its label, "values": [labels]}] as given
    description: str | None
    practices: list[dict[str, Any]]
    peers: list[dict[str, Any]]
    survey: dict[str, Any]
    made_on: date
    used_graph_context: bool                  # a NIS code was given: neighbours, memberships, history were used


def _label(rec: Recommender, scheme: str, code: str, lang: str) -> str:
    return rec.kb_.concept_label(scheme, code, lang)


def _need(rec: Recommender, profile: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The profile as the user gave it, in the order of the intake form; empty answers left out."""
    values: dict[str, list[str]] = {}
    if profile.get("government_type"):
        values["government_type"] = [_label(rec, "government_type", profile["government_type"], lang)]
    if profile.get("province"):
        values["province"] = [str(profile["province"])]
    if profile.get("population") is not None:
        values["population"] = [f"{int(profile['population']):,}".replace(",", "." if lang == "nl" else ",")]
    if profile.get("maturity"):
        values["maturity"] = [_label(rec, "maturity", profile["maturity"], lang)]
    for fieldname, scheme in CODE_LISTS:
        if profile.get(fieldname):
            values[fieldname] = [_label(rec, scheme, code, lang) for code in profile[fieldname]]
    return [{"field": f, "key": f"note.q_{f}", "values": v} for f, v in values.items()]


def _reason_texts(item: Recommendation, lang: str, limit: int | None = None) -> list[str]:
    texts = [(r.text_en if lang == "en" else r.text_nl) or r.text_nl for r in item.reasons]
    return texts[:limit] if limit else texts


def _practice(store: GraphStore, item: Recommendation, *, lang: str, site_url: str) -> dict[str, Any]:
    """A practice as the case page shows it (the same named queries): summary, quote, leads, sources."""
    rows = queries.select(store, "browse_case", id=item.id or "")
    case = rows[0] if rows else {}
    leads = [p["name"] or p["agent_id"] for p in queries.select(store, "browse_case_participants", case=item.iri)
             if p["role"] in ("trekker", "co-trekker")]
    sources = [{"url": f["url"], "title": f["label_nl"] or f["label_en"] or f["url"]}
               for f in queries.select(store, "browse_case_facets", case=item.iri) if f["facet"] == "source"]
    status = case.get(f"status_{lang}") or case.get("status_nl")
    return {
        "id": item.id, "title": item.title or case.get("title") or item.id, "url": f"{site_url}/praktijk/{item.id}",
        "summary": case.get(f"abstract_{lang}") or case.get("abstract_nl"), "evidence": case.get("evidence"),
        "remark": case.get("note"), "year": case.get("year"),
        "status": status if case.get("status") not in (None, "onbekend") else None,
        "leads": list(dict.fromkeys(leads)), "sources": sources[:SOURCES_PER_PRACTICE],
        "more_sources": max(0, len(sources) - SOURCES_PER_PRACTICE), "reasons": _reason_texts(item, lang),
    }


def _peer(rec: Recommendation, *, lang: str, kb_label: Any, site_url: str) -> dict[str, Any]:
    ident = rec.nis_code or rec.iri.rsplit("/", 1)[-1]
    return {"name": rec.name or ident, "type": kb_label("government_type", rec.type, lang) if rec.type else None,
            "url": f"{site_url}/bestuur/{ident}", "reasons": _reason_texts(rec, lang, REASONS_PER_PEER)}


def _survey(store: GraphStore, maturity: str | None, lang: str) -> dict[str, Any]:
    """Where the given maturity stands among the respondents, and the figures a council note quotes."""
    observations = {o["code"]: o for o in queries.select(store, "browse_survey")}
    levels = queries.select(store, "note_maturity_groups")
    groups: dict[str, dict[str, Any]] = {}
    for row in levels:   # ordered from the highest level down: the groups come out koplopers first
        group = groups.setdefault(row["group"], {
            "code": row["group"], "label": row[f"group_{lang}"] or row["group_nl"], "share": row["share"],
            "levels": [], "observation": row["obs"]})
        group["levels"].append(row["level"])
    own = next((r for r in levels if r["maturity"] == maturity), None) if maturity else None
    respondents = observations.get(RESPONDENTS)
    figures = [{"code": code, "label": observations[code][f"label_{lang}"] or observations[code]["label_nl"],
                "measure": observations[code]["measure"], "value": observations[code]["value"],
                "n": observations[code]["n"], "iri": observations[code]["obs"]}
               for code in KEY_FIGURES if code in observations]
    first = levels[0] if levels else {}
    return {
        "respondents": respondents["value"] if respondents else None,
        "groups": list(groups.values()),
        "own": {"label": own[f"maturity_{lang}"] or own["maturity_nl"], "group": own["group"],
                "group_label": groups[own["group"]]["label"], "share": own["share"]} if own else None,
        "figures": figures,
        "title": first.get("dataset_title"), "source": first.get("source"),
    }


def compose_note(store: GraphStore, rec: Recommender, *, nis_code: str | None, profile: dict[str, Any] | None,
                 lang: str, site_url: str) -> Note:
    """The note for one request (the body of ``POST /api/v1/recommendations``), in ``lang``.

    Raises the recommender's ``InvalidProfile`` for unknown codes or an empty profile, as the
    recommendations endpoint does.
    """
    given = {k: v for k, v in (profile or {}).items() if v not in (None, "", [])}
    result = rec.recommend(nis_code=nis_code, profile=given or None, limit=RECOMMENDER_LIMIT)
    government = result.profile.name if nis_code else given.get("name")
    practices = [_practice(store, p, lang=lang, site_url=site_url)
                 for p in result.practices[:PRACTICES]]
    peers = [_peer(p, lang=lang, kb_label=rec.kb_.concept_label, site_url=site_url) for p in result.peers[:PEERS]]
    survey = _survey(store, given.get("maturity"), lang)
    return Note(lang=lang, government=government, nis_code=nis_code, need=_need(rec, given, lang),
                description=given.get("description"), practices=practices, peers=peers, survey=survey,
                made_on=date.today(), used_graph_context=nis_code is not None)

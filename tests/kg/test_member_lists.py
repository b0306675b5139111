"""Member lists of intercommunales (data/cases/intercommunale_members*.yaml) in the built graph.

Expected facts are computed here from the YAML and CSV files without the build's code: for a few
members of every list, the membership is in the graph with its source, the name as read, the list's
complete flag and date; a pre-2025 name resolves through the merger crosswalk.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from kg import queries
from kg.build import BuildReport
from kg.namespaces import DEFAULT_BASE_IRI, Iris
from kg.store import GraphStore

DATA = Path(__file__).resolve().parents[2] / "data"
IRIS = Iris(DEFAULT_BASE_IRI)
ORG, KL = "http://www.w3.org/ns/org#", "https://w3id.org/kringloop/def#"
PROV, DCT = "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/"


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / "flanders" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


CURRENT = {r["name_nl"]: r["nis_code"] for r in _csv("municipalities.csv")}
FORMER = {r["name_nl"]: r["nis_code"] for r in _csv("municipalities_2019_2024.csv")}
SUCCESSOR = {r["nis_code_2019_2024"]: r["nis_code_2025"] for r in _csv("merger_2025_crosswalk.csv")}
ORGANISATIONS = {o["name"]: o["id"] for path in sorted((DATA / "cases").glob("organisations*.yaml"))
                 for o in yaml.safe_load(path.read_text(encoding="utf-8"))}
LISTED_ONLY = {i["name"]: i["id"] for i in yaml.safe_load((DATA / "intercommunales.yaml").read_text(encoding="utf-8"))
               ["intercommunales"] if i.get("id")}
NEW_LISTS = yaml.safe_load((DATA / "cases/intercommunale_members_2026_12.yaml").read_text(encoding="utf-8"))["intercommunales"]


def current_nis(name: str) -> str:
    """The 2025 NIS code a name on a list means (a pre-2025 name through the crosswalk)."""
    return CURRENT[name] if name in CURRENT else SUCCESSOR[FORMER[name]]


def _rows(store: GraphStore, sparql: str) -> list[list]:
    return [[queries.to_python(row[i]) for i in range(len(row))] for row in store.query(sparql)]


def test_every_new_list_is_read() -> None:
    assert len(NEW_LISTS) == 14
    assert {e["name"] for e in NEW_LISTS} >= {"IVVO", "Verko", "IMOG", "ILvA", "IVAGO", "IDM", "Incovo", "Limburg.net",
                                               "MIWA", "Interwaas", "IVBO", "MIROM Roeselare", "Mirom Menen", "Veneco"}


@pytest.mark.parametrize("entry", NEW_LISTS, ids=[e["name"] for e in NEW_LISTS])
def test_members_of_each_new_list_are_in_the_graph_with_their_source(graph_store: GraphStore, entry: dict) -> None:
    org_id = ORGANISATIONS.get(entry["name"]) or LISTED_ONLY[entry["name"]]
    org = IRIS.organisation(org_id)
    # the first, a middle and the last name of the list: wherever a list is misread, one of these moves
    names = entry["municipalities"]
    for name in {names[0], names[len(names) // 2], names[-1]}:
        member = IRIS.municipality(current_nis(name))
        rows = _rows(graph_store, f"""
            SELECT ?source ?complete ?seen WHERE {{
              ?m a <{ORG}Membership> ; <{ORG}member> <{member}> ; <{ORG}organization> <{org}> ;
                 <{PROV}wasDerivedFrom> ?source ; <{KL}nameAsRead> {queries.to_term(name)} ; <{KL}memberList> ?list .
              ?list <{DCT}source> ?source ; <{KL}complete> ?complete ; <{KL}dateSeen> ?seen ; <{KL}listOf> <{org}> .
            }}""")
        assert rows, f"{name} is not a member of {entry['name']} in the graph"
        source, complete, seen = rows[0]
        assert (source, complete, str(seen)) == (entry["source_url"], entry["complete"], str(entry["date_seen"]))
        assert graph_store.query(f"ASK {{ <{member}> <{ORG}memberOf> <{org}> }}")


def test_a_pre_2025_name_resolves_to_its_successor_and_keeps_the_name_as_read(graph_store: GraphStore) -> None:
    melle = IRIS.municipality(FORMER["Melle"])
    merelbeke_melle = IRIS.municipality(SUCCESSOR[FORMER["Melle"]])
    rows = _rows(graph_store, f"""
        SELECT ?read WHERE {{ ?m <{ORG}organization> <{IRIS.organisation('verko')}> ; <{ORG}member> <{merelbeke_melle}> ;
                               <{KL}nameAsRead> ?read ; <{KL}memberAsRead> <{melle}> }}""")
    assert [r[0] for r in rows] == ["Melle"]
    # the former municipality itself is never the member: the government that exists now is
    assert not _rows(graph_store, f"SELECT ?m {{ ?m <{ORG}member> <{melle}> ; <{KL}memberList> ?l }}")


def test_a_partial_list_says_so(graph_store: GraphStore) -> None:
    rows = _rows(graph_store, f"""SELECT ?complete {{ ?l <{KL}listOf> <{IRIS.organisation('limburg-net')}> ;
                                                  <{KL}complete> ?complete }}""")
    assert [bool(r[0]) for r in rows] == [False]


def test_ambiguous_mirom_is_resolved_only_where_the_case_says_which(graph_store: GraphStore) -> None:
    def agents(case_id: str) -> set[str]:
        return {str(r[0]) for r in _rows(graph_store, f"SELECT ?a {{ <{IRIS.case(case_id)}> <{PROV}wasAssociatedWith> ?a }}")}

    assert str(IRIS.organisation("mirom-menen")) in agents("imog-mirom-kringloopcentrum-zuid-west-vlaanderen")
    assert str(IRIS.organisation("mirom-roeselare")) in agents("roeselare-mirom-textielcontainers")
    warmtenet = agents("mirom-warmtenet-private-verkaveling-roeselare")
    assert str(IRIS.organisation("mirom")) in warmtenet
    assert not {str(IRIS.organisation("mirom-menen")), str(IRIS.organisation("mirom-roeselare"))} & warmtenet


def test_the_data_report_counts_files_and_names_what_it_resolved(built_graph: BuildReport) -> None:
    report = built_graph.data
    assert report["files"]["data/cases/cases_2026_12.yaml"] == {"cases": 132}
    assert report["files"]["data/cases/organisations_2026_12.yaml"] == {"organisations": 57}
    assert report["files"]["data/cases/intercommunale_members_2026_12.yaml"]["member lists"] == 14
    assert any(line.startswith("Melle -> Merelbeke-Melle (Verko") for line in report["crosswalked"])
    assert any("mirom-warmtenet-private-verkaveling-roeselare" in line for line in report["unresolved"])
    assert any("Incovo + Interza" in line for line in report["unresolved"])

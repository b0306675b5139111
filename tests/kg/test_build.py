"""The built graph holds every source record, with the identifiers and provenance of the contract."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from kg import queries
from kg.build import BuildReport
from kg.namespaces import DEFAULT_BASE_IRI, Iris
from kg.stats import class_counts
from kg.store import GraphStore

DATA = Path(__file__).resolve().parents[2] / "data"
IRIS = Iris(DEFAULT_BASE_IRI)
KL = "https://w3id.org/kringloop/def#"


def _cases() -> list[dict]:
    return [c for p in sorted(DATA.glob("cases/cases*.yaml")) for c in yaml.safe_load(p.read_text(encoding="utf-8"))]


def _organisations() -> list[dict]:
    return [o for p in sorted(DATA.glob("cases/organisations*.yaml")) for o in yaml.safe_load(p.read_text(encoding="utf-8"))]


def _csv(name: str) -> list[dict]:
    with (DATA / "flanders" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _count(store: GraphStore, cls: str) -> int:
    return next((r["count"] for r in class_counts(store) if r["class"] == cls), 0)


def _values(store: GraphStore, sparql: str) -> list:
    return [[queries.to_python(row[v]) for v in range(len(row))] for row in store.query(sparql)]


def test_build_conforms_to_shapes(built_graph: BuildReport) -> None:
    assert built_graph.conforms and built_graph.violations == 0
    assert set(built_graph.graphs) == {"ontology", "concepts", "flanders", "cases", "survey", "meta"}
    assert all(count > 0 for count in built_graph.graphs.values())


def test_counts_match_the_sources(graph_store: GraphStore) -> None:
    assert _count(graph_store, KL + "CurrentMunicipality") == len(_csv("municipalities.csv")) == 285
    assert _count(graph_store, KL + "FormerMunicipality") == 27
    assert _count(graph_store, KL + "Province") == 5
    assert _count(graph_store, KL + "Case") == len(_cases())
    # every organisation record except the provinces (merged into the province IRIs)
    organisations = [o for o in _organisations() if not o["name"].startswith("Provincie ")]
    iris = {str(IRIS.organisation(o["id"])) for o in organisations}
    found = {r[0] for r in _values(graph_store, "SELECT ?o { ?o a <http://www.w3.org/ns/org#Organization> }")}
    assert iris <= found
    survey_rows = _values(graph_store, "SELECT (COUNT(?o) AS ?n) { ?o a <http://purl.org/linked-data/cube#Observation> }")
    assert survey_rows[0][0] >= 20


def test_municipality_facts_follow_the_csv(graph_store: GraphStore) -> None:
    row = next(r for r in _csv("municipalities.csv") if r["nis_code"] == "24062")
    leuven = IRIS.municipality("24062")
    facts = dict(_values(graph_store, f"SELECT ?p ?o {{ <{leuven}> ?p ?o }}"))
    assert facts["http://purl.org/dc/terms/identifier"] == "24062"
    assert facts[KL + "population"] == int(row["population_2020"])
    assert facts[KL + "isCentrumstad"] is True
    assert facts[KL + "province"] == str(IRIS.province("20001"))
    assert facts["http://data.vlaanderen.be/ns/besluit#werkingsgebied"] == "https://data.vlaanderen.be/id/gemeente/24062"


def test_neighbours_are_symmetric_and_complete(graph_store: GraphStore) -> None:
    pairs = {(a, b) for a, b in _values(graph_store, """
        SELECT ?a ?b { ?x <http://www.opengis.net/ont/geosparql#sfTouches> ?y .
                       ?x <http://purl.org/dc/terms/identifier> ?a . ?y <http://purl.org/dc/terms/identifier> ?b }""")}
    expected = {(r["nis_a"], r["nis_b"]) for r in _csv("adjacency.csv")}
    assert pairs == expected | {(b, a) for a, b in expected}


def test_mergers_link_former_units_to_successors(graph_store: GraphStore) -> None:
    rows = _values(graph_store, """
        PREFIX kl: <https://w3id.org/kringloop/def#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?old ?new ?end { ?f a kl:FormerMunicipality ; dcterms:identifier ?old ; kl:endDate ?end ;
                                   dcterms:isReplacedBy/dcterms:identifier ?new }""")
    expected = {(r["nis_code_2019_2024"], r["nis_code_2025"]) for r in _csv("merger_2025_crosswalk.csv")
                if r["changed"] == "true" and r["nis_code_2019_2024"] != r["nis_code_2025"]}
    assert {(old, new) for old, new, _ in rows} == expected
    assert {str(end) for _, _, end in rows} == {"2025-01-01"}
    # Antwerpen continues as one entity and records Borsbeek as predecessor
    antwerpen = IRIS.municipality("11002")
    replaced = {r[0] for r in _values(graph_store, f"SELECT ?p {{ <{antwerpen}> <http://purl.org/dc/terms/replaces> ?p }}")}
    assert str(IRIS.municipality("11007")) in replaced


def test_every_case_has_a_source_and_participants(graph_store: GraphStore) -> None:
    without = _values(graph_store, """
        PREFIX kl: <https://w3id.org/kringloop/def#>
        SELECT ?c { ?c a kl:Case FILTER NOT EXISTS { ?c <http://purl.org/dc/terms/source> ?s }
                    FILTER NOT EXISTS { ?c <http://www.w3.org/ns/prov#qualifiedAssociation> ?a } }""")
    assert without == []
    case = next(c for c in _cases() if c["id"] == "leuven-resource-hub")
    sources = {r[0] for r in _values(graph_store, f"SELECT ?s {{ <{IRIS.case(case['id'])}> <http://purl.org/dc/terms/source> ?s }}")}
    assert case["source_url"] in sources


def test_every_concept_has_labels_and_notation(graph_store: GraphStore) -> None:
    bad = _values(graph_store, """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c { ?c a skos:Concept .
          FILTER (NOT EXISTS { ?c skos:notation ?n } ||
                  NOT EXISTS { ?c skos:prefLabel ?nl FILTER(lang(?nl) = "nl") } ||
                  NOT EXISTS { ?c skos:prefLabel ?en FILTER(lang(?en) = "en") } ||
                  NOT EXISTS { ?c skos:inScheme ?s }) }""")
    assert bad == []
    concepts = yaml.safe_load((DATA / "concepts.yaml").read_text(encoding="utf-8"))
    notations = {r[0] for r in _values(graph_store, "SELECT ?n { ?c <http://www.w3.org/2004/02/skos/core#notation> ?n }")}
    assert {c["code"] for scheme in concepts.values() for c in scheme} <= notations


def test_cases_of_leuven_match_the_source_data(graph_store: GraphStore) -> None:
    expected = {c["id"] for c in _cases() if "Leuven" in c["lead"] or "Leuven" in (c.get("partners") or [])}
    rows = queries.select(graph_store, "cases_of_government", government=str(IRIS.municipality("24062")))
    assert {r["id"] for r in rows} == expected
    assert len(expected) >= 15


def test_platform_leuven_circulair_members_carry_pentagon_roles(graph_store: GraphStore) -> None:
    platform = IRIS.collaboration("platform-leuven-circulair")
    rows = _values(graph_store, f"""
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?name ?role {{ ?m org:organization <{platform}> ; org:member/skos:prefLabel ?name ;
                                  org:role/skos:notation ?role }}""")
    roles = dict(rows)
    assert roles["Leuven"] == "overheid"
    assert roles["KU Leuven"] == "kennisinstellingen"
    assert len(roles) == 7


def test_identifiers_follow_the_contract(graph_store: GraphStore) -> None:
    rows = _values(graph_store, """
        PREFIX kl: <https://w3id.org/kringloop/def#>
        SELECT ?m ?id { ?m a kl:Municipality ; <http://purl.org/dc/terms/identifier> ?id }""")
    assert len(rows) == 312
    assert all(m.endswith(f"/id/gemeente/{nis}") and len(nis) == 5 for m, nis in rows)
    cases = _values(graph_store, """SELECT ?c ?id { ?c a <https://w3id.org/kringloop/def#Case> ;
                                        <http://purl.org/dc/terms/identifier> ?id }""")
    assert all(c.endswith(f"/id/case/{cid}") for c, cid in cases)


def test_store_default_graph_is_the_union_of_named_graphs(graph_store: GraphStore) -> None:
    graphs = graph_store.named_graphs()
    assert {g.rsplit("/", 1)[-1] for g in graphs} == {"ontology", "concepts", "flanders", "cases", "survey", "meta"}
    total = sum(1 for _ in graph_store.store.quads_for_pattern(None, None, None, None))
    assert len(graph_store) == total


def test_store_is_read_only(graph_store: GraphStore) -> None:
    with pytest.raises((OSError, RuntimeError), match="read-write|read-only"):
        graph_store.store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.Literal("o")))


def test_dumps_are_written(build_dir: Path) -> None:
    for suffix in ("ttl", "nt", "jsonld"):
        assert (build_dir / f"kringloop.{suffix}").stat().st_size > 100_000


def test_validation_fails_closed_without_shapes(tmp_path: Path) -> None:
    from rdflib import Graph

    from kg.errors import ShapesMissing
    from kg.validate import validate_graph

    with pytest.raises(ShapesMissing):
        validate_graph(Graph(), tmp_path / "no-shapes.ttl")

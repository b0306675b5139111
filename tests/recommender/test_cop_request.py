"""Requests become problems: graph profiles via the adapter, overrides on top, every error naming its field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.store import GraphStore
from recommender.cop.adapter import interest_strength, participant_from_profile
from recommender.cop.errors import CopInputError
from recommender.cop.model import DEFAULT_SIZES
from recommender.cop.request import problem_from_request
from recommender.profiles import GovernmentProfile, load_profiles

CONCEPTS = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "concepts.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def profiles(graph_store: GraphStore) -> dict[str, GovernmentProfile]:
    return load_profiles(graph_store)


def test_adapter_keeps_what_the_planner_needs() -> None:
    profile = GovernmentProfile(iri="https://w3id.org/kringloop/id/gemeente/71004", name="Beringen", type="gemeente",
                                nis_code="71004", province="Limburg", population=47000,
                                neighbours=("https://w3id.org/kringloop/id/gemeente/71002",),
                                memberships=("https://w3id.org/kringloop/id/samenwerkingsverband/igs01",),
                                theme_weights={"afvalstromen": 1.0}, instrument_weights={"monitoring": 0.0},
                                maturity="strategisch-intern")
    p = participant_from_profile(profile, iri_to_id={"https://w3id.org/kringloop/id/gemeente/71002": "71002"})
    assert (p.id, p.maturity_level, p.frontrunner, p.adoption_group) == ("71004", 4, True, "koplopers")
    assert p.interests == {"afvalstromen": pytest.approx(interest_strength(1.0))}
    assert p.neighbours == {"71002"} and p.associations == set(profile.memberships)


def test_graph_profiles_with_overrides(profiles: dict[str, GovernmentProfile]) -> None:
    problem, weights = problem_from_request({
        "participants": [{"nis_code": "24062"},
                         {"nis_code": "71004", "profile": {"maturity": "verkennend",
                                                           "themes": {"stadsontwikkeling": 0.7},
                                                           "capacity": 0.9, "groups": ["cop-stadsontwikkeling"],
                                                           "frontrunner": False}}],
        "groups": ["cop-stadsontwikkeling", {"code": "cop-monitoring", "max_size": 9}],
        "constraints": {"exactly_one_group": True, "maturity_mix": {"koplopers": {"max_share": 0.5}}},
        "weights": {"learning": 9}}, profiles=profiles, concepts=CONCEPTS)
    leuven, beringen = problem.participants
    assert leuven.frontrunner and leuven.neighbours and leuven.province == "Vlaams-Brabant"
    assert (beringen.maturity_level, beringen.frontrunner, beringen.capacity) == (2, False, 0.9)
    assert beringen.interests["stadsontwikkeling"] == 0.7 and beringen.allowed_groups == {"cop-stadsontwikkeling"}
    assert [(g.code, g.min_size, g.max_size) for g in problem.groups] == [
        ("cop-stadsontwikkeling", *DEFAULT_SIZES["cop"]), ("cop-monitoring", DEFAULT_SIZES["cop"][0], 9)]
    assert problem.constraints.assign_all and problem.constraints.max_groups_per_participant == 1
    assert weights.learning == 9


def test_groups_default_to_all_five_with_track_support_forms(profiles: dict[str, GovernmentProfile]) -> None:
    problem, _ = problem_from_request({"participants": ["24062"]}, profiles=profiles, concepts=CONCEPTS)
    topics = {g.code: g.topics for g in problem.groups}
    assert len(topics) == 5 and topics["traject-pilootproject"] == {"begeleiding-pilootproject"}
    assert topics["cop-stadsontwikkeling"] == {"stadsontwikkeling", "circulair-bouwen"}


@pytest.mark.parametrize(("request_body", "field"), [
    ({"participants": []}, "participants"),
    ({"participants": [{"nis_code": "24062"}, {"nis_code": "24062"}]}, "participants"),
    ({"participants": [{"nis_code": "11007"}]}, "participants.0.nis_code"),
    ({"participants": [{"name": "x"}]}, "participants.0.name"),
    ({"participants": [{"id": "x"}]}, "participants.0"),
    ({"participants": ["24062"], "constraints": {"min_frontrunner_share": 1.5}}, "constraints.min_frontrunner_share"),
    ({"participants": ["24062"], "constraints": {"maturity_mix": {"pioniers": {"min": 1}}}},
     "constraints.maturity_mix"),
    ({"participants": ["24062"], "constraints": {"government_type_mix": {"gemeente": {"minimum": 1}}}},
     "constraints.government_type_mix.gemeente.minimum"),
    ({"participants": ["24062"], "constraints": {"cannot_link": [["24062"]]}}, "constraints.cannot_link"),
    ({"participants": ["24062"], "constraints": {"max_groups_per_participant": 0}},
     "constraints.max_groups_per_participant"),
    ({"participants": [{"nis_code": "24062", "profile": {"maturity": "expert"}}]}, "participants.0.profile.maturity"),
    ({"participants": [{"nis_code": "24062", "profile": {"capacity": 2}}]}, "participants.0.profile.capacity"),
    ({"participants": ["24062"], "weights": {"learning": -1}}, "weights.learning"),
    ({"participants": [{"nis_code": "24062", "profile": {"province": "Brabant"}}]}, "participants.0.profile.province"),
    ({"participants": ["24062"], "groups": [{"code": "cop-monitoring", "min_size": -1}]}, "groups.0.min_size"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_bad_requests_name_the_field(profiles: dict[str, GovernmentProfile], request_body: dict, field: str) -> None:
    with pytest.raises(CopInputError) as caught:
        problem_from_request(request_body, profiles=profiles, concepts=CONCEPTS)
    assert str(caught.value).startswith(field)


def test_graph_catalogue_matches_concepts_yaml(graph_store: GraphStore) -> None:
    from recommender.cop.catalogue import concepts_from_graph
    from recommender.cop.model import group_from_concept

    graph = concepts_from_graph(graph_store)
    for key, entries in graph.items():
        assert {e["code"] for e in entries} == {e["code"] for e in CONCEPTS[key]}, key
    by_code = {c["code"]: group_from_concept(c) for c in CONCEPTS["communities_of_practice"]}
    assert [group_from_concept(c) for c in graph["communities_of_practice"]] == [
        by_code[c["code"]] for c in graph["communities_of_practice"]]


def test_former_municipalities_are_refused_with_the_merger(profiles: dict[str, GovernmentProfile]) -> None:
    with pytest.raises(CopInputError, match=r"Borsbeek \(11007\) merged on 2025-01-01"):
        problem_from_request({"participants": ["11007"]}, profiles=profiles, concepts=CONCEPTS)

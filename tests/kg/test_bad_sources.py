"""Wrong source data stops the build with one line naming the file and the record."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from api.cli import main
from kg.build import build_graphs
from kg.errors import SourceDataError
from kg.namespaces import DEFAULT_BASE_IRI
from kg.sources import load_sources

DATA = Path(__file__).resolve().parents[2] / "data"


def _edit_first_case(change: Callable[[list[dict]], None]) -> Callable[[Path], None]:
    def apply(data: Path) -> None:
        path = data / "cases" / "cases.yaml"
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(cases)
        path.write_text(yaml.safe_dump(cases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return apply


def _set(key: str, value: object) -> Callable[[list[dict]], None]:
    return lambda cases: cases[0].__setitem__(key, value)


def _duplicate(cases: list[dict]) -> None:
    cases[1]["id"] = cases[0]["id"]


def _bad_nis(data: Path) -> None:
    path = data / "flanders" / "municipalities.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n11001,", "\n1100X,", 1), encoding="utf-8")


def _website_of_unknown_municipality(data: Path) -> None:
    path = data / "contacts" / "municipal_websites.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n11001,", "\n99999,", 1), encoding="utf-8")


BROKEN = [
    pytest.param(_edit_first_case(_set("themes", ["kernfusie"])), "leuven-resource-hub", "unknown theme code 'kernfusie'",
                 id="unknown-theme-code"),
    pytest.param(_edit_first_case(_set("lead", ["Atlantis"])), "leuven-resource-hub", "'Atlantis' does not resolve",
                 id="unresolvable-government"),
    pytest.param(_edit_first_case(_duplicate), "leuven-resource-hub", "duplicate case id", id="duplicate-id"),
    pytest.param(_edit_first_case(_set("source_url", None)), "leuven-resource-hub", "case without source",
                 id="case-without-source"),
    pytest.param(_edit_first_case(_set("status", "misschien")), "leuven-resource-hub", "unknown status",
                 id="unknown-status"),
    pytest.param(_bad_nis, "1100X", "NIS code must be 5 digits", id="bad-nis-code"),
    pytest.param(_website_of_unknown_municipality, "99999", "not the NIS code of a current municipality",
                 id="website-of-unknown-municipality"),
]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("*.geojson"))
    return target


@pytest.mark.parametrize(("breakage", "record", "message"), BROKEN)
def test_broken_source_stops_the_build(data_copy: Path, breakage: Callable[[Path], None], record: str, message: str) -> None:
    breakage(data_copy)
    with pytest.raises(SourceDataError) as info:
        build_graphs(load_sources(data_copy), base_iri=DEFAULT_BASE_IRI)
    text = str(info.value)
    assert record in text and message in text
    assert text.startswith("data/") and "\n" not in text


def test_cli_reports_bad_data_in_one_line_with_exit_code_2(data_copy: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _edit_first_case(_set("lead", ["Atlantis"]))(data_copy)
    code = main(["build", "--data", str(data_copy), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "data/cases/cases.yaml: leuven-resource-hub" in err
    assert not (tmp_path / "out" / "store").exists()


def test_cli_rejects_unknown_arguments_with_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["stats", "--format", "xml"])
    assert info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_cli_query_and_stats_on_the_built_graph(built_graph, capsys: pytest.CaptureFixture[str]) -> None:
    store = built_graph.store_path
    assert main(["stats", "--store", store, "--format", "json"]) == 0
    counts = {row["label"]: row["count"] for row in __import__("json").loads(capsys.readouterr().out) if row["label"]}
    assert counts["current municipalities"] == 285 and counts["former municipalities (ended 2025-01-01)"] == 27
    assert counts["provinces"] == 5 and counts["cases"] == 312 and counts["member lists of intercommunales"] == 19
    query = 'SELECT ?n WHERE { <https://w3id.org/kringloop/id/gemeente/24062> <http://purl.org/dc/terms/identifier> ?n }'
    assert main(["query", query, "--store", store, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "24062"]
    ask = 'ASK { <https://w3id.org/kringloop/id/gemeente/24062> ?p ?o }'
    assert main(["query", ask, "--store", store]) == 0 and capsys.readouterr().out.strip() == "true"
    assert main(["query", "SELECT WHERE {", "--store", store]) == 2
    assert "invalid SPARQL" in capsys.readouterr().err

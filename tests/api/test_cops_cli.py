"""``kringloop cop plan FILE``: the API's request from YAML or JSON; JSON, CSV or XLSX out; bad input exits 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.cli import main
from kg.store import GraphStore

REQUEST = """\
participants:
  - nis_code: "24062"
  - nis_code: "44021"
  - {nis_code: "24001", profile: {maturity: verkennend, instruments: [monitoring]}}
  - nis_code: "71004"
  - {id: demo, profile: {name: Demogem, population: 9000, province: Limburg, instruments: [circulair-aankopen]}}
groups:
  - {code: cop-monitoring, min_size: 2, max_size: 3}
  - {code: cop-circulair-aankopen, min_size: 2, max_size: 3}
constraints: {min_frontrunners_per_group: 1}
"""


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(REQUEST, encoding="utf-8")
    return path


def test_json_output_is_the_api_response(graph_store: GraphStore, request_file: Path, capsys) -> None:
    code, out, err = _run(["cop", "plan", str(request_file), "--store", str(graph_store.path)], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "optimal"
    members = {g["code"]: set(g["members"]) for g in data["groups"]}
    assert members["cop-monitoring"] & {"24062", "44021"} and members["cop-circulair-aankopen"] & {"24062", "44021"}
    assert "demo" in members["cop-circulair-aankopen"]


def test_csv_and_xlsx_to_files(graph_store: GraphStore, request_file: Path, tmp_path: Path, capsys) -> None:
    csv_path, xlsx_path = tmp_path / "plan.csv", tmp_path / "plan.xlsx"
    store = ["--store", str(graph_store.path)]
    assert _run(["cop", "plan", str(request_file), "--format", "csv", "--out", str(csv_path)] + store, capsys)[0] == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfGroepcode;Groep;NIS-code of id;")
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 5 and {r["NIS-code of id"] for r in rows} == {"24062", "44021", "24001", "71004", "demo"}
    assert _run(["cop", "plan", str(request_file), "--format", "xlsx", "--out", str(xlsx_path)] + store, capsys)[0] == 0
    assert load_workbook(xlsx_path)["Indeling"].max_row == 6


def test_self_described_participants_need_no_graph(request_file: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "alone.json"
    path.write_text(json.dumps({
        "participants": [{"id": "a", "profile": {"name": "A", "maturity": "strategisch-extern",
                                                 "instruments": ["monitoring"]}},
                         {"id": "b", "profile": {"name": "B", "instruments": ["monitoring"]}}],
        "groups": [{"code": "cop-monitoring", "min_size": 1, "max_size": 2}]}), encoding="utf-8")
    code, out, err = _run(["cop", "plan", str(path), "--store", str(tmp_path / "none")], capsys)
    assert code == 0, err
    assert json.loads(out)["groups"][0]["members"] == ["a", "b"]


@pytest.mark.parametrize(("text", "needle"), [
    ("{not: valid: yaml", "YAML"),
    ("[1, 2]", "mapping"),
    ('{"participants": [{"nis_code": "99999"}]}', "participants.0.nis_code"),
    ('{"participants": [{"nis_code": "24062"}], "groups": ["cop-onbekend"]}', "groups.0.code"),
    ("[" * 100_000, "nested"),
    ("a:\n" + "".join(" " * (2 * i) + "b:\n" for i in range(1, 3000)), "nested"),
    ('{"participants": [{"nis_code": "24062"}, {"nis_code": "24001"}], "groups": ["cop-monitoring"], '
     '"weights": {"cooperation": .inf}}', "weights.cooperation"),
], ids=["syntax", "not-a-mapping", "unknown-nis", "unknown-group", "deep-json", "deep-yaml", "infinite-weight"])
def test_bad_input_exits_2_with_one_line(graph_store: GraphStore, tmp_path: Path, capsys, text: str,
                                         needle: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = _run(["cop", "plan", str(path), "--store", str(graph_store.path)], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_infeasible_request_exits_2_naming_the_conflict(graph_store: GraphStore, tmp_path: Path, capsys) -> None:
    path = tmp_path / "infeasible.yaml"
    path.write_text(REQUEST.replace("min_frontrunners_per_group: 1", "min_frontrunners_per_group: 2"),
                    encoding="utf-8")
    code, out, err = _run(["cop", "plan", str(path), "--store", str(graph_store.path)], capsys)
    assert code == 2 and out == ""
    assert "2 groups need 4 front-runners in all but only 2 front-runners take part" in err


def test_xlsx_needs_an_output_path(request_file: Path, capsys) -> None:
    code, _, err = _run(["cop", "plan", str(request_file), "--format", "xlsx"], capsys)
    assert code == 2 and "--out" in err


def test_a_solver_time_out_is_one_line_and_exit_2(graph_store: GraphStore, request_file: Path, capsys,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import recommender.cop as cop
    import recommender.cop.context as context

    def no_time(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - stands in for plan_response
        raise cop.PlanTimeout("no plan found within 1 s; allow more time or relax the constraints")

    monkeypatch.setattr(context, "plan_response", no_time)
    code, out, err = _run(["cop", "plan", str(request_file), "--store", str(graph_store.path)], capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "no plan found" in err

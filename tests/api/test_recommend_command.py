"""``kringloop recommend FILE``: the API's input from YAML or JSON; bad input exits 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main
from kg.store import GraphStore


def _run(graph_store: GraphStore, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["recommend", str(path), "--store", str(graph_store.path), "--model", "hashing"])
    out, err = capsys.readouterr()
    return code, out, err


def test_yaml_request_prints_the_api_response(graph_store: GraphStore, tmp_path: Path, capsys) -> None:
    path = tmp_path / "req.yaml"
    path.write_text('nis_code: "71070"\nprofile:\n  barriers: [middelen-menskracht]\nlimit: 3\n', encoding="utf-8")
    code, out, _ = _run(graph_store, path, capsys)
    data = json.loads(out)
    assert code == 0 and len(data["peers"]) == 3 and len(data["practices"]) == 3
    assert all(p["reasons"] for p in data["peers"] + data["practices"])


@pytest.mark.parametrize(("text", "needle"), [
    ('{"profile": {"themes": ["kernenergie"]}}', "profile.themes"),
    ("{}", "profile"),
    ("[1, 2]", "mapping"),
    ('{"profile": {"themes": ["water"]}, "limit": 0}', "limit"),
    ("{not: valid: yaml", "YAML"),
], ids=["unknown-code", "empty", "not-a-mapping", "limit", "syntax"])
def test_bad_input_exits_2_with_one_line(graph_store: GraphStore, tmp_path: Path, capsys, text: str, needle: str) -> None:
    path = tmp_path / "req.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = _run(graph_store, path, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err

"""House rules that code review would otherwise have to catch (STYLE.md C1, C7, A4)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

REPO = Path(__file__).resolve().parent.parent
# private state is the lowest room beside the ontology: kg/ reads the curation log from it, nothing flows back
UPSTREAM = {"ontology": {"kg", "recommender", "api", "state"}, "state": {"kg", "recommender", "api"},
            "kg": {"recommender", "api"}, "recommender": {"api"}}
SPARQL_IN_PYTHON = re.compile(r"""(["']{1,3})\s*(PREFIX\s+\w*:|SELECT\s+[?*(]|CONSTRUCT\s*\{|ASK\s*\{)""", re.IGNORECASE)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(UPSTREAM))
def test_imports_flow_one_way(package: str) -> None:
    offenders = {str(p.relative_to(REPO)): sorted(_imports(p) & UPSTREAM[package])
                 for p in (REPO / package).rglob("*.py") if _imports(p) & UPSTREAM[package]}
    assert offenders == {}


def test_no_sparql_text_in_python_outside_tests() -> None:
    offenders = [str(p.relative_to(REPO)) for pkg in ("state", "kg", "recommender", "api") for p in (REPO / pkg).rglob("*.py")
                 if SPARQL_IN_PYTHON.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("path", sorted((REPO / "kg" / "queries").rglob("*.rq")), ids=lambda p: p.name)
def test_every_query_file_parses_and_says_what_it_is_for(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("#"), "each .rq starts with a comment stating its purpose"
    parseQuery(text)


@pytest.mark.parametrize("path", sorted((REPO / "kg" / "queries").rglob("*.ru")), ids=lambda p: p.name)
def test_every_update_file_parses_and_says_what_it_is_for(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("#"), "each .ru starts with a comment stating its purpose"
    parseUpdate(text)


def test_the_ontology_and_its_shapes_ship_as_package_data() -> None:
    """A non-editable install must build with its ontology and validate against its shapes (issue 13)."""
    import tomllib

    import ontology
    from kg.build import ONTOLOGY_DIR

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert "ontology" in setuptools["packages"]["find"]["include"]
    assert "*.ttl" in setuptools["package-data"]["ontology"]
    assert ONTOLOGY_DIR == ontology.DIR and ontology.SHAPES_TTL.is_file() and ontology.ONTOLOGY_TTL.is_file()

"""SHACL validation of the built graph with pySHACL."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH


def validate_graph(data: Graph, shapes_file: Path) -> tuple[bool, int, str]:
    """(conforms, number of violations, text report); no shapes file means nothing to check."""
    if not Path(shapes_file).exists():
        return True, 0, "no shapes file"
    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, results, text = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                       allow_warnings=True)
    violations = sum(1 for _ in results.subjects(SH.resultSeverity, SH.Violation))
    return bool(conforms), violations, text

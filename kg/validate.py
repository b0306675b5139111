"""SHACL validation of the built graph with pySHACL."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH

from .errors import ShapesMissing


def validate_graph(data: Graph, shapes_file: Path) -> tuple[bool, int, str]:
    """(conforms, number of violations, text report). Fails closed: without the shapes file there is
    no check, and a graph that was not checked is never reported as conforming."""
    if not Path(shapes_file).is_file():
        raise ShapesMissing(f"no SHACL shapes at {shapes_file}: the graph cannot be validated")
    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, results, text = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                       allow_warnings=True)
    violations = sum(1 for _ in results.subjects(SH.resultSeverity, SH.Violation))
    return bool(conforms), violations, text

"""Named SPARQL queries: text lives in kg/queries/*.rq; values are bound, never formatted in."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import XSD

from .errors import UnknownQuery
from .store import GraphStore

QUERY_DIR = Path(__file__).parent / "queries"
EXAMPLE_DIR = QUERY_DIR / "examples"


@lru_cache(maxsize=None)
def load(name: str, *, examples: bool = False) -> str:
    """The text of ``queries/{name}.rq`` (or ``queries/examples/{name}.rq``)."""
    path = (EXAMPLE_DIR if examples else QUERY_DIR) / f"{name}.rq"
    if not path.is_file():
        raise UnknownQuery(f"no query named {name!r}")
    return path.read_text(encoding="utf-8")


def load_update(name: str) -> str:
    """The text of the SPARQL Update ``queries/{name}.ru``."""
    path = QUERY_DIR / f"{name}.ru"
    if not path.is_file():
        raise UnknownQuery(f"no update named {name!r}")
    return path.read_text(encoding="utf-8")


def to_term(value: Any) -> ox.NamedNode | ox.Literal:
    """A Python value as an Oxigraph term: strings starting with http(s) become IRIs."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(str(XSD.boolean)))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))
    return ox.Literal(str(value))


def to_python(term: Any) -> Any:
    """An Oxigraph term as a plain Python value (IRIs as str, typed literals converted)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        if dt in {"integer", "int", "long", "nonNegativeInteger", "gYear"}:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dt in {"decimal", "double", "float"}:
            return float(term.value)
        if dt == "boolean":
            return term.value == "true"
        return term.value
    return str(term)


def select(store: GraphStore, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run the named SELECT query with bound variables; rows as dicts of Python values."""
    subs = {ox.Variable(k): to_term(v) for k, v in bindings.items()}
    solutions = store.query(load(name), substitutions=subs or None)
    names = [v.value for v in solutions.variables]
    return [{n: to_python(row[n]) for n in names} for row in solutions]


def ask(store: GraphStore, name: str, **bindings: Any) -> bool:
    subs = {ox.Variable(k): to_term(v) for k, v in bindings.items()}
    return bool(store.query(load(name), substitutions=subs or None))

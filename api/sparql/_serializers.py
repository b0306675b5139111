"""Writers for SPARQL results, used by the workers.

pyoxigraph's own result writers consume the whole solution iterator, so they cannot stop at the
row cap; these write the rows already taken, in the four W3C result formats, and mark a cut-off
result. Graph results go through ``pyoxigraph.serialize`` over the capped list of triples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

GRAPH_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def write_solutions(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], fmt: str, *,
                    truncated: bool = False) -> bytes:
    """Solutions of a SELECT (rows in the order of ``variables``) as ``fmt``: json, xml, csv or tsv."""
    return _SOLUTION_WRITERS[fmt](variables, rows, truncated)


def write_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result as ``fmt``."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (b'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                b"<boolean>" + (b"true" if value else b"false") + b"</boolean></sparql>\n")
    # CSV and TSV have no boolean form in the W3C note; a one-cell table is what clients accept
    header = b"_askResult" if fmt == "csv" else b"?_askResult"
    return header + (b"\r\n" if fmt == "csv" else b"\n") + (b"true" if value else b"false") + b"\n"


def write_triples(triples: list[ox.Triple], fmt: str, *, prefixes: dict[str, str] | None = None) -> bytes:
    """CONSTRUCT / DESCRIBE results as ``fmt``: turtle, ntriples, jsonld or rdfxml."""
    rdf_format = GRAPH_RDF_FORMATS[fmt]
    kwargs = {"prefixes": prefixes} if prefixes and fmt in ("turtle", "rdfxml") else {}
    return ox.serialize(triples, format=rdf_format, **kwargs) or b""


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if getattr(term, "direction", None):
                out["its:dir"] = str(term.direction.value if hasattr(term.direction, "value") else term.direction)
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _write_json(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], truncated: bool) -> bytes:
    bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    document: dict = {"head": {"vars": list(variables)}}
    if truncated:
        # before "results": some streaming parsers (pyoxigraph's) reject members after the bindings
        document["truncated"] = True
    document["results"] = {"bindings": bindings}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _write_xml(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], truncated: bool) -> bytes:
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
    if truncated:
        parts.append('<link href="urn:kringloop:truncated"/>')
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                  for v, t in zip(variables, row) if t is not None]
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode()


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    elif isinstance(term, (ox.NamedNode, ox.Literal)):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def _write_csv(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], truncated: bool) -> bytes:
    lines = [",".join(variables)]
    lines += [",".join(_csv_cell(t) for t in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _tsv_cell(term: Term | None) -> str:
    # str() of a pyoxigraph term is its N-Triples form, which escapes tabs and newlines in literals
    return "" if term is None else str(term)


def _write_tsv(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], truncated: bool) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_cell(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


_SOLUTION_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}

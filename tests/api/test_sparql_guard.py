"""The lexical guard and the Accept negotiation, as units: good and bad inputs side by side."""

from __future__ import annotations

import pytest

from api.sparql import GRAPH_FORMATS, RESULT_FORMATS, NotAcceptable, QueryRefused, QueryTooLong, check_query, negotiate

LOCAL = frozenset({"https://w3id.org/kringloop/graph/cases", "https://w3id.org/kringloop/graph/meta"})


@pytest.mark.parametrize(("text", "form", "from_graphs", "from_named"), [
    pytest.param("SELECT * { ?s ?p ?o }", "SELECT", (), (), id="select"),
    pytest.param("prefix x: <http://x/> construct { ?s x:p ?o } where { ?s x:p ?o }", "CONSTRUCT", (), (),
                 id="lowercase-construct"),
    pytest.param("BASE <http://x/> PREFIX : <y#> ASK { :a :b :c }", "ASK", (), (), id="base-prefix-ask"),
    pytest.param("DESCRIBE <http://x/>", "DESCRIBE", (), (), id="describe"),
    pytest.param("SELECT * FROM <https://w3id.org/kringloop/graph/cases> { ?s ?p ?o }", "SELECT",
                 ("https://w3id.org/kringloop/graph/cases",), (), id="from-local"),
    pytest.param("PREFIX g: <https://w3id.org/kringloop/graph/> SELECT * FROM NAMED g:meta { GRAPH ?g { ?s ?p ?o } }",
                 "SELECT", (), ("https://w3id.org/kringloop/graph/meta",), id="from-named-prefixed"),
    pytest.param("BASE <https://w3id.org/kringloop/> SELECT * FROM <graph/meta> { ?s ?p ?o }", "SELECT",
                 ("https://w3id.org/kringloop/graph/meta",), (), id="from-relative"),
    pytest.param("# SERVICE <http://x/>\nSELECT ('SERVICE' AS ?x) { ?s <http://e/LOAD> ?o }", "SELECT", (), (),
                 id="forbidden-words-in-comment-string-iri"),
    pytest.param("SELECT ?drop ?insert { ?drop ?service ?insert }", "SELECT", (), (), id="forbidden-words-as-variables"),
    pytest.param("SELECT * { ?s ?p ?o FILTER(?o<?s) }", "SELECT", (), (), id="less-than-is-not-an-iri"),
    pytest.param("SELECT * { ?s ?p ?o FILTER(?o<3&&?s>2) }", "SELECT", (), (), id="less-than-greater-than-no-space"),
    pytest.param("SELECT * { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?o }", "SELECT", (), (),
                 id="fragment-iri-after-a-variable"),
    pytest.param("SELECT * { ?s ?p <http://dbpedia.org/resource/Leuven_(city)> }", "SELECT", (), (),
                 id="parentheses-in-an-iri-after-a-variable-without-a-forbidden-word"),
    pytest.param("BASE <http://x/> SELECT * { <#a> ?p ?o }", "SELECT", (), (), id="relative-fragment-in-subject"),
    pytest.param("SELECT ?v WHERE { ?s <urn:kringloop:test#version> ?v }", "SELECT", (), (),
                 id="urn-with-fragment-after-a-variable"),
])
def test_allowed_queries(text: str, form: str, from_graphs: tuple, from_named: tuple) -> None:
    checked = check_query(text, max_length=1000, local_graphs=LOCAL)
    assert (checked.form, checked.from_graphs, checked.from_named_graphs) == (form, from_graphs, from_named)


@pytest.mark.parametrize(("text", "message"), [
    pytest.param("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE", id="service"),
    pytest.param("SELECT * { sErViCe SILENT ?e { ?s ?p ?o } }", "SERVICE", id="service-mixed-case"),
    pytest.param("SELECT * { \\u0053ERVICE <http://x/> { } }", "SERVICE", id="service-u-escape"),
    pytest.param("SELECT * { \\U00000053ERVICE <http://x/> { } }", "SERVICE", id="service-U-escape"),
    pytest.param("LOAD <http://x/>", "LOAD", id="load"),
    pytest.param("INSERT DATA { <a> <b> <c> }", "update", id="insert"),
    pytest.param("DELETE WHERE { ?s ?p ?o }", "update", id="delete"),
    pytest.param("CLEAR DEFAULT", "update", id="clear"),
    pytest.param("SELECT * FROM <http://elsewhere/g> { ?s ?p ?o }", "FROM", id="from-remote"),
    pytest.param("SELECT * FROM NAMED <file:///etc/passwd> { ?s ?p ?o }", "FROM", id="from-named-file"),
    pytest.param("PREFIX e: <http://e/> SELECT * FROM e:g { ?s ?p ?o }", "FROM", id="from-prefixed-remote"),
    pytest.param("SELECT * FROM nope:g { ?s ?p ?o }", "prefix", id="from-undeclared-prefix"),
    pytest.param("SELECT * FROM ?g { ?s ?p ?o }", "FROM", id="from-variable"),
    pytest.param("# nothing", "no query", id="only-a-comment"),
    pytest.param("PREFIX x <http://x/> SELECT * {}", "PREFIX", id="malformed-prefix"),
    pytest.param("WHERE { ?s ?p ?o }", "expected SELECT", id="no-form"),
    pytest.param("SELECT * WHERE { FILTER(1<2)SERVICE#>\n<http://x/>{?x ?y ?z} }", "ambiguous", id="probe"),
    pytest.param("SELECT * WHERE { FILTER(?a<STR(?b)&&?c>?d) }", "ambiguous", id="function-call-after-less-than"),
    pytest.param("SELECT * WHERE { ?s ?p ?o FILTER(?o<#x>\n) }", "ambiguous", id="fragment-after-less-than"),
    pytest.param("PREFIX e: <http://e/> SELECT * WHERE { FILTER(1<e:x)SERVICE#>\n<http://x/>{} }", "ambiguous",
                 id="declared-prefix-after-less-than"),
])
def test_refused_queries(text: str, message: str) -> None:
    with pytest.raises(QueryRefused, match=message):
        check_query(text, max_length=1000, local_graphs=LOCAL)


def test_length_limit_counts_characters() -> None:
    check_query("ASK {}" + " " * 94, max_length=100, local_graphs=LOCAL)
    with pytest.raises(QueryTooLong):
        check_query("ASK {}" + " " * 95, max_length=100, local_graphs=LOCAL)


@pytest.mark.parametrize(("accept", "offered", "expected"), [
    (None, RESULT_FORMATS, "json"),
    ("", GRAPH_FORMATS, "turtle"),
    ("application/n-triples;q=0.2, application/ld+json;q=0.8", GRAPH_FORMATS, "jsonld"),
    ("text/*;q=0.5, text/turtle;q=0.1, */*;q=0.3", GRAPH_FORMATS, "ntriples"),  # text/plain alias at 0.5
    ("application/*", RESULT_FORMATS, "json"),
    ("garbage, text/csv", RESULT_FORMATS, "csv"),
    ("text/tab-separated-values;q=abc, text/csv;q=0.1", RESULT_FORMATS, "csv"),
])
def test_negotiation(accept: str | None, offered: tuple, expected: str) -> None:
    assert negotiate(accept, offered).key == expected


def test_negotiation_gives_up_with_406() -> None:
    with pytest.raises(NotAcceptable):
        negotiate("text/html", RESULT_FORMATS)
    with pytest.raises(NotAcceptable):
        negotiate("*/*;q=0", GRAPH_FORMATS)


def test_public_surface_is_pinned() -> None:
    import api.sparql

    public = [name for name in vars(api.sparql) if not name.startswith("_") and name not in ("annotations",)]
    assert api.sparql.__all__ == sorted(public, key=str.casefold)

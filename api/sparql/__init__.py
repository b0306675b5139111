"""The public SPARQL endpoint and Linked Data: guard, negotiation, worker pool, descriptions.

Routes in ``api/routes/sparql.py`` and ``api/routes/linked_data.py`` stay thin; everything they
need is here. See ``_errors`` for the exception tree.
"""

from ._description import service_description, void_description
from ._errors import (
    ClientBusy,
    NotAcceptable,
    Overloaded,
    QueryAborted,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooDeep,
    QueryTooLong,
    SparqlError,
)
from ._examples import ExampleQuery, load_examples, parse_example
from ._guard import CheckedQuery, check_query
from ._linked_data import Description, HtmlRenderer, describe, subjects_with_prefix
from ._negotiation import GRAPH_FORMATS, HTML, RESULT_FORMATS, Format, negotiate
from ._pool import PoolConfig, WorkerPool
from ._service import OUTPUT_PREFIXES, SparqlConfig, SparqlResult, SparqlService

__all__ = [
    "check_query",
    "CheckedQuery",
    "ClientBusy",
    "describe",
    "Description",
    "ExampleQuery",
    "Format",
    "GRAPH_FORMATS",
    "HTML",
    "HtmlRenderer",
    "load_examples",
    "negotiate",
    "NotAcceptable",
    "OUTPUT_PREFIXES",
    "Overloaded",
    "parse_example",
    "PoolConfig",
    "QueryAborted",
    "QueryFailed",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooDeep",
    "QueryTooLong",
    "RESULT_FORMATS",
    "service_description",
    "SparqlConfig",
    "SparqlError",
    "SparqlResult",
    "SparqlService",
    "subjects_with_prefix",
    "void_description",
    "WorkerPool",
]

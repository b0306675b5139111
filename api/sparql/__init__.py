"""The public SPARQL endpoint and Linked Data: guard, negotiation, worker pool, descriptions.

Routes in ``api/routes/sparql.py`` and ``api/routes/linked_data.py`` stay thin; everything they
need is here. See ``_errors`` for the exception tree.
"""

from ._description import service_description, void_description
from ._errors import (
    NotAcceptable,
    Overloaded,
    QueryAborted,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
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
    "GRAPH_FORMATS",
    "HTML",
    "OUTPUT_PREFIXES",
    "RESULT_FORMATS",
    "CheckedQuery",
    "Description",
    "ExampleQuery",
    "Format",
    "HtmlRenderer",
    "NotAcceptable",
    "Overloaded",
    "PoolConfig",
    "QueryAborted",
    "QueryFailed",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooLong",
    "SparqlConfig",
    "SparqlError",
    "SparqlResult",
    "SparqlService",
    "WorkerPool",
    "check_query",
    "describe",
    "load_examples",
    "negotiate",
    "parse_example",
    "service_description",
    "subjects_with_prefix",
    "void_description",
]

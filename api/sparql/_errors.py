"""Errors of the SPARQL endpoint; each carries its HTTP status and renders as the canonical error body.

    ApiError (api.errors)
     +-- SparqlError
          +-- QueryRefused        400  forbidden feature (SERVICE, LOAD, update, remote FROM), bad parameters
          +-- QuerySyntaxError    400  the engine could not parse the query
          +-- QueryTooLong        413  longer than sparql_max_query_length
          +-- QueryTooDeep        400  groups or brackets nested deeper than the engine's parser can take
          +-- NotAcceptable       406  no result format the client accepts
          +-- QueryTimeout        503  stopped at the deadline; the worker was killed and replaced
          +-- QueryAborted        503  the worker died (memory limit) while running the query
          +-- Overloaded          503  every slot busy; comes with Retry-After
          +-- ClientBusy          429  this client already has its share of queries running; Retry-After
          +-- QueryFailed         500  the engine failed on a query it accepted
"""

from __future__ import annotations

from ..error_shape import ApiError


class SparqlError(ApiError):
    """Base of every error raised by the SPARQL endpoint."""


class QueryRefused(SparqlError):
    status = 400


class QuerySyntaxError(SparqlError):
    status = 400


class QueryTooLong(SparqlError):
    status = 413


class NotAcceptable(SparqlError):
    status = 406


class QueryTimeout(SparqlError):
    status = 503

    def __init__(self, message: str, *, retry_after_s: int = 10) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})


class QueryAborted(SparqlError):
    status = 503

    def __init__(self, message: str, *, retry_after_s: int = 10) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})


class QueryTooDeep(SparqlError):
    status = 400


class Overloaded(SparqlError):
    status = 503

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})


class ClientBusy(SparqlError):
    status = 429

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})


class QueryFailed(SparqlError):
    status = 500

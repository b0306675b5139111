"""Errors of the recommender; none of them knows about HTTP (api/errors.py maps them).

    RecommenderError
     +-- InvalidProfile (ValueError)      a request field is unknown or the profile is empty; names the field
     |    +-- UnknownGovernment (LookupError)  no government with that NIS code / IRI
    sklearn.exceptions.NotFittedError is raised (unchanged) when a recommender is used before fit().
"""

from __future__ import annotations


class RecommenderError(Exception):
    """Base of every error raised by ``recommender``."""


class InvalidProfile(RecommenderError, ValueError):
    """A profile field holds something the graph does not know, or the profile says nothing."""

    def __init__(self, field: str, problem: str) -> None:
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}" if field else problem)


class UnknownGovernment(InvalidProfile, LookupError):
    """No government in the graph has the given identifier."""

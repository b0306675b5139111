"""Errors of the knowledge-graph layer; none of them knows about HTTP.

    KgError
     +-- SourceDataError (ValueError)   wrong source data; the message names file and record
     +-- ValidationFailed               SHACL found violations in the built graph
     +-- ShapesMissing (FileNotFoundError) no shapes file: validation cannot run, so it fails
     +-- StoreMissing (FileNotFoundError)
     +-- UnknownQuery (LookupError)     no such .rq file
"""

from __future__ import annotations


class KgError(Exception):
    """Base of every error raised by ``kg``."""


class SourceDataError(KgError, ValueError):
    """A source file holds data the build cannot accept."""

    def __init__(self, file: str, record: str, problem: str) -> None:
        self.file, self.record, self.problem = file, record, problem
        super().__init__(f"{file}: {record}: {problem}")


class ValidationFailed(KgError):
    """The built graph does not conform to ontology/shapes.ttl."""

    def __init__(self, report: str, violations: int) -> None:
        self.report, self.violations = report, violations
        super().__init__(f"SHACL validation found {violations} violation(s)")


class ShapesMissing(KgError, FileNotFoundError):
    """The SHACL shapes file is missing: nothing may be reported as validated."""


class StoreMissing(KgError, FileNotFoundError):
    """No built store at the given path."""


class UnknownQuery(KgError, LookupError):
    """No query file of that name."""

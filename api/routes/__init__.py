"""Each route module exposes ``register(app)``; the order here is the order of registration."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from . import (browse, cops, curation, health, linked_data, notes, ontology, pages, recommendations,
               registrations, sparql)

ROUTERS: list[Callable[[FastAPI], None]] = [
    health.register,
    ontology.register,
    recommendations.register,
    notes.register,
    sparql.register,
    linked_data.register,
    cops.register,
    browse.register,
    pages.register,
    registrations.register,
    curation.register,
]

"""Each route module exposes ``register(app)``; the order here is the order of registration."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from . import health, ontology

ROUTERS: list[Callable[[FastAPI], None]] = [health.register, ontology.register]
from . import recommendations  # noqa: E402
ROUTERS.append(recommendations.register)

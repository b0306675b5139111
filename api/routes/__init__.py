"""Each route module exposes ``register(app)``; the order here is the order of registration."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from . import health, ontology

ROUTERS: list[Callable[[FastAPI], None]] = [health.register, ontology.register]
from . import recommendations  # noqa: E402
ROUTERS.append(recommendations.register)
from . import linked_data, sparql  # noqa: E402
ROUTERS += [sparql.register, linked_data.register]
from . import cops  # noqa: E402
ROUTERS.append(cops.register)
from . import browse, pages  # noqa: E402
ROUTERS += [browse.register, pages.register]
from . import curation, registrations  # noqa: E402
ROUTERS += [registrations.register, curation.register]

"""The server the crash-safety test kills: ``uvicorn --app-dir tests/api _crash_app:create --factory``.

It is ``api.app.create_app`` with only the health, registration and curation routers. Importing the
``api.routes`` package would load every router and the recommender (torch: ~8 s); with ten restarts
that dominates the test, so the package is stood in for by a bare one listing just these routers.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def create():  # noqa: ANN201 - a FastAPI app
    if "api.routes" not in sys.modules:
        package = types.ModuleType("api.routes")
        package.__path__ = [str(REPO / "api" / "routes")]
        sys.modules["api.routes"] = package
        from api.routes import curation, health, registrations

        package.ROUTERS = [health.register, registrations.register, curation.register]
    from api.app import create_app
    from api.config import Settings

    return create_app(Settings())

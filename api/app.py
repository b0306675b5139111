"""The FastAPI application factory: ``uvicorn api.app:create_app --factory``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from kg.store import open_store

from . import errors
from .config import Settings, get_settings
from .headers import SecurityHeaders
from .ratelimit import BodyLimit
from .routes import ROUTERS

# Request bodies, by the longest matching path prefix; larger ones get 413 before they are parsed.
# /sparql has its own limit (the query length, sparql_max_query_length).
BODY_LIMITS = {
    "/api/": 64 * 1024,                      # recommendations and anything else JSON
    "/api/v1/registrations": 16 * 1024,      # a full profile with a long description is ~7 KB
    "/api/v1/curation": 128 * 1024,          # two 5000-character summaries and 100 names fit many times over
    "/api/v1/cops": 512 * 1024,              # a plan for every government of Flanders is about 60 KB
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(store_url=settings.store_url, store_path=settings.store_path)
        for startup in app.state.startup_hooks:
            startup(app)
        try:
            yield
        finally:
            for shutdown in app.state.shutdown_hooks:
                shutdown(app)

    app = FastAPI(title="Kringloop", version="0.1.0", lifespan=lifespan,
                  description="Knowledge graph and good-practice recommender for Flemish local governments "
                              "working on the circular economy.")
    app.state.settings = settings
    app.state.startup_hooks = []
    app.state.shutdown_hooks = []
    errors.install(app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"])
    app.add_middleware(BodyLimit, limits=BODY_LIMITS)
    app.add_middleware(SecurityHeaders)
    for register in ROUTERS:
        register(app)
    return app

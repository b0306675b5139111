"""The FastAPI application factory: ``uvicorn api.app:create_app --factory``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from kg.store import GraphStore

from . import errors
from .config import Settings, get_settings
from .routes import ROUTERS


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = GraphStore.open(settings.store_path, read_only=True)
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
    for register in ROUTERS:
        register(app)
    return app

"""Typed dependencies: shared resources live on app.state, loaded in the lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg.store import GraphStore

from .config import Settings


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[GraphStore, Depends(get_store)]

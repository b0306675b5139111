"""Typed dependencies: the settings, and the store of the generation a request is answered from.

Everything derived from the graph lives on one :class:`api.services.Services` per store generation.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg.store import GraphStore

from .config import Settings
from .services import Services, get_services, get_store


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[GraphStore, Depends(get_store)]

__all__ = ["ServicesDep", "SettingsDep", "StoreDep", "get_services", "get_settings_dep", "get_store"]

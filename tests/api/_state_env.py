"""Helpers for the registration, curation and crash tests: a private copy of the built graph and state.

Curation republishes the store, so these tests never touch the session's shared build (tests/conftest.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from api.config import Settings
from kg.store import write_store

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
GENEROUS_LIMITS = {name: (1000.0, 1000) for name in ("registrations", "curation", "sparql", "recommendations", "cops")}


def private_build(source_build: Path, target: Path) -> Path:
    """A build dir of our own: the base quads, the manifest and a store written from them."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source_build.iterdir():  # base quads, dumps, manifest, ontology docs: all but the stores
        if path.is_file() and not path.is_symlink():
            shutil.copy(path, target / path.name)
    write_store((target / "kringloop.nq").read_bytes(), target / "store")
    return target


def settings_for(build: Path, state: Path, **overrides: object) -> Settings:
    values: dict = {"data_dir": DATA_DIR, "build_dir": build, "store_path": build / "store", "state_dir": state,
                    "rate_limits": GENEROUS_LIMITS}
    values.update(overrides)
    return Settings(**values)


def env_for(build: Path, state: Path) -> dict[str, str]:
    """The same settings as KRINGLOOP_* variables, for a server in a subprocess."""
    import json

    return {"KRINGLOOP_DATA_DIR": str(DATA_DIR), "KRINGLOOP_BUILD_DIR": str(build),
            "KRINGLOOP_STORE_PATH": str(build / "store"), "KRINGLOOP_STATE_DIR": str(state),
            "KRINGLOOP_RATE_LIMITS": json.dumps(GENEROUS_LIMITS)}


def lean_app(settings: Settings):  # noqa: ANN201 - a FastAPI app
    """``create_app`` with only health, registrations and curation registered: starts in about a second.

    The full app also starts SPARQL workers and the recommender; the fuzz test covers that one.
    """
    import api.app
    from api.routes import curation, health, registrations

    saved = api.app.ROUTERS
    api.app.ROUTERS = [health.register, registrations.register, curation.register]
    try:
        return api.app.create_app(settings)
    finally:
        api.app.ROUTERS = saved

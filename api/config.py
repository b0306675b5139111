"""Settings: the only place (with the CLI) that reads the environment."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.namespaces import DEFAULT_BASE_IRI


class Settings(BaseSettings):
    """Every setting of the server; each is documented in the README (a test checks it)."""

    model_config = SettingsConfigDict(env_prefix="KRINGLOOP_")

    base_iri: str = DEFAULT_BASE_IRI
    data_dir: Path = Path("data")
    build_dir: Path = Path("build")
    store_path: Path = Path("build/store")
    # a triple-store server instead of the embedded store (docs/deploy.md): its SPARQL query endpoint,
    # e.g. http://127.0.0.1:7878/query; the write endpoints and credentials are used by publishing only
    store_url: str | None = None
    store_update_url: str | None = None        # default: <store_url without its last segment>/update
    store_graph_store_url: str | None = None   # Graph Store Protocol; default: .../store
    store_user: str | None = None
    store_password: str | None = None
    store_auth: Literal["basic", "digest"] = "basic"   # the HTTP scheme of the write endpoints (Virtuoso: digest)
    # sentence-transformers model: "use-multilingual" (bundled USE v3), "minilm" (bundled
    # all-MiniLM-L6-v2), or a local model directory; always loaded offline
    embedding_model: str = "use-multilingual"
    sparql_timeout_s: float = 10.0
    sparql_max_rows: int = 10_000
    sparql_max_bytes: int = 8_000_000     # about this many bytes of answer, then truncated like max_rows
    sparql_max_query_length: int = 20_000
    sparql_workers: int = 3               # one more than a slow client may hold (docs/operations.md)
    sparql_max_concurrent: int = 8
    sparql_per_client: int = 2            # queries one client may have running at once
    sparql_worker_memory_mb: int = 2048
    cors_origins: list[str] = []
    # registrations, curation and coordinator tokens (SQLite); per-client limits by endpoint name as
    # [requests per second, burst], e.g. {"sparql": [50, 100]} (docs/operations.md)
    state_dir: Path = Path("var")
    # the same state in PostgreSQL (postgresql://user:password@host:port/db), shared by app replicas
    state_url: str | None = None
    rate_limits: dict[str, tuple[float, int]] = {}

    @property
    def state_location(self) -> Path | str:
        """Where registrations, curation and tokens live: the PostgreSQL URL when set, else state_dir."""
        return self.state_url or self.state_dir


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Registrations: a government's profile and its interest in CoPs, stored privately (never in the graph).

A registration is checked before it gets here, by the one profile model and the graph's vocabulary
(``recommender.inputs``, ``recommender.vocabulary``), like every other profile. It is never turned
into triples, so that it cannot leak into ``/sparql`` or the dumps.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .db import opened, transaction

COLUMNS = "id, created_at, nis_code, profile"


class Registry:
    """Registrations in the state database; each one is written in a single transaction."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir   # a folder (SQLite) or a postgresql:// URL (state/db.py)

    def add(self, registration: dict[str, Any]) -> dict[str, Any]:
        """Store a registration (checked by the caller against the graph); returns it with ``id`` and ``created_at``."""
        groups = list(dict.fromkeys(registration.get("groups") or []))
        record = {"id": str(uuid.uuid4()), "created_at": datetime.now(UTC).isoformat(timespec="microseconds"),
                  "nis_code": registration.get("nis_code"), "profile": registration.get("profile") or {},
                  "groups": groups}
        with opened(self.state_dir) as conn, transaction(conn):
            conn.execute("INSERT INTO registrations (id, created_at, nis_code, profile, n_groups) VALUES (?, ?, ?, ?, ?)",
                         (record["id"], record["created_at"], record["nis_code"],
                          json.dumps(record["profile"], ensure_ascii=False), len(groups)))
            conn.executemany("INSERT INTO registration_groups (registration_id, group_code, position) VALUES (?, ?, ?)",
                             [(record["id"], code, index) for index, code in enumerate(groups)])
        return record

    def get(self, registration_id: str) -> dict[str, Any] | None:
        with opened(self.state_dir) as conn:
            row = conn.execute(f"SELECT {COLUMNS} FROM registrations WHERE id = ?", (registration_id,)).fetchone()
            return _record(conn, row) if row else None

    def list(self, *, limit: int = 100, offset: int = 0, group: str | None = None) -> tuple[list[dict[str, Any]], int]:
        """(a page of registrations, oldest first; the total count)."""
        where, args = ("WHERE id IN (SELECT registration_id FROM registration_groups WHERE group_code = ?)", [group]) \
            if group else ("", [])
        with opened(self.state_dir) as conn:
            total = conn.execute(f"SELECT count(*) FROM registrations {where}", args).fetchone()[0]
            rows = conn.execute(f"SELECT {COLUMNS} FROM registrations {where} "
                                "ORDER BY created_at, id LIMIT ? OFFSET ?",
                                [*args, limit, offset]).fetchall()
            return [_record(conn, row) for row in rows], total

    def all(self) -> list[dict[str, Any]]:
        with opened(self.state_dir) as conn:
            rows = conn.execute(f"SELECT {COLUMNS} FROM registrations ORDER BY created_at, id").fetchall()
            return [_record(conn, row) for row in rows]


def _record(conn: Any, row: Any) -> dict[str, Any]:
    groups = [r[0] for r in conn.execute(
        "SELECT group_code FROM registration_groups WHERE registration_id = ? ORDER BY position", (row["id"],))]
    return {"id": row["id"], "created_at": row["created_at"], "nis_code": row["nis_code"],
            "profile": json.loads(row["profile"]), "groups": groups}


PLAN_PROFILE_KEYS = ("name", "government_type", "province", "population", "maturity", "themes", "instruments")


def plan_input(registrations: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``POST /api/v1/cops/plan`` body from registrations (the latest one per government wins).

    A registration's groups become ``profile.groups`` (the groups it may be placed in) and the request's
    groups are every group someone registered for. Without a NIS code a registration is planned by
    ``id`` when it names the government; otherwise it is counted in ``skipped``.
    """
    latest: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    skipped = 0
    for reg in sorted(registrations, key=lambda r: r["created_at"]):
        profile = {k: reg["profile"][k] for k in PLAN_PROFILE_KEYS if reg["profile"].get(k) not in (None, [], "")}
        if reg["groups"]:
            profile["groups"] = reg["groups"]
        if reg["nis_code"]:
            latest[reg["nis_code"]] = ({"nis_code": reg["nis_code"]}, profile)
        elif profile.get("name"):
            latest[f"registratie-{reg['id']}"] = ({"id": f"registratie-{reg['id']}"}, profile)
        else:
            skipped += 1
    participants = [{**key, **({"profile": profile} if profile else {})} for key, profile in latest.values()]
    groups = sorted({code for _, profile in latest.values() for code in profile.get("groups", [])})
    return {"participants": participants, "groups": [{"code": code} for code in groups], "skipped": skipped}


__all__ = ["Registry", "plan_input"]

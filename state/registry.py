"""Registrations: a government's profile and its interest in CoPs, stored privately (never in the graph).

Codes are checked against ``data/concepts.yaml`` (the same schemes the graph's SKOS concepts come
from), NIS codes against the current municipalities. The graph's SHACL shapes do not apply: a
registration is never turned into triples, so that it cannot leak into ``/sparql`` or the dumps.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .db import opened, transaction
from .errors import StateError

COLUMNS = "id, created_at, nis_code, profile"
PROFILE_CODE_FIELDS = {"themes": "themes", "instruments": "instruments", "barriers": "barriers", "drivers": "drivers"}


class RegistrationError(StateError, ValueError):
    """A registration that cannot be accepted; ``field`` names the offending field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True)
class Vocabulary:
    """The codes a registration may use, read from the sources."""

    codes: dict[str, frozenset[str]]
    municipalities: dict[str, str]   # current NIS code -> name
    successors: dict[str, str]       # NIS code that ended on 2025-01-01 -> successor NIS code
    provinces: frozenset[str]

    @classmethod
    def from_sources(cls, sources: Any) -> Vocabulary:
        """From the loaded sources (``kg.sources.Sources``: concepts, municipalities, crosswalk, provinces)."""
        def codes(key: str) -> frozenset[str]:
            return frozenset(c["code"] for c in sources.concepts.get(key) or [])

        current = {r["nis_code"]: r["name_nl"] for r in sources.municipalities}
        successors = {r["nis_code_2019_2024"]: r["nis_code_2025"] for r in sources.crosswalk
                      if r["nis_code_2019_2024"] not in current}
        return cls(codes={"themes": codes("themes"), "instruments": codes("instruments"),
                          "barriers": codes("barriers"), "drivers": codes("drivers"),
                          "maturity": codes("maturity"), "government_type": codes("government_types"),
                          "groups": codes("communities_of_practice")},
                   municipalities=current, successors=successors,
                   provinces=frozenset(r["name_nl"] for r in sources.provinces))


def check_registration(registration: dict[str, Any], vocabulary: Vocabulary) -> None:
    """Raise RegistrationError naming the first field whose value is not a known code."""
    nis = registration.get("nis_code")
    if nis is not None and nis not in vocabulary.municipalities:
        if nis in vocabulary.successors:
            raise RegistrationError("nis_code", f"{nis} ended on 2025-01-01; register as {vocabulary.successors[nis]}")
        raise RegistrationError("nis_code", f"unknown NIS code {nis!r} (not a current Flemish municipality)")
    profile = registration.get("profile") or {}
    for key in ("maturity", "government_type"):
        value = profile.get(key)
        if value is not None and value not in vocabulary.codes[key]:
            raise RegistrationError(f"profile.{key}", f"unknown code {value!r}; known: {', '.join(sorted(vocabulary.codes[key]))}")
    if profile.get("province") is not None and profile["province"] not in vocabulary.provinces:
        raise RegistrationError("profile.province", f"unknown province {profile['province']!r}; known: {', '.join(sorted(vocabulary.provinces))}")
    for key, scheme in PROFILE_CODE_FIELDS.items():
        for index, code in enumerate(profile.get(key) or []):
            if code not in vocabulary.codes[scheme]:
                raise RegistrationError(f"profile.{key}.{index}", f"unknown {key[:-1]} code {code!r}")
    for index, code in enumerate(registration.get("groups") or []):
        if code not in vocabulary.codes["groups"]:
            raise RegistrationError(f"groups.{index}", f"unknown group code {code!r}; known: {', '.join(sorted(vocabulary.codes['groups']))}")


class Registry:
    """Registrations in the state database; each one is written in a single transaction."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir   # a folder (SQLite) or a postgresql:// URL (state/db.py)

    def add(self, registration: dict[str, Any], *, vocabulary: Vocabulary) -> dict[str, Any]:
        """Check and store a registration; returns it with its new ``id`` and ``created_at``."""
        check_registration(registration, vocabulary)
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


__all__ = ["RegistrationError", "Registry", "Vocabulary", "check_registration", "plan_input"]

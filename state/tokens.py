"""Coordinator tokens: created by ``kringloop token create NAME``, stored only as salted SHA-256 hashes.

A token reads ``kl_<token_id>_<secret>``: the id finds the row without scanning, the 256-bit random
secret is what proves possession. A slow password hash (scrypt, argon2) protects *guessable* secrets;
these are random and unguessable, so salted SHA-256 is enough and keeps each request cheap. Hashes are
compared with ``hmac.compare_digest`` so timing does not reveal how much of a guess matched.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .db import opened, transaction

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TOKEN = re.compile(r"^kl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    name: str
    created_at: str
    revoked_at: str | None


def _hash(salt: bytes, secret: str) -> bytes:
    return hashlib.sha256(salt + secret.encode("ascii")).digest()


def create_token(state_dir: Path, name: str) -> str:
    """A new token for ``name``; the returned text is shown once and never stored."""
    if not NAME.match(name):
        raise ValueError(f"token name {name!r}: use 1-64 letters, digits, '.', '_' or '-' (it is published as the author of curation changes)")
    token_id, secret, salt = secrets.token_hex(8), secrets.token_urlsafe(32), secrets.token_bytes(16)
    with opened(state_dir) as conn, transaction(conn):
        if conn.execute("SELECT 1 FROM tokens WHERE name = ? AND revoked_at IS NULL", (name,)).fetchone():
            raise ValueError(f"an active token named {name!r} exists; revoke it first")
        conn.execute("INSERT INTO tokens (token_id, name, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)",
                     (token_id, name, salt, _hash(salt, secret), _now()))
    return f"kl_{token_id}_{secret}"


def verify_token(state_dir: Path, token: str) -> str | None:
    """The coordinator name a token belongs to, or None when it is unknown, malformed or revoked."""
    match = TOKEN.match(token)
    if not match:
        return None
    token_id, secret = match.groups()
    with opened(state_dir) as conn:
        row = conn.execute("SELECT name, salt, hash FROM tokens WHERE token_id = ? AND revoked_at IS NULL",
                           (token_id,)).fetchone()
    if row is None or not hmac.compare_digest(_hash(row["salt"], secret), row["hash"]):
        return None
    return row["name"]


def list_tokens(state_dir: Path) -> list[TokenInfo]:
    with opened(state_dir) as conn:
        rows = conn.execute("SELECT token_id, name, created_at, revoked_at FROM tokens ORDER BY created_at").fetchall()
    return [TokenInfo(r["token_id"], r["name"], r["created_at"], r["revoked_at"]) for r in rows]


def revoke_token(state_dir: Path, name: str) -> int:
    """Revoke the active token(s) of ``name``; the number revoked (0 when there was none)."""
    with opened(state_dir) as conn, transaction(conn):
        cursor = conn.execute("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (_now(), name))
        return cursor.rowcount


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


__all__ = ["TokenInfo", "create_token", "list_tokens", "revoke_token", "verify_token"]

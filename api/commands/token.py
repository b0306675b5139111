"""``kringloop token create|list|revoke`` and ``kringloop backup|restore``: coordinator tokens and state."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from state import db as statedb
from state.tokens import create_token, list_tokens, revoke_token

from ..config import get_settings
from ..usage import UsageError


def state_location(text: str) -> Path | str:
    """A folder for SQLite, or a postgresql:// URL (kept as text: a Path would fold its '//')."""
    return text if statedb.is_postgres(text) else Path(text)


def add_parser(sub: argparse._SubParsersAction) -> None:
    state_dir = get_settings().state_location
    p = sub.add_parser("token", help="coordinator tokens (stored hashed; a new token is printed once)")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    create = actions.add_parser("create", help="create a token for NAME and print it (only this once)")
    create.add_argument("name")
    create.set_defaults(run=run_create)
    listing = actions.add_parser("list", help="list tokens (names and dates, never the tokens)")
    listing.set_defaults(run=run_list)
    revoke = actions.add_parser("revoke", help="revoke NAME's token")
    revoke.add_argument("name")
    revoke.set_defaults(run=run_revoke)
    for action in (create, listing, revoke):
        action.add_argument("--state-dir", type=state_location, default=state_dir)

    p = sub.add_parser("backup", help="write a consistent copy of registrations, curation and tokens (SQLite)")
    p.add_argument("file", type=Path)
    p.add_argument("--state-dir", type=state_location, default=state_dir)
    p.set_defaults(run=run_backup)
    p = sub.add_parser("restore", help="replace registrations, curation and tokens by a backup (stop the server first)")
    p.add_argument("file", type=Path)
    p.add_argument("--state-dir", type=state_location, default=state_dir)
    p.set_defaults(run=run_restore)


def run_create(args: argparse.Namespace) -> int:
    try:
        token = create_token(args.state_dir, args.name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(token)
    print(f"token for {args.name!r}: shown only now; only its hash is stored", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    for info in list_tokens(args.state_dir):
        status = f"revoked {info.revoked_at}" if info.revoked_at else "active"
        print(f"{info.name}\t{info.token_id}\tcreated {info.created_at}\t{status}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    if not revoke_token(args.state_dir, args.name):
        raise UsageError(f"no active token named {args.name!r}")
    print(f"revoked the token of {args.name!r}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    try:
        print(f"backup written to {statedb.backup(args.state_dir, args.file)}")
    except statedb.StateLocationError as exc:
        raise UsageError(str(exc)) from None
    return 0


def run_restore(args: argparse.Namespace) -> int:
    if statedb.is_postgres(args.state_dir):
        raise UsageError(f"restore works on the SQLite state; for {statedb.describe(args.state_dir)} use pg_restore")
    had_state = statedb.db_path(args.state_dir).exists()
    live = statedb.restore(args.state_dir, args.file)
    kept = f"; the previous state is in {live.name}.before-restore" if had_state else ""
    print(f"restored {args.file} into {live}{kept}; the server republishes curation when it starts")
    return 0

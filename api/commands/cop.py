"""``kringloop cop plan FILE``: the API's CoP planning request from a YAML or JSON file, as JSON, CSV or XLSX."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from kg.errors import StoreMissing
from kg.store import open_store

from ..config import get_settings
from ..usage import UsageError
from ._files import read_mapping


def add_parser(sub: argparse._SubParsersAction) -> None:
    settings = get_settings()
    cop = sub.add_parser("cop", help="plan Communities of Practice and coaching tracks")
    cop_sub = cop.add_subparsers(dest="cop_command", required=True, metavar="{plan}", parser_class=type(cop))
    p = cop_sub.add_parser("plan", help="compose the groups of a planning request (YAML or JSON, as the API)")
    p.add_argument("file", type=Path, help="request file: {participants, groups, constraints}")
    p.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    p.add_argument("--out", type=Path, help="write here instead of standard output (required for xlsx)")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="language of CSV/XLSX texts")
    p.add_argument("--store", type=Path, default=settings.store_path)
    p.add_argument("--data-dir", type=Path, default=settings.data_dir,
                   help="folder holding concepts.yaml, read only when there is no graph store")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds HiGHS may search")
    p.set_defaults(run=run)


def read_request(path: Path) -> dict[str, Any]:
    """The request body from a YAML or JSON file."""
    return read_mapping(path, expected="participants, groups and constraints")


def _names_graph_governments(body: dict[str, Any]) -> bool:
    return any(not isinstance(p, dict) or "nis_code" in p or "iri" in p for p in body.get("participants") or [])


def run(args: argparse.Namespace) -> int:
    from recommender.cop import Infeasible
    from recommender.cop.context import CopContext
    from recommender.cop.export import csv_bytes, to_csv, to_xlsx

    if args.format == "xlsx" and args.out is None:
        raise UsageError("--format xlsx needs --out PATH")
    body = read_request(args.file)
    try:
        context = CopContext.from_store(open_store(store_url=get_settings().store_url, store_path=args.store))
    except StoreMissing as exc:
        if _names_graph_governments(body):
            raise UsageError(str(exc)) from None
        # every participant describes itself: plan without the graph (and without partners)
        concepts_path = args.data_dir / "concepts.yaml"
        if not concepts_path.is_file():
            raise UsageError(f"no graph store at {args.store} and no concepts.yaml in {args.data_dir}") from None
        context = CopContext(profiles=None, concepts=yaml.safe_load(concepts_path.read_text(encoding="utf-8")),
                             partner_rows=[])
    try:
        result = context.plan(body, time_limit=args.time_limit)
    except Infeasible as exc:
        print(f"kringloop cop plan: infeasible: {' | '.join(c.text_en for c in exc.conflicts)}", file=sys.stderr)
        return 2
    labels = context.labels
    if args.format == "xlsx":
        args.out.write_bytes(to_xlsx(result, lang=args.lang, labels=labels))
        return 0
    if args.format == "csv" and args.out is not None:
        args.out.write_bytes(csv_bytes(result, lang=args.lang, labels=labels))   # for Excel: BOM and ';'
        return 0
    text = to_csv(result, lang=args.lang, labels=labels) if args.format == "csv" else \
        json.dumps(result, ensure_ascii=False, indent=2)
    if args.out is not None:
        args.out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0

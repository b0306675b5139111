"""``kringloop recommend FILE``: the API's recommendation request, from a YAML or JSON file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kg.errors import KgError
from kg.store import open_store

from ..config import get_settings
from ..usage import UsageError
from ._files import read_mapping


def add_parser(sub: argparse._SubParsersAction) -> None:
    settings = get_settings()
    p = sub.add_parser("recommend", help="recommend peers and practices for a profile (YAML or JSON, as the API)")
    p.add_argument("file", type=Path, help="request file: {nis_code, profile: {...}, limit}")
    p.add_argument("--store", type=Path, default=settings.store_path)
    p.add_argument("--model", default=settings.embedding_model,
                   help="embedding model: use-multilingual, minilm, hashing or a local path")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.set_defaults(run=run)


def read_request(path: Path) -> dict:
    """The request body from a YAML or JSON file, with its fields checked."""
    body = read_mapping(path, expected="nis_code, profile and/or limit")
    unknown = set(body) - {"nis_code", "profile", "limit"}
    if unknown:
        raise UsageError(f"{path}: unknown field(s) {sorted(unknown)}")
    if body.get("profile") is not None and not isinstance(body["profile"], dict):
        raise UsageError("profile: expected a mapping")
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 100:
        raise UsageError("limit: expected an integer from 1 to 100")
    return body


def run(args: argparse.Namespace) -> int:
    from recommender import LazyEncoder, Recommender, load_knowledge

    body = read_request(args.file)
    try:   # the store server when KRINGLOOP_STORE_URL is set, else the embedded store at --store
        store = open_store(store_url=get_settings().store_url, store_path=args.store)
    except KgError as exc:
        raise UsageError(str(exc)) from None
    rec = Recommender(encoder=LazyEncoder(args.model)).fit(load_knowledge(store))
    nis = body.get("nis_code")
    result = rec.recommend(nis_code=str(nis) if nis is not None else None, profile=body.get("profile"),
                           limit=body.get("limit", 10))
    if args.format == "text":
        for title, items in (("Peers", result.peers), ("Practices", result.practices)):
            print(title)
            for r in items:
                print(f"  {r.score:.3f}  {r.name or r.title}")
                for reason in r.reasons:
                    print(f"         - {reason.text_nl}")
        return 0
    out = {"peers": [{"iri": p.iri, "nis_code": p.nis_code, "name": p.name, "type": p.type, "score": p.score,
                      "reasons": [r.as_dict() for r in p.reasons]} for p in result.peers],
           "practices": [{"iri": p.iri, "id": p.id, "title": p.title, "score": p.score,
                          "reasons": [r.as_dict() for r in p.reasons]} for p in result.practices]}
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0

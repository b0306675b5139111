"""``kringloop recommend FILE``: the API's recommendation request, from a YAML or JSON file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kg.store import open_store
from recommender.inputs import RecommendationRequest, parse

from ..config import get_settings
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


def read_request(path: Path) -> RecommendationRequest:
    """The request body from a YAML or JSON file, checked by the API's own model."""
    return parse(RecommendationRequest, read_mapping(path, expected="nis_code, profile and/or limit"), field="")


def run(args: argparse.Namespace) -> int:
    from recommender import LazyEncoder, Recommender, load_knowledge

    body = read_request(args.file)
    # the store server when KRINGLOOP_STORE_URL is set, else the embedded store at --store; a missing store is
    # a KgError: one line, exit 2 (api/cli.py)
    store = open_store(store_url=get_settings().store_url, store_path=args.store)
    rec = Recommender(encoder=LazyEncoder(args.model)).fit(load_knowledge(store))
    result = rec.recommend(nis_code=body.nis_code, profile=body.profile, limit=body.limit)
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

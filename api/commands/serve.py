"""``kringloop serve``: build the graph if needed, then serve the app with uvicorn."""

from __future__ import annotations

import argparse

from kg import build as kg_build

from ..config import get_settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the web app, API and SPARQL endpoint (builds first if needed)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    if kg_build.needs_build(settings.data_dir, settings.build_dir, base_iri=settings.base_iri):
        report = kg_build.build(settings.data_dir, settings.build_dir, base_iri=settings.base_iri,
                                state_dir=settings.state_dir)
        print(f"built {report.triples} triples in {report.seconds} s")
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port)
    return 0

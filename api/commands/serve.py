"""``kringloop serve``: build the graph if needed, then serve the app with uvicorn."""

from __future__ import annotations

import argparse

from kg import build as kg_build

from ..config import get_settings
from ..usage import UsageError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the web app, API and SPARQL endpoint (builds first if needed)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    # Forwarded headers decide the client address that rate limits count: trusted only when asked for
    p.add_argument("--proxy-headers", action="store_true",
                   help="take the client address from X-Forwarded-For / X-Forwarded-Proto (behind a reverse proxy)")
    p.add_argument("--forwarded-allow-ips", default=None, metavar="IPS",
                   help="comma-separated proxy addresses whose forwarded headers are trusted (needs --proxy-headers; "
                        "default 127.0.0.1)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.forwarded_allow_ips and not args.proxy_headers:   # bad input first: no build before the answer
        raise UsageError("--forwarded-allow-ips needs --proxy-headers")
    import uvicorn

    settings = get_settings()
    # with a store server the replica reads everything from it: no data/ and no local store needed
    if not settings.store_url and kg_build.needs_build(settings.data_dir, settings.build_dir, base_iri=settings.base_iri):
        report = kg_build.build(settings.data_dir, settings.build_dir, base_iri=settings.base_iri,
                                state_dir=settings.state_location)
        print(f"built {report.triples} triples in {report.seconds} s")
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port, **uvicorn_proxy_options(args))
    return 0


def uvicorn_proxy_options(args: argparse.Namespace) -> dict[str, object]:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 by default; Kringloop trusts no forwarded header
    unless the operator says a proxy is in front (then only from the addresses given)."""
    if not args.proxy_headers:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": args.forwarded_allow_ips or "127.0.0.1"}

"""Security headers on every response (outside probe, finding 10).

Every response: ``X-Content-Type-Options: nosniff``. HTML pages also get a Content-Security-Policy
that the pages satisfy (scripts and styles from this origin only, no inline script; the pages' data
blocks are ``type="application/json"``, which a CSP does not execute), ``X-Frame-Options: DENY`` and
``frame-ancestors 'none'`` against framing, and a referrer policy.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Inline *styles* stay allowed: Leaflet and the score bars set element styles, which carry no script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
ALWAYS = [(b"x-content-type-options", b"nosniff")]
HTML_ONLY = [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY"),
             (b"referrer-policy", b"same-origin")]


class SecurityHeaders:
    """ASGI middleware adding the headers above without touching the body (streaming stays streaming)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                extra = ALWAYS + (HTML_ONLY if content_type.startswith(b"text/html") else [])
                headers += [(n, v) for n, v in extra if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)

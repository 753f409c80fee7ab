"""Bounded in-flight requests per worker: beyond the bound, a fast 503 instead of a queue.

Owns the count of requests being served by this process and the refusal past
`GATEWAY_MAX_IN_FLIGHT`: a localized GraphQL-shaped body (`extensions.code` SERVICE_OVERLOADED)
with status 503 and `Retry-After`, answered at once, so a client never waits in a queue until
its own timeout. The probes (/healthz, /readyz) are never counted nor refused: a busy worker is
alive and ready. Pure ASGI; never reads the body of a refused request.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from schema.i18n import normalize_language, translate

DEFAULT_MAX_IN_FLIGHT = 64
RETRY_AFTER_SECONDS = 1
CODE = "SERVICE_OVERLOADED"
_PROBES = frozenset({"/healthz", "/readyz"})


class InFlightLimit:
    """At most `limit` requests served at once by this worker; the next ones get 503 at once."""

    def __init__(self, app: ASGIApp, limit: int = DEFAULT_MAX_IN_FLIGHT) -> None:
        self.app = app
        self.limit = limit
        self.in_flight = 0
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in _PROBES:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            self.refused += 1
            await _overloaded(scope, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


async def _overloaded(scope: Scope, send: Send) -> None:
    headers = dict(scope["headers"])
    language = normalize_language(headers.get(b"accept-language", b"").decode("latin-1"))
    body = json.dumps(
        {"errors": [{"message": translate(CODE, language), "extensions": {"code": CODE}}]},
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

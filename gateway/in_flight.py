"""Bounded in-flight requests per worker: beyond the bound, a fast 503 instead of a queue.

Owns the count of requests being served by this process and the refusal past
`GATEWAY_MAX_IN_FLIGHT`: a localized GraphQL-shaped body (`extensions.code` SERVICE_OVERLOADED)
with status 503 and `Retry-After`, answered at once, so a client never waits in a queue until
its own timeout. The probes (/healthz, /readyz, /metrics) are never counted nor refused: a busy worker is
alive and ready. Pure ASGI; never reads the body of a refused request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from schema.i18n import normalize_language, translate

DEFAULT_MAX_IN_FLIGHT = 64
RETRY_AFTER_SECONDS = 1
CODE = "SERVICE_OVERLOADED"
_PROBES = frozenset({"/healthz", "/readyz", "/metrics"})


@dataclass(slots=True)
class InFlightCount:
    """Requests being served now, and those refused so far (shared with /metrics)."""

    in_flight: int = 0
    refused: int = 0


class InFlightLimit:
    """At most `limit` requests served at once by this worker; the next ones get 503 at once."""

    def __init__(
        self, app: ASGIApp, limit: int = DEFAULT_MAX_IN_FLIGHT, count: InFlightCount | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.count = count if count is not None else InFlightCount()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in _PROBES:
            await self.app(scope, receive, send)
            return
        count = self.count
        if count.in_flight >= self.limit:
            count.refused += 1
            await _overloaded(scope, send)
            return
        count.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            count.in_flight -= 1


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

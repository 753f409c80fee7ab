"""The emulator's admin API: fault settings and round-trip counters, over HTTP on the SOAP port.

Owns GET/POST /admin/faults, GET /admin/stats, GET /admin/stats/sip2-levels (the levels of
dependent SIP2 calls since the last reset) and POST /admin/stats/reset.
Answers loopback clients only (403 for anyone else), whatever address the
HTTP server is bound to. Never exposes ILS data.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from emulator.faults import FaultInjector
from emulator.stats import Stats

_LOOPBACK = frozenset({"127.0.0.1", "::1", "::ffff:127.0.0.1"})

Handler = Callable[[Request], Awaitable[Response]]


def _local_only(handler: Handler) -> Handler:
    async def guarded(request: Request) -> Response:
        if request.client is None or request.client.host not in _LOOPBACK:
            return JSONResponse({"error": "the admin API answers on 127.0.0.1 only"}, status_code=403)
        return await handler(request)

    return guarded


def admin_routes(faults: FaultInjector, stats: Stats) -> list[BaseRoute]:
    """The admin routes, sharing the running emulator's fault injector and counters."""

    async def get_faults(request: Request) -> Response:
        return JSONResponse(faults.settings.as_dict())

    async def post_faults(request: Request) -> Response:
        try:
            changes = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"error": "the body must be JSON"}, status_code=400)
        if not isinstance(changes, dict):
            return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)
        try:
            settings = faults.update(changes)
        except ValueError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        return JSONResponse(settings.as_dict())

    async def get_stats(request: Request) -> Response:
        return JSONResponse(stats.snapshot())

    async def get_sip2_levels(request: Request) -> Response:
        return JSONResponse({"levels": stats.sip2_levels()})

    async def reset_stats(request: Request) -> Response:
        stats.reset()
        return JSONResponse(stats.snapshot())

    return [
        Route("/admin/faults", _local_only(get_faults), methods=["GET"]),
        Route("/admin/faults", _local_only(post_faults), methods=["POST"]),
        Route("/admin/stats", _local_only(get_stats), methods=["GET"]),
        Route("/admin/stats/sip2-levels", _local_only(get_sip2_levels), methods=["GET"]),
        Route("/admin/stats/reset", _local_only(reset_stats), methods=["POST"]),
    ]

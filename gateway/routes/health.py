"""`/healthz` (the process answers) and `/readyz` (each dependency: SIP2, SOAP, store, Redis throttle).

Each ILS protocol's check also names its circuit breaker's state (`"breaker": "open"`); an
open circuit fails its check at once ("circuit open"), a half-open one lets the check probe.

Owns the two probes. `/readyz` answers within its time budget even when a dependency hangs,
and names which one is down; it never shows connection strings or credentials.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from adapters.ils.models import DependencyHealth

READINESS_BUDGET = 3.0


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _within_budget(
    names: tuple[str, ...], check: Callable[[], Awaitable[list[DependencyHealth]]]
) -> list[DependencyHealth]:
    try:
        return await asyncio.wait_for(check(), READINESS_BUDGET)
    except TimeoutError:
        return [DependencyHealth(name=name, ok=False, detail="timeout") for name in names]


def _check(health: DependencyHealth) -> dict[str, object]:
    check: dict[str, object] = {"ok": health.ok, "detail": health.detail}
    if health.breaker is not None:
        check["breaker"] = health.breaker  # closed, open (failing fast), half_open (probing)
    return check


async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime

    async def store() -> list[DependencyHealth]:
        return [await runtime.database.health()]

    async def throttle() -> list[DependencyHealth]:
        # Only a shared (Redis) throttle can be down; without it sign-in is refused, so not ready.
        return [await runtime.throttle.health()] if runtime.throttle.shared else []

    ils, database, throttling = await asyncio.gather(
        _within_budget(("sip2", "soap"), runtime.ils.health),
        _within_budget(("store",), store),
        _within_budget(("throttle",), throttle),
    )
    checks = {health.name: _check(health) for health in (*ils, *database, *throttling)}
    ready = all(check["ok"] for check in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
    )


def health_routes() -> list[Route]:
    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
    ]

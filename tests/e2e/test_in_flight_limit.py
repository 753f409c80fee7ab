"""Bounded in-flight requests: with the ILS slowed, N + k concurrent requests get exactly k fast 503s.

The refused ones answer at once (a fraction of the ILS latency) with a localized GraphQL-shaped
body and Retry-After; the N admitted ones are served; the probes are never refused.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from emulator.runner import RunningEmulator
from tests.e2e.conftest import GatewayFactory

LIMIT, EXTRA = 4, 3
LATENCY_MS = 800.0
SEARCH = '{ search(query: "Victor Hugo") { totalCount } }'


async def _faults(emulator: RunningEmulator, **changes: float) -> None:
    async with httpx.AsyncClient() as admin:
        (await admin.post(f"{emulator.admin_url}/faults", json=changes)).raise_for_status()


async def _timed(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    if path == "/graphql":
        response = await client.post(path, json={"query": SEARCH}, headers={"Accept-Language": "en"})
    else:
        response = await client.get(path)
    return response, time.monotonic() - started


async def test_beyond_the_bound_exactly_k_fast_503s(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    async with gateway_factory(max_in_flight=LIMIT) as client:
        await _faults(ils, soap_latency_ms=LATENCY_MS)
        answers = await asyncio.gather(
            *(_timed(client, "/graphql") for _ in range(LIMIT + EXTRA)), _timed(client, "/healthz")
        )
        *searches, (health, _) = answers
        await _faults(ils, soap_latency_ms=0.0)
    assert health.status_code == 200
    refused = [(r, t) for r, t in searches if r.status_code == 503]
    served = [(r, t) for r, t in searches if r.status_code == 200]
    assert len(refused) == EXTRA and len(served) == LIMIT, [r.status_code for r, _ in searches]
    for response, seconds in refused:
        assert response.headers["retry-after"] == "1"
        body = response.json()
        assert body == {
            "errors": [
                {
                    "message": "The service is busy: please try again in a moment.",
                    "extensions": {"code": "SERVICE_OVERLOADED"},
                }
            ]
        }
        assert seconds < LATENCY_MS / 1000 / 4, seconds  # answered at once, not queued
    for response, seconds in served:
        assert "errors" not in response.json()
        assert seconds >= LATENCY_MS / 1000

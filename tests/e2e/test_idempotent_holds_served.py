"""Concurrent placeHold retries with one idempotencyKey, through the gateway served by uvicorn.

Two requests with the same key arrive together while the ILS is slow (the emulator's SIP2
latency, so the first is still writing when the second claims the key): the ILS receives one
hold request (SIP2 15, counted by the emulator), both answers are the same hold, on a store
on SQLite and on PostgreSQL. A key reused for another record stays refused.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from emulator.runner import RunningEmulator
from gateway.app import create_app
from gateway.serve import listening_socket
from gateway.settings import Settings
from tests.e2e.conftest import bearer, graphql, sip2_count
from tests.e2e.test_portal_holds import PLACE

CAMILLE = "2900000001"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A store URL on each dialect (PostgreSQL: a database of its own, dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}"
        return
    server: str = request.getfixturevalue("postgres_url")
    name = f"test_idem_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def served(ils: RunningEmulator, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        ils_sip2_address=f"{ils.sip2_host}:{ils.sip2_port}",
        ils_soap_wsdl=ils.wsdl_url,
        database_url=database_url,
    )
    server = uvicorn.Server(uvicorn.Config(create_app(settings), access_log=False, log_level="warning"))
    sock = listening_socket("127.0.0.1", 0)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}") as client:
            yield client
    finally:
        server.should_exit = True
        await task
        sock.close()


async def _faults(emulator: RunningEmulator, **values: float) -> None:
    async with httpx.AsyncClient() as client:
        assert (await client.post(f"{emulator.admin_url}/faults", json=values)).status_code == 200


async def test_two_concurrent_retries_with_one_key_make_one_hold(
    served: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(served, CAMILLE)
    variables = {"record": "T-BOVARY", "library": "DURAS", "key": "retry-1"}
    before = await sip2_count(ils, "15")
    await _faults(ils, sip2_latency_ms=300)

    first, second = await asyncio.gather(
        graphql(served, PLACE, variables, headers), graphql(served, PLACE, variables, headers)
    )

    await _faults(ils, sip2_latency_ms=0)
    assert await sip2_count(ils, "15") == before + 1
    assert first == second
    payload = first["data"]["placeHold"]
    assert payload["errors"] == [] and payload["hold"]["record"]["id"] == "T-BOVARY"

    other = await graphql(served, PLACE, {**variables, "record": "T-NOTREDAME"}, headers)
    assert [e["code"] for e in other["data"]["placeHold"]["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await sip2_count(ils, "15") == before + 1

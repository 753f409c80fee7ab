"""End-to-end fixtures: the reference ILS emulator on real sockets, and the gateway app over HTTP.

The gateway is built by `create_app` (as in production) and driven through httpx's ASGI
transport; it talks SIP2 and SOAP to the emulator over 127.0.0.1. The emulator's clock is
frozen at DEMO_TODAY; the gateway's clock is a `Clock` the tests move.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from adapters.store.port import PortalStore
from emulator.runner import RunningEmulator
from gateway.app import create_app
from gateway.serve import listening_socket
from gateway.settings import Settings
from tests.contract_files import operation


@dataclass
class Clock:
    """The gateway's clock in tests: starts the morning of DEMO_TODAY, moves only when told."""

    now: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def ils(emulator: RunningEmulator) -> RunningEmulator:
    """The emulator the gateway under test talks to (tests/conftest.py: a fresh copy of the demo data)."""
    return emulator


@pytest.fixture
def clock() -> Clock:
    return Clock()


GatewayFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def gateway_factory(ils: RunningEmulator, clock: Clock, tmp_path: Path) -> GatewayFactory:
    """Builds a gateway on the emulator with settings overridden as given; yields an HTTP client."""

    @asynccontextmanager
    async def open_gateway(
        store: PortalStore | None = None, **overrides: Any
    ) -> AsyncIterator[httpx.AsyncClient]:
        values: dict[str, Any] = {
            "ils_sip2_address": f"{ils.sip2_host}:{ils.sip2_port}",
            "ils_soap_wsdl": ils.wsdl_url,
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}",
            "secret_key": "test-secret-key",
            "staff_tokens": "staff-token-1",
            "mail_outbox": tmp_path / "mail-outbox",
            **overrides,
        }
        app = create_app(Settings(**values), store=store, clock=clock)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as client,
        ):
            yield client

    return open_gateway


@pytest.fixture
async def gateway(gateway_factory: GatewayFactory) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway with default (development) settings."""
    async with gateway_factory() as client:
        yield client


async def graphql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST one GraphQL document as JSON; the decoded response body."""
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


LOGIN = """
mutation Login($identifier: String!, $password: String!) {
  login(identifier: $identifier, password: $password) {
    token expiresAt errors { code message field } patron { id displayName }
  }
}
"""


async def login(client: httpx.AsyncClient, identifier: str, password: str, **headers: str) -> dict[str, Any]:
    """The `login` payload for these credentials."""
    body = await graphql(client, LOGIN, {"identifier": identifier, "password": password}, headers or None)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["login"]
    return payload


async def timed_sign_in(
    client: httpx.AsyncClient, card: str, password: str
) -> tuple[dict[str, object], float]:
    """The login mutation's answer and how long it took (seconds)."""
    started = time.monotonic()
    body = await graphql(client, LOGIN, {"identifier": card, "password": password})
    return body, time.monotonic() - started


def first_error_code(body: dict[str, object]) -> object:
    """`extensions.code` of the answer's first GraphQL error (which it must have)."""
    errors = body.get("errors")
    assert isinstance(errors, list) and errors, body
    return errors[0]["extensions"]["code"]


async def sip2_count(emulator: RunningEmulator, code: str) -> int:
    """How many SIP2 requests with this command code the emulator has received (its admin API)."""
    return await _count(emulator, "sip2", code)


async def soap_count(emulator: RunningEmulator, operation: str) -> int:
    """How many SOAP calls of this operation the emulator has received (its admin API)."""
    return await _count(emulator, "soap", operation)


async def _count(emulator: RunningEmulator, protocol: str, key: str) -> int:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{emulator.admin_url}/stats")
    counts: dict[str, int] = response.json()[protocol]
    return counts.get(key, 0)


# ---- portal fixtures (the demo patrons signed in like a frontend would)

#: Password (birth date ddmmyyyy) of each demo card.
DEMO_PASSWORDS = {
    "2900000001": "14071985",
    "2900000002": "03022014",
    "2900000003": "21092011",
    "2900000004": "30111990",
    "2900000005": "05051992",
    "2900000006": "12031978",
}


@pytest.fixture
async def demo_gateway(gateway_factory: GatewayFactory, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway with the demo's portal data: Camille (2900000001) sees Léo's account (2900000002)."""
    from gateway.serve import seed_demo_portal

    await seed_demo_portal(f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}")
    async with gateway_factory() as client:
        yield client


def dashboard_document() -> str:
    """The portal's account-page operation, exactly as frontends send it."""
    return operation("dashboard")


async def bearer(client: httpx.AsyncClient, card: str) -> dict[str, str]:
    """Sign in as a demo patron through the `login` mutation; the Authorization header of the session."""
    payload = await login(client, card, DEMO_PASSWORDS[card])
    assert payload["errors"] == [], payload
    client.cookies.clear()  # each request then says who it is, so one client can act as several patrons
    return {"Authorization": f"Bearer {payload['token']}"}


@pytest.fixture
async def served_gateway(ils: RunningEmulator, tmp_path: Path) -> AsyncIterator[str]:
    """The gateway under a real uvicorn on 127.0.0.1, port chosen by the system (cookies not Secure)."""
    settings = Settings(
        ils_sip2_address=f"{ils.sip2_host}:{ils.sip2_port}",
        ils_soap_wsdl=ils.wsdl_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}",
    )
    server = uvicorn.Server(uvicorn.Config(create_app(settings), access_log=False, log_level="warning"))
    sock = listening_socket("127.0.0.1", 0)
    # The socket listens already: connections wait in its backlog until uvicorn has started.
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()

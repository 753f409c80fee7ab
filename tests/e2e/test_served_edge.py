"""The served CLI at its edge: the client address uvicorn gives us, and clients that hang up.

A real uvicorn (through `serve --demo`), real sockets: X-Forwarded-For from loopback is not
believed unless GATEWAY_TRUSTED_PROXIES says so, and a client closing its socket in the middle
of a body is a debug line, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import Message, Scope

from emulator.runner import RunningEmulator
from gateway.app import create_app
from gateway.settings import Settings
from tests.e2e.conftest import LOGIN
from tests.e2e.served_cli import Served, serve_demo


async def _attempts(served: Served, count: int) -> list[str]:
    """`count` failed sign-ins on distinct cards, each claiming its own forwarded address."""
    codes = []
    async with httpx.AsyncClient() as client:
        for n in range(count):
            variables = {"identifier": f"{2900100000 + n}", "password": "01010101"}
            response = await client.post(
                served.graphql,
                json={"query": LOGIN, "variables": variables},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            body: dict[str, Any] = response.json()
            codes.append(body["data"]["login"]["errors"][0]["code"])
    return codes


async def test_x_forwarded_for_from_loopback_is_not_believed_by_default(tmp_path: Path) -> None:
    async with serve_demo(tmp_path, GATEWAY_LOGIN_ADDRESS_LIMIT="3/15 minutes") as served:
        codes = await _attempts(served, 4)

    assert codes == ["INVALID_CREDENTIALS"] * 3 + ["TOO_MANY_REQUESTS"]


async def test_x_forwarded_for_from_a_configured_proxy_names_the_client(tmp_path: Path) -> None:
    settings = {"GATEWAY_LOGIN_ADDRESS_LIMIT": "3/15 minutes", "GATEWAY_TRUSTED_PROXIES": "127.0.0.1/32"}
    async with serve_demo(tmp_path, **settings) as served:
        codes = await _attempts(served, 4)

    assert codes == ["INVALID_CREDENTIALS"] * 4


async def _hang_up_mid_body(port: int) -> None:
    _reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 5000\r\n\r\n{"query": "{ libraries { code'
    )
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def test_a_client_hanging_up_mid_body_leaves_no_traceback(tmp_path: Path) -> None:
    async with serve_demo(tmp_path) as served:
        for _ in range(3):
            await _hang_up_mid_body(served.port)
        # The server is still there, and the next request is answered.
        async with httpx.AsyncClient() as client:
            health = await client.get(served.graphql.replace("/graphql", "/healthz"))
        log = await served.stop()

    assert health.status_code == 200
    assert "Traceback" not in log
    assert "ClientDisconnect" not in log
    assert "Exception in ASGI application" not in log
    # Each is one access line with nginx's "client closed" status, never a 5xx.
    assert log.count("path=/graphql status=499") == 3
    assert "status=500" not in log


async def test_a_client_hanging_up_is_a_debug_line(
    ils: RunningEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        ils_sip2_address=f"{ils.sip2_host}:{ils.sip2_port}",
        ils_soap_wsdl=ils.wsdl_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}",
    )
    app = create_app(settings)
    parts: list[Message] = [
        {"type": "http.request", "body": b'{"query": "{ libr', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return parts.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"500")],
        "query_string": b"",
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "scheme": "http",
        "http_version": "1.1",
        "root_path": "",
    }
    async with app.router.lifespan_context(app):
        with caplog.at_level(logging.DEBUG, logger="gateway"):
            await app(scope, receive, send)

    assert sent == []  # nobody to answer
    (line,) = [r for r in caplog.records if r.name == "gateway.graphql"]
    assert line.levelno == logging.DEBUG
    assert line.getMessage() == "client disconnected before its request was read"
    assert line.exc_info is None

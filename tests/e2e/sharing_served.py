"""The served gateway of the sharing tests: uvicorn on 127.0.0.1 port 0, the emulator, a moving clock,
the demo's portal data, and a mailer that keeps what it is asked to send.

`ServedSharing.client` talks HTTP over a real socket (cookies kept per client, like a
browser); `graphql` posts one document with a bearer token.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from emulator.runner import RunningEmulator
from gateway.app import create_app
from gateway.serve import listening_socket, seed_demo_portal
from gateway.settings import Settings
from tests.e2e.conftest import DEMO_PASSWORDS, Clock


@dataclass(frozen=True, slots=True)
class QueuedMail:
    to: str
    template: str
    language: str
    context: Mapping[str, Any]
    key: str | None
    reference: str | None


@dataclass
class KeepingMailer:
    """The mailer's queue as the sharing feature sees it (schema/sharing/mail.py's ShareMailer)."""

    queued: list[QueuedMail] = field(default_factory=list)

    async def enqueue(
        self,
        to: str,
        template: str,
        language: str,
        context: Mapping[str, Any],
        *,
        key: str | None = None,
        reference: str | None = None,
    ) -> str:
        if "@" not in to:
            raise ValueError("no address")
        if key is None or all(mail.key != key for mail in self.queued):
            self.queued.append(QueuedMail(to, template, language, dict(context), key, reference))
        return key or str(len(self.queued))


@dataclass
class ServedSharing:
    url: str
    mailer: KeepingMailer
    clock: Clock

    def client(self, **headers: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, headers=headers)

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        async with self.client() as client:
            response = await client.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def bearer(self, card: str) -> dict[str, str]:
        login = """
        mutation L($i: String!, $p: String!) { login(identifier: $i, password: $p) { token errors { code } } }
        """
        body = await self.graphql(login, {"i": card, "p": DEMO_PASSWORDS[card]})
        payload = body["data"]["login"]
        assert payload["errors"] == [], payload
        return {"Authorization": f"Bearer {payload['token']}"}


@asynccontextmanager
async def served_sharing(
    ils: RunningEmulator, tmp_path: Path, clock: Clock, **overrides: Any
) -> AsyncIterator[ServedSharing]:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}"
    await seed_demo_portal(database_url)
    sock = listening_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings(
        ils_sip2_address=f"{ils.sip2_host}:{ils.sip2_port}",
        ils_soap_wsdl=ils.wsdl_url,
        database_url=database_url,
        secret_key="test-secret-key",
        staff_tokens="staff-token-1",
        public_url=url,
        **overrides,
    )
    mailer = KeepingMailer()
    app = create_app(settings, clock=clock, share_mailer=mailer)
    server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield ServedSharing(url, mailer, clock)
    finally:
        server.should_exit = True
        await task
        sock.close()

"""A real SMTP server for the tests: aiosmtpd's protocol on 127.0.0.1, port 0, in the test's event loop.

Plain, STARTTLS (offered or required) or implicit TLS, optionally with a login; it keeps
every message it accepted (parsed) and can refuse chosen recipients, or go down and come
back on the same port. TLS certificates come from a throwaway CA (trustme).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import trustme
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True, slots=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    tls: bool
    login: str | None


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = BytesParser(policy=policy.default).parsebytes(content)
        assert isinstance(message, EmailMessage)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        tls = server.transport is not None and server.transport.get_extra_info("sslcontext") is not None
        received = Received(envelope.mail_from or "", tuple(envelope.rcpt_tos), message, tls, login)
        self.received.append(received)
        return "250 OK"


@dataclass
class Certificates:
    """A throwaway CA, the server's certificate for 127.0.0.1, and a client context trusting the CA."""

    server: ssl.SSLContext
    client: ssl.SSLContext

    @classmethod
    def make(cls) -> Certificates:
        ca = trustme.CA()
        server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(server)
        client = ssl.create_default_context()
        ca.configure_trust(client)
        return cls(server, client)


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: _Handler
    _options: dict[str, Any]
    _implicit_tls: ssl.SSLContext | None
    _server: asyncio.Server | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def refuse(self, address: str) -> None:
        self.handler.refused.add(address)

    async def start(self) -> None:
        def protocol() -> SMTP:
            return SMTP(self.handler, **self._options)

        self._server = await asyncio.get_running_loop().create_server(
            protocol, self.host, self.port, ssl=self._implicit_tls
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Go down: nothing listens on the port any more (connections are refused)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None


@asynccontextmanager
async def smtp_server(
    *,
    implicit_tls: ssl.SSLContext | None = None,
    starttls: ssl.SSLContext | None = None,
    require_starttls: bool = False,
    credentials: tuple[str, str] | None = None,
) -> AsyncIterator[SmtpServer]:
    """An SMTP server listening on 127.0.0.1 (its port in `.port`) until the block ends."""
    options: dict[str, Any] = {"hostname": "smtp.test", "tls_context": starttls}
    options["require_starttls"] = require_starttls
    if credentials is not None:

        def authenticator(
            server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
        ) -> AuthResult:
            given = (data.login.decode(), data.password.decode()) if isinstance(data, LoginPassword) else None
            # handled=False: aiosmtpd answers the refusal itself (535).
            return AuthResult(success=given == credentials, handled=False, auth_data=data)

        options.update(authenticator=authenticator, auth_require_tls=False)
    server = SmtpServer("127.0.0.1", 0, _Handler(), options, implicit_tls)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()

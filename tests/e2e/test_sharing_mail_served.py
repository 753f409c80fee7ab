"""The served gateway mails share requests with its real mailer (no fake): over SMTP to aiosmtpd on
port 0, or as .eml files in the outbox folder; Inès follows the link from the mail as a person
would (GET, then the page's form), and Camille then sees her loans. The mailer's reports are the
request's history: an SMTP server down at first gets the mail once it is back, exactly once, and
the history shows the failed attempt, then the retried and mailed events.

The retry is driven by the test, not by time: the gateway's clock is the test's, and once the
server is back the test moves the clock to the mail's next attempt and calls `deliver_due`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from adapters.mail.port import MailState, MailStatus
from emulator.runner import RunningEmulator
from gateway.app import create_app
from gateway.logs import logging_config
from gateway.runtime import Runtime
from gateway.serve import listening_socket, seed_demo_portal
from gateway.settings import Settings
from tests.e2e.conftest import DEMO_PASSWORDS, Clock
from tests.e2e.test_sharing_link import form_of
from tests.smtp_server import SmtpServer, smtp_server

CAMILLE, INES = "2900000001", "2900000003"
INES_ADDRESS = "ines.martin@example.org"
REQUEST = """
mutation R($card: String!) {
  requestAccountShare(cardNumber: $card) { request { id delivery } errors { code } }
}
"""
LOANS = "query P($id: ID!) { patron(id: $id) { loans { id } } }"
HISTORY = "query { me { receivedShareRequests { status history { kind actor } } } }"
LOGIN = "mutation L($i: String!, $p: String!) { login(identifier: $i, password: $p) { token } }"
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/shares/accept\?token=[A-Za-z0-9._~%-]+)")
# A mail that takes longer than this to reach the test has not been sent.
WAIT = 10.0


@dataclass
class Served:
    url: str
    app: Any
    clock: Clock
    reports: asyncio.Queue[MailStatus] = field(default_factory=asyncio.Queue)

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def graphql(self, query: str, variables: dict[str, Any] | None, card: str) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.url) as client:
            login = await client.post(
                "/graphql",
                json={
                    "query": LOGIN,
                    "variables": {"i": card, "p": DEMO_PASSWORDS[card]},
                },
            )
            token = login.json()["data"]["login"]["token"]
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def report(self, state: MailState) -> MailStatus:
        """The mailer's next report, which must be `state` (the test's listener runs after the gateway's)."""
        async with asyncio.timeout(WAIT):
            status = await self.reports.get()
        assert status.state is state, status
        return status


@asynccontextmanager
async def served(ils: RunningEmulator, tmp_path: Path, clock: Clock, **mail: Any) -> AsyncIterator[Served]:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}"
    await seed_demo_portal(database_url)
    sock = listening_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings(
        ils_sip2_address=f"{ils.sip2_host}:{ils.sip2_port}",
        ils_soap_wsdl=ils.wsdl_url,
        database_url=database_url,
        secret_key="test-secret-key",
        public_url=url,
        **mail,
    )
    app = create_app(settings, clock=clock)  # no share_mailer: the gateway's own
    server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        running = Served(url, app, clock)
        async with httpx.AsyncClient(base_url=url) as client:
            assert (await client.get("/healthz")).status_code == 200  # the lifespan has run
        running.runtime.mail.subscribe(running.reports.put)
        yield running
    finally:
        server.should_exit = True
        await task
        sock.close()


async def _camille_asks_for_ines(gateway: Served) -> None:
    body = await gateway.graphql(REQUEST, {"card": INES}, CAMILLE)
    payload = body["data"]["requestAccountShare"]
    # The requester is told the same whatever the card (no enumeration): the mail is the proof.
    assert payload["errors"] == [] and payload["request"]["id"]
    await gateway.report(MailState.QUEUED)


def _link_in(message: EmailMessage, gateway: Served) -> str:
    assert message["To"] == INES_ADDRESS
    assert message["Content-Language"] == "fr"  # Inès's language: French by default
    assert "Camille Martin demande à voir votre compte" in message["Subject"]
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    (link,) = set(LINK.findall(text.get_content()))
    assert link.startswith(f"{gateway.url}/shares/accept?token=")
    assert link.replace("&", "&amp;") in html.get_content()
    return link


async def _ines_accepts(gateway: Served, link: str) -> None:
    async with httpx.AsyncClient(base_url=gateway.url, headers={"Accept-Language": "fr"}) as browser:
        page = await browser.get(link)
        assert page.status_code == 200 and "Camille Martin demande à voir votre compte" in page.text
        form = form_of(page.text)
        assert "csrf" in form.fields
        posted = await browser.post(form.action or "", data={**form.fields, "answer": "accept"})
    assert posted.status_code == 200, posted.text
    loans = await gateway.graphql(LOANS, {"id": INES}, CAMILLE)
    assert "errors" not in loans and loans["data"]["patron"]["loans"], loans


async def _history(gateway: Served) -> list[tuple[str, str]]:
    body = await gateway.graphql(HISTORY, None, INES)
    (request,) = body["data"]["me"]["receivedShareRequests"]
    return [(event["kind"], event["actor"]) for event in request["history"]]


async def test_ines_is_mailed_over_smtp_and_accepts_from_the_mail(
    ils: RunningEmulator, tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    async with (
        smtp_server() as smtp,
        served(ils, tmp_path, clock, smtp_url=f"smtp://127.0.0.1:{smtp.port}") as gw,
    ):
        await _camille_asks_for_ines(gw)
        sent = await gw.report(MailState.SENT)
        assert sent.attempts == 1
        (received,) = smtp.received
        assert received.rcpt_tos == (INES_ADDRESS,)
        link = _link_in(received.message, gw)
        assert await _history(gw) == [("REQUESTED", "REQUESTER"), ("MAILED", "SYSTEM")]
        await _ines_accepts(gw, link)
        assert await _history(gw) == [
            ("REQUESTED", "REQUESTER"),
            ("MAILED", "SYSTEM"),
            ("OPENED", "OWNER"),
            ("ACCEPTED", "OWNER"),
        ]
        assert (await gw.runtime.mail.deliver_due()).attempted == 0
        assert len(smtp.received) == 1

    # The gateway's logs (not aiosmtpd's, nor the test's HTTP client) hold no token, address or body.
    # aiosqlite logs SQL parameters at DEBUG: the served logging keeps it at WARNING at any level.
    assert logging_config(json_lines=True, level="DEBUG")["loggers"]["aiosqlite"]["level"] == "WARNING"
    token = link.split("token=", 1)[1]
    quiet = ("httpx", "httpcore", "mail.log", "aiosqlite")
    records = [r for r in caplog.records if not r.name.startswith(quiet)]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.__dict__}" for r in records)
    for secret in (token, token[:40], INES_ADDRESS, "Camille Martin", "demande à voir"):
        assert secret not in logged


async def test_without_smtp_the_mail_is_an_eml_file_in_the_outbox(
    ils: RunningEmulator, tmp_path: Path, clock: Clock
) -> None:
    outbox = tmp_path / "outbox"
    async with served(ils, tmp_path, clock, smtp_url=None, mail_outbox=outbox) as gw:
        await _camille_asks_for_ines(gw)
        await gw.report(MailState.SENT)
        (eml,) = outbox.glob("*.eml")
        message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
        assert isinstance(message, EmailMessage)
        await _ines_accepts(gw, _link_in(message, gw))
        assert ("MAILED", "SYSTEM") in await _history(gw)


async def test_a_server_down_at_first_gets_the_mail_once_it_is_back(
    ils: RunningEmulator, tmp_path: Path, clock: Clock
) -> None:
    async with smtp_server() as smtp:
        await smtp.stop()  # the port is known and refuses connections
        await _down_then_up(ils, tmp_path, clock, smtp)


async def _down_then_up(ils: RunningEmulator, tmp_path: Path, clock: Clock, smtp: SmtpServer) -> None:
    async with served(ils, tmp_path, clock, smtp_url=f"smtp://127.0.0.1:{smtp.port}") as gw:
        await _camille_asks_for_ines(gw)
        failed = await gw.report(MailState.RETRYING)  # the background sender's first attempt
        assert (failed.attempts, failed.last_error) == (1, "connect")
        assert failed.next_attempt_at is not None
        assert failed.next_attempt_at - clock() == timedelta(seconds=30)  # the first backoff
        assert await _history(gw) == [("REQUESTED", "REQUESTER"), ("MAIL_FAILED", "SYSTEM")]
        (incoming,) = (await gw.graphql("query { me { incomingShareRequests { delivery } } }", None, INES))[
            "data"
        ]["me"]["incomingShareRequests"]
        assert incoming == {"delivery": "EMAIL"}  # the request still waits, in the account too

        # Not due yet: nothing is tried before the backoff, even with the server back.
        await smtp.start()
        assert (await gw.runtime.mail.deliver_due()).attempted == 0
        clock.now = failed.next_attempt_at
        assert (await gw.runtime.mail.deliver_due()).sent == 1
        sent = await gw.report(MailState.SENT)
        assert (sent.attempts, sent.last_error) == (2, "connect")

        (received,) = smtp.received
        _link_in(received.message, gw)
        clock.advance(timedelta(hours=2))
        assert (await gw.runtime.mail.deliver_due()).attempted == 0
        assert len(smtp.received) == 1  # exactly once
        assert await _history(gw) == [
            ("REQUESTED", "REQUESTER"),
            ("MAIL_FAILED", "SYSTEM"),
            ("MAIL_RETRIED", "SYSTEM"),
            ("MAILED", "SYSTEM"),
        ]

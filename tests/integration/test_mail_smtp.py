"""The mailer against a real SMTP server (aiosmtpd on 127.0.0.1, port 0) and the outbox folder.

Plain, STARTTLS and smtps, a login from the URL, .eml files with both parts in the mail's
language, and a server that is down at first: the mail arrives once it is back, exactly
once, with retries driven by the test's clock (no sleeps).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from adapters.mail.port import DeliveryRound, InvalidAddress, MailState, MailStatus, OutgoingMail
from adapters.mail.queue import Mailer
from adapters.mail.render import UnknownTemplate
from adapters.mail.smtp_url import parse_smtp_url
from adapters.mail.transport import OutboxTransport, SmtpTransport, Transport
from adapters.mail.worker import deliver_forever
from adapters.store.database import Database
from adapters.store.outgoing_mail import SqlOutgoingMailRepository
from tests.smtp_server import Certificates, smtp_server

SENDER = "Bibliothèques <no-reply@bib.example.org>"
DIGEST = {
    "first_name": "Inès",
    "lists": [
        {
            "title": "Nouveautés à Duras",
            "library": "Médiathèque Marguerite Duras",
            "records": [
                {
                    "id": "T1",
                    "title": "Tom & Jerry <3",
                    "authors": "Dvořák",
                    "year": 2025,
                    "url": "http://x/T1",
                }
            ],
        }
    ],
}


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'mail.sqlite'}")
    await db.migrate()
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


MailerFactory = Callable[[Transport], Mailer]


@pytest.fixture
def mailer_for(database: Database, clock: Clock) -> MailerFactory:
    def build(transport: Transport) -> Mailer:
        return Mailer(
            SqlOutgoingMailRepository(database.sessions, clock), transport, sender=SENDER, clock=clock
        )

    return build


def digest(to: str = "ines.martin@example.org", *, language: str = "fr", key: str = "k1") -> OutgoingMail:
    return OutgoingMail(to=to, language=language, template="new_arrivals", context=DIGEST, key=key)


def smtp(url: str, tls: ssl.SSLContext | None = None) -> SmtpTransport:
    return SmtpTransport(parse_smtp_url(url), tls_context=tls)


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


async def test_plain_smtp_delivers_one_multipart_message(mailer_for: MailerFactory) -> None:
    async with smtp_server() as server:
        mailer = mailer_for(smtp(f"smtp://127.0.0.1:{server.port}?starttls=false"))
        queued = await mailer.enqueue(digest())
        assert queued.state is MailState.QUEUED
        assert (await mailer.deliver_due()).sent == 1

    [received] = server.received
    assert received.rcpt_tos == ("ines.martin@example.org",) and not received.tls
    message = received.message
    assert message["Subject"] == "Nouveautés : Nouveautés à Duras"
    assert message["Message-ID"] == f"<{queued.id}@bib.example.org>"
    assert message["Content-Language"] == "fr"
    text, html = parts(message)
    assert "Bonjour Inès" in text and "- Tom & Jerry <3, Dvořák (2025)" in text
    assert '<a href="http://x/T1">Tom &amp; Jerry &lt;3</a>' in html and '<html lang="fr">' in html
    [status] = (await mailer.status(["k1"])).values()
    assert (status.state, status.attempts, status.sent_at) == (MailState.SENT, 1, status.created_at)


async def test_required_starttls_upgrades_before_sending(mailer_for: MailerFactory) -> None:
    certificates = Certificates.make()
    async with smtp_server(starttls=certificates.server, require_starttls=True) as server:
        url = f"smtp://127.0.0.1:{server.port}?starttls=true"
        assert (await _send_one(mailer_for(smtp(url, certificates.client)))) is MailState.SENT
    assert [received.tls for received in server.received] == [True]


async def test_required_starttls_never_sends_in_clear(mailer_for: MailerFactory) -> None:
    async with smtp_server() as server:  # offers no STARTTLS
        url = f"smtp://127.0.0.1:{server.port}?starttls=true"
        mailer = mailer_for(smtp(url, Certificates.make().client))
        assert (await _send_one(mailer)) is MailState.RETRYING
    assert server.received == []
    assert (await mailer.status(["k1"]))["k1"].last_error == "starttls-not-offered"


async def test_opportunistic_starttls_by_default(mailer_for: MailerFactory) -> None:
    certificates = Certificates.make()
    async with smtp_server(starttls=certificates.server) as server:
        assert (
            await _send_one(mailer_for(smtp(f"smtp://127.0.0.1:{server.port}", certificates.client)))
        ) is (MailState.SENT)
    assert [received.tls for received in server.received] == [True]


async def test_smtps_is_tls_from_the_first_byte(mailer_for: MailerFactory) -> None:
    certificates = Certificates.make()
    async with smtp_server(implicit_tls=certificates.server) as server:
        url = f"smtps://127.0.0.1:{server.port}"
        assert (await _send_one(mailer_for(smtp(url, certificates.client)))) is MailState.SENT
    assert [received.tls for received in server.received] == [True]


async def test_an_untrusted_certificate_is_refused(mailer_for: MailerFactory) -> None:
    async with smtp_server(implicit_tls=Certificates.make().server) as server:
        other_ca = Certificates.make().client
        mailer = mailer_for(smtp(f"smtps://127.0.0.1:{server.port}", other_ca))
        assert (await _send_one(mailer)) is MailState.RETRYING
    assert server.received == []
    assert (await mailer.status(["k1"]))["k1"].last_error == "tls"


async def test_login_from_the_url_percent_decoded(mailer_for: MailerFactory) -> None:
    async with smtp_server(credentials=("gateway@bib", "p@ss:w/rd")) as server:
        good = f"smtp://gateway%40bib:p%40ss%3Aw%2Frd@127.0.0.1:{server.port}?starttls=false"
        assert (await _send_one(mailer_for(smtp(good)))) is MailState.SENT
        bad = f"smtp://gateway%40bib:wrong@127.0.0.1:{server.port}?starttls=false"
        refused = mailer_for(smtp(bad))
        assert (await _send_one(refused, key="k2")) is MailState.RETRYING
    assert [received.login for received in server.received] == ["gateway@bib"]  # the bad one sent nothing
    assert (await refused.status(["k2"]))["k2"].last_error == "auth 535"


async def test_a_refused_recipient_fails_for_good(mailer_for: MailerFactory, clock: Clock) -> None:
    async with smtp_server() as server:
        server.refuse("nobody@example.org")
        mailer = mailer_for(smtp(f"smtp://127.0.0.1:{server.port}?starttls=false"))
        await mailer.enqueue(digest("nobody@example.org"))
        assert (await mailer.deliver_due()).rejected == 1
        clock.advance(timedelta(days=1))
        assert (await mailer.deliver_due()).attempted == 0
    status = (await mailer.status(["k1"]))["k1"]
    assert (status.state, status.last_error, status.next_attempt_at) == (
        MailState.FAILED,
        "recipient-refused 550",
        None,
    )


async def test_smtp_down_at_first_then_delivered_exactly_once(
    mailer_for: MailerFactory, clock: Clock
) -> None:
    async with smtp_server() as server:
        await server.stop()
        url = f"smtp://127.0.0.1:{server.port}?starttls=false"
        mailer = mailer_for(smtp(url))
        events: list[tuple[str, MailState]] = []

        async def listen(status: MailStatus) -> None:
            events.append((status.key, status.state))

        mailer.subscribe(listen)
        start = clock.now
        await mailer.enqueue(digest(key="k1"))
        clock.advance(timedelta(seconds=1))
        await mailer.enqueue(digest(key="k2"))

        # Down: one refused connection, then every send holds off (not one attempt per mail).
        assert (await mailer.deliver_due()) == DeliveryRound(failed=1)
        k1 = (await mailer.status(["k1"]))["k1"]
        assert (k1.state, k1.attempts, k1.last_error) == (MailState.RETRYING, 1, "connect")
        assert k1.next_attempt_at == start + timedelta(seconds=31)
        assert (await mailer.status(["k2"]))["k2"].state is MailState.QUEUED
        assert await mailer.next_attempt_at() == start + timedelta(seconds=31)

        clock.advance(timedelta(seconds=29))
        assert (await mailer.deliver_due()).attempted == 0  # held off
        clock.advance(timedelta(seconds=1))
        # Still down: k2 (waiting longest) is tried; the hold doubles to a minute.
        assert (await mailer.deliver_due()) == DeliveryRound(failed=1)
        assert (await mailer.status(["k2"]))["k2"].next_attempt_at == start + timedelta(seconds=91)

        await server.start()  # back, on the same port
        # And the gateway restarted meanwhile: a new process resumes what the store holds.
        resumed = mailer_for(smtp(url))
        clock.advance(timedelta(seconds=60))
        assert (await resumed.deliver_due()) == DeliveryRound(sent=2)
        clock.advance(timedelta(hours=2))
        assert (await resumed.deliver_due()).attempted == 0
        assert (await mailer.deliver_due()).attempted == 0

    statuses = await resumed.status(["k1", "k2"])
    assert sorted(received.message["Message-ID"] for received in server.received) == sorted(
        f"<{status.id}@bib.example.org>" for status in statuses.values()
    )
    for status in statuses.values():
        assert (status.state, status.attempts, status.last_error) == (MailState.SENT, 2, "connect")
    assert events == [
        ("k1", MailState.QUEUED),
        ("k2", MailState.QUEUED),
        ("k1", MailState.RETRYING),
        ("k2", MailState.RETRYING),
    ]


async def test_the_background_sender_delivers_what_is_queued(mailer_for: MailerFactory, clock: Clock) -> None:
    async with smtp_server() as server:
        mailer = mailer_for(smtp(f"smtp://127.0.0.1:{server.port}?starttls=false"))
        outcomes: asyncio.Queue[MailStatus] = asyncio.Queue()

        async def listen(status: MailStatus) -> None:
            if status.state is MailState.SENT:
                outcomes.put_nowait(status)

        mailer.subscribe(listen)
        await mailer.enqueue(digest(key="before"))  # queued before the sender starts (a restart)
        sender = asyncio.create_task(deliver_forever(mailer, clock, poll=30.0))
        try:
            async with asyncio.timeout(10):
                first = await outcomes.get()
                # Queueing wakes it at once (well before its 30 s poll).
                await mailer.enqueue(digest("camille.martin@example.org", key="after"))
                second = await outcomes.get()
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
    assert [first.key, second.key] == ["before", "after"]
    assert [received.rcpt_tos for received in server.received] == [
        ("ines.martin@example.org",),
        ("camille.martin@example.org",),
    ]


async def test_the_same_key_is_queued_and_sent_once(mailer_for: MailerFactory) -> None:
    async with smtp_server() as server:
        mailer = mailer_for(smtp(f"smtp://127.0.0.1:{server.port}?starttls=false"))
        first = await mailer.enqueue(digest())
        again = await mailer.enqueue(digest("someone.else@example.org"))
        assert again.id == first.id
        await mailer.deliver_due()
        after = await mailer.enqueue(digest())
        await mailer.deliver_due()
    assert after.state is MailState.SENT and len(server.received) == 1


async def test_bad_mails_are_refused_when_queued(mailer_for: MailerFactory, tmp_path: Path) -> None:
    mailer = mailer_for(OutboxTransport(tmp_path / "outbox"))
    for address in ("", "no-at-sign", "a@b", "x@example.org\r\nBcc: all@example.org", "a b@example.org"):
        with pytest.raises(InvalidAddress):
            await mailer.enqueue(digest(address))
    with pytest.raises(UnknownTemplate):
        await mailer.enqueue(OutgoingMail("a@example.org", "fr", "no_such_template", {}, "k"))
    assert await mailer.status(["k", "k1"]) == {}


async def test_outbox_writes_parseable_eml_files_in_each_language(
    mailer_for: MailerFactory, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    mailer = mailer_for(OutboxTransport(outbox))
    fr = await mailer.enqueue(digest(language="fr", key="fr"))
    en = await mailer.enqueue(digest("camille.martin@example.org", language="en-GB", key="en"))
    assert (await mailer.deliver_due()).sent == 2

    files = {path.name: path for path in outbox.iterdir()}
    assert sorted(files) == sorted(f"{status.id}_at_bib.example.org.eml" for status in (fr, en))
    french = _parse(files[f"{fr.id}_at_bib.example.org.eml"])
    english = _parse(files[f"{en.id}_at_bib.example.org.eml"])
    assert french["To"] == "ines.martin@example.org" and french["Content-Language"] == "fr"
    assert english["Subject"] == "New arrivals: Nouveautés à Duras" and english["Content-Language"] == "en"
    fr_text, fr_html = parts(french)
    en_text, en_html = parts(english)
    assert "Voici les nouveautés" in fr_text and "Voici les nouveautés" in fr_html
    assert "Here are the new arrivals" in en_text and '<html lang="en">' in en_html
    assert "Tom &amp; Jerry &lt;3" in en_html and "Tom & Jerry <3" in en_text


async def test_outbox_unwritable_is_retried(mailer_for: MailerFactory, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    mailer = mailer_for(OutboxTransport(blocked))
    assert (await _send_one(mailer)) is MailState.RETRYING
    assert (await mailer.status(["k1"]))["k1"].last_error == "outbox-io"


async def _send_one(mailer: Mailer, *, key: str = "k1") -> MailState:
    await mailer.enqueue(digest(key=key))
    await mailer.deliver_due()
    return (await mailer.status([key]))[key].state


def _parse(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message

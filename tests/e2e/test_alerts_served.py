"""The new-arrivals digest job end to end: the emulator over real sockets, the store, the real mailer
and aiosmtpd on port 0; once in process (`run_once`, with the test's clock) and as the real
`ils-gateway send-alerts` command in a subprocess.

Camille follows DURAS, Inès follows DURAS and SAGAN: each gets ONE mail, Inès's covering both
lists; a second run sends nothing; a title that arrives later is the only one of the next
digest. The job's own rules (a crash between recording and queueing, two runs at once) are
tests/unit/test_alerts_job.py's; here the mail server is down during a run: the digests stay
queued and the next run sends each exactly once, and records no new one.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

from adapters.store.database import Database
from adapters.store.sql import sql_store
from emulator.runner import RunningEmulator
from emulator.seed import DEMO_TODAY
from gateway.send_alerts import run_once
from gateway.serve import seed_demo_portal
from gateway.settings import Settings
from schema.portal.alert_seed import seeded_description, seeded_id, seeded_title
from tests.e2e.conftest import Clock
from tests.smtp_server import SmtpServer, smtp_server

CAMILLE, INES = "2900000001", "2900000003"
ADDRESSES = {"camille.martin@example.org", "ines.martin@example.org"}
# On or after every list's first day (lists made by the test's clock and by the real one).
ARRIVED = max(date.today(), DEMO_TODAY).isoformat()


def _arrive(ils: RunningEmulator, title_id: str, title: str, library: str) -> None:
    """A title with a copy just added to `library`, written to the emulator's database."""
    with sqlite3.connect(ils.db_path) as connection:
        connection.execute(
            "INSERT INTO titles (id, title, authors, document_type, added_on) VALUES (?, ?, '', 'BOOK', ?)",
            (title_id, title, ARRIVED),
        )
        connection.execute(
            "INSERT INTO items (id, title_id, library_code, status, added_on)"
            " VALUES (?, ?, ?, 'AVAILABLE', ?)",
            (f"I-{title_id}", title_id, library, ARRIVED),
        )


async def _subscribers(database_url: str, clock: Clock) -> None:
    """The demo's Camille (DURAS), and Inès following DURAS and SAGAN."""
    await seed_demo_portal(database_url)
    database = Database(database_url)
    try:
        store = sql_store(database.sessions, clock=clock)
        name = "Médiathèque Françoise Sagan"
        await store.alert_lists.create(
            "SAGAN", seeded_title(name), seeded_description(name), alert_id=seeded_id("SAGAN")
        )
        for code in ("DURAS", "SAGAN"):
            await store.alert_subscriptions.subscribe(INES, seeded_id(code), "fr")
    finally:
        await database.close()


def _settings(ils: RunningEmulator, database_url: str, smtp: SmtpServer) -> Settings:
    return Settings(
        ils_sip2_address=f"{ils.sip2_host}:{ils.sip2_port}",
        ils_soap_wsdl=ils.wsdl_url,
        database_url=database_url,
        smtp_url=f"smtp://127.0.0.1:{smtp.port}",
    )


def _text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    content: str = part.get_content()
    return content


def _by_address(smtp: SmtpServer) -> dict[str, str]:
    mails: dict[str, str] = {}
    for received in smtp.received:
        (to,) = received.rcpt_tos
        assert to not in mails, f"two mails to {to}"
        mails[to] = _text(received.message)
    return mails


async def test_one_digest_per_subscriber_then_nothing_then_only_what_is_new(
    ils: RunningEmulator, tmp_path: Path, clock: Clock
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}"
    await _subscribers(database_url, clock)
    _arrive(ils, "T-NEW-DURAS", "Le Livre arrivé à Duras", "DURAS")
    _arrive(ils, "T-NEW-SAGAN", "Le Livre arrivé à Sagan", "SAGAN")
    async with smtp_server() as smtp:
        settings = _settings(ils, database_url, smtp)
        first = await run_once(settings, clock)
        assert (first.subscribers, first.digests, first.sent, first.failed) == (2, 2, 2, 0)
        mails = _by_address(smtp)
        assert set(mails) == ADDRESSES
        assert "Le Livre arrivé à Duras" in mails["camille.martin@example.org"]
        assert "Le Livre arrivé à Sagan" not in mails["camille.martin@example.org"]
        ines = mails["ines.martin@example.org"]
        assert "Le Livre arrivé à Duras" in ines and "Le Livre arrivé à Sagan" in ines  # one digest

        second = await run_once(settings, clock)
        assert (second.digests, second.resumed, second.sent) == (0, 0, 0)
        assert len(smtp.received) == 2

        clock.advance(timedelta(days=1))
        _arrive(ils, "T-LATER-SAGAN", "Arrivé plus tard à Sagan", "SAGAN")
        third = await run_once(settings, clock)
        assert (third.digests, third.sent) == (1, 1)
        later = smtp.received[2]
        assert later.rcpt_tos == ("ines.martin@example.org",)
        text = _text(later.message)
        assert "Arrivé plus tard à Sagan" in text
        assert "Le Livre arrivé à Duras" not in text and "Le Livre arrivé à Sagan" not in text


async def test_a_mail_server_down_during_a_run_gets_each_digest_once_at_the_next(
    ils: RunningEmulator, tmp_path: Path, clock: Clock
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}"
    await _subscribers(database_url, clock)
    _arrive(ils, "T-NEW-DURAS", "Le Livre arrivé à Duras", "DURAS")
    async with smtp_server() as smtp:
        settings = _settings(ils, database_url, smtp)
        await smtp.stop()
        down = await run_once(settings, clock)
        # Recorded and queued; the first send refused, the other held off with it (server down).
        assert (down.digests, down.sent, down.failed) == (2, 0, 1)

        await smtp.start()
        clock.advance(timedelta(seconds=30))  # the first backoff
        back = await run_once(settings, clock)
        assert (back.digests, back.resumed, back.sent, back.failed) == (0, 0, 2, 0)
        assert set(_by_address(smtp)) == ADDRESSES

        clock.advance(timedelta(hours=2))
        assert (await run_once(settings, clock)).sent == 0
        assert len(smtp.received) == 2


async def _send_alerts(env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gateway.cli",
        "send-alerts",
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_the_send_alerts_command(ils: RunningEmulator, tmp_path: Path, clock: Clock) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}"
    await _subscribers(database_url, clock)
    _arrive(ils, "T-NEW-DURAS", "Le Livre arrivé à Duras", "DURAS")
    async with smtp_server() as smtp:
        env = {
            "GATEWAY_ILS_SIP2_ADDRESS": f"{ils.sip2_host}:{ils.sip2_port}",
            "GATEWAY_ILS_SOAP_WSDL": ils.wsdl_url,
            "GATEWAY_DATABASE_URL": database_url,
            "GATEWAY_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        }
        code, out, err = await _send_alerts(env)
        assert code == 0, err
        (line,) = out.splitlines()
        assert line.startswith("send-alerts: ") and "2 mails queued" in line and "2 sent" in line, line
        assert set(_by_address(smtp)) == ADDRESSES

        code, out, err = await _send_alerts(env)
        assert code == 0, err
        assert "0 mails queued" in out and "0 sent" in out, out
        assert len(smtp.received) == 2

        await smtp.stop()
        code, out, err = await _send_alerts({**env, "GATEWAY_ILS_SOAP_WSDL": "http://127.0.0.1:9/nope?wsdl"})
        assert code != 0 and "send-alerts failed" in err

"""The SIP2 client and pool against the reference emulator on 127.0.0.1: every verb, every fault."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.errors import IlsNotFound, IlsUnavailable, OutcomeUnknown
from adapters.ils.models import ItemStatus
from adapters.ils.sip2.client import Sip2Client
from adapters.ils.sip2.codec import FieldInjectionError
from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.connection import LoginRefused
from adapters.ils.sip2.pool import Sip2Pool
from emulator.runner import EmulatorConfig, RunningEmulator, ensure_seeded, run_emulator
from emulator.seed import BARCODES, CAMILLE, DEMO_TODAY, LEO, NADIA

T = DEMO_TODAY
CAMILLE_PASSWORD = "14071985"
HORDE_COPY, FURTIFS_COPY, PRINCE_COPY = BARCODES["T-HORDE"], BARCODES["T-FURTIFS"], BARCODES["T-PRINCE"]


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sip2") / "template.db"
    ensure_seeded(path, DEMO_TODAY, "small")
    return path


@asynccontextmanager
async def running(template: Path, tmp_path: Path, encoding: str = "utf-8") -> AsyncIterator[RunningEmulator]:
    db_path = tmp_path / f"ils-{encoding}.db"
    shutil.copy(template, db_path)
    config = EmulatorConfig(db_path=db_path, encoding=encoding, today=lambda: DEMO_TODAY)
    async with run_emulator(config) as emulator:
        yield emulator


@asynccontextmanager
async def sip2(emu: RunningEmulator, **options: object) -> AsyncIterator[tuple[Sip2Client, Sip2Pool]]:
    settings: dict[str, object] = {"password": "gateway", "size": 4, "timeout": 2.0, "connect_timeout": 2.0}
    config = Sip2Config(emu.sip2_host, emu.sip2_port, "gateway", **(settings | options))  # type: ignore[arg-type]
    async with Sip2Pool(config) as pool:
        yield Sip2Client(pool), pool


@pytest.fixture
async def emu(template_db: Path, tmp_path: Path) -> AsyncIterator[RunningEmulator]:
    async with running(template_db, tmp_path) as emulator:
        yield emulator


@pytest.fixture
async def client(emu: RunningEmulator) -> AsyncIterator[Sip2Client]:
    async with sip2(emu) as (sip2_client, _):
        yield sip2_client


def _renewals(emu: RunningEmulator, item_id: str) -> tuple[int, str]:
    with sqlite3.connect(emu.db_path) as db:
        count, due = db.execute(
            "SELECT renewal_count, due_date FROM loans WHERE item_id = ?", (item_id,)
        ).fetchone()
    return int(count), str(due)


# ---- every verb


async def test_authenticate(client: Sip2Client) -> None:
    good = await client.authenticate(CAMILLE, CAMILLE_PASSWORD)
    assert good.ok and good.display_name == "Camille Martin" and good.patron_id == CAMILLE
    wrong = await client.authenticate(CAMILLE, "01011970")
    assert (wrong.valid_patron, wrong.valid_password, wrong.ok) == (True, False, False)
    unknown = await client.authenticate("2999999999", "01011970")
    assert not unknown.valid_patron and not unknown.ok


async def test_patron_summary_with_a_range(client: Sip2Client) -> None:
    counts = await client.patron_summary(CAMILLE)
    assert counts.charged_count == 7 and counts.overdue_count == 1 and counts.charged_items == ()
    page = await client.patron_summary(CAMILLE, list_name="charged", start=2, end=4)
    assert len(page.charged_items) == 3
    everything = await client.patron_summary(CAMILLE, list_name="charged", start=1, end=7)
    assert page.charged_items == everything.charged_items[1:4]
    assert counts.email == "camille.martin@example.org"
    nadia = await client.patron_summary(NADIA)
    assert nadia.flags.excessive_fines and nadia.flags.renewal_denied


async def test_item_information(client: Sip2Client) -> None:
    on_shelf = await client.item_information(PRINCE_COPY)
    assert on_shelf.status is ItemStatus.AVAILABLE and on_shelf.title == "Le Petit Prince"
    assert on_shelf.permanent_library_code == "DURAS"
    lent = await client.item_information(HORDE_COPY)
    assert lent.status is ItemStatus.CHECKED_OUT and lent.due_date == T + timedelta(days=10)
    with pytest.raises(IlsNotFound):
        await client.item_information("3199999999")


async def test_renew_and_renew_all(emu: RunningEmulator, client: Sip2Client) -> None:
    renewed = await client.renew(CAMILLE, HORDE_COPY)
    assert renewed.ok and renewed.due_date == T + timedelta(days=38) and renewed.message is None
    refused = await client.renew(CAMILLE, FURTIFS_COPY)  # renewal limit reached
    assert not refused.ok and refused.message and refused.due_date is None
    everything = await client.renew_all(CAMILLE)
    assert FURTIFS_COPY in everything.unrenewed_item_ids
    assert set(everything.renewed_item_ids).isdisjoint(everything.unrenewed_item_ids)


async def test_place_and_cancel_hold(client: Sip2Client) -> None:
    placed = await client.place_hold(CAMILLE, "T-BOVARY", "DURAS")
    assert placed.ok and placed.title_id == "T-BOVARY" and placed.queue_position == 1
    assert placed.pickup_library_code == "DURAS"
    again = await client.place_hold(CAMILLE, "T-BOVARY", "DURAS")
    assert not again.ok and again.message
    cancelled = await client.cancel_hold(CAMILLE, "T-BOVARY")
    assert cancelled.ok
    on_shelf = await client.place_hold(CAMILLE, "T-PRINCE", "DURAS")
    assert not on_shelf.ok


async def test_check_out_check_in_end_session_health(client: Sip2Client) -> None:
    out = await client.check_out(LEO, PRINCE_COPY)
    assert out.ok and out.due_date == T + timedelta(days=28) and out.title == "Le Petit Prince"
    assert (await client.item_information(PRINCE_COPY)).status is ItemStatus.CHECKED_OUT
    back = await client.check_in(PRINCE_COPY, "DURAS")
    assert back.ok and back.item_id == PRINCE_COPY
    assert (await client.item_information(PRINCE_COPY)).status is ItemStatus.AVAILABLE
    assert await client.end_session(CAMILLE) is True
    health = await client.health()
    assert health.ok and health.name == "sip2"


# ---- faults


async def test_no_answer_times_out_and_connections_are_replaced(emu: RunningEmulator) -> None:
    async with sip2(emu, timeout=0.3, connect_timeout=0.3) as (client, pool):
        await client.item_information(PRINCE_COPY)
        emu.faults.update({"no_answer": 1.0})
        started = time.monotonic()
        with pytest.raises(IlsUnavailable):
            await client.item_information(PRINCE_COPY)  # tried, then retried once on a fresh connection
        assert time.monotonic() - started < 3.0
        assert not (await client.health()).ok
        emu.faults.update({"no_answer": 0.0})
        assert (await client.item_information(PRINCE_COPY)).title == "Le Petit Prince"
        # The first connection broke and was closed; attempts to open one during the fault failed
        # (the status check got no answer either); the replacement is the only one left.
        assert pool.opened == 2 and pool.idle == 1


async def test_latency_beyond_the_timeout_is_unavailable(emu: RunningEmulator) -> None:
    async with sip2(emu, timeout=0.15) as (client, _):
        await client.item_information(PRINCE_COPY)
        emu.faults.update({"sip2_latency_ms": 400})
        with pytest.raises(IlsUnavailable):
            await client.item_information(PRINCE_COPY)


async def test_lost_answer_to_a_write_is_outcome_unknown_and_not_resent(emu: RunningEmulator) -> None:
    async with sip2(emu) as (client, _):
        before = _renewals(emu, HORDE_COPY)
        emu.faults.update({"drop_after_write": 1.0})
        with pytest.raises(OutcomeUnknown) as caught:
            await client.renew(CAMILLE, HORDE_COPY)
        assert caught.value.operation == "renew"
        assert emu.stats.snapshot()["sip2"].get("29") == 1  # never retried
        assert _renewals(emu, HORDE_COPY)[0] == before[0] + 1  # applied: the caller re-reads
        emu.faults.update({"drop_after_write": 0.0})
        assert (await client.item_information(HORDE_COPY)).due_date == T + timedelta(days=38)


async def test_dropped_before_write_leaves_state_unchanged(emu: RunningEmulator) -> None:
    async with sip2(emu) as (client, _):
        before = _renewals(emu, HORDE_COPY)
        emu.faults.update({"drop_before_write": 1.0})
        for verb in (client.renew(CAMILLE, HORDE_COPY), client.place_hold(CAMILLE, "T-BOVARY", "DURAS")):
            with pytest.raises(OutcomeUnknown):
                await verb
        assert _renewals(emu, HORDE_COPY) == before
        emu.faults.update({"drop_before_write": 0.0})
        assert (await client.place_hold(CAMILLE, "T-BOVARY", "DURAS")).queue_position == 1


async def test_bad_checksums_are_recovered_with_a_97(emu: RunningEmulator) -> None:
    async with sip2(emu) as (client, _):
        emu.faults.update({"bad_checksum": 1.0})
        assert (await client.item_information(PRINCE_COPY)).title == "Le Petit Prince"
        assert (await client.renew(CAMILLE, HORDE_COPY)).ok
        assert emu.stats.snapshot()["sip2"].get("97", 0) >= 2


async def test_wrong_gateway_credentials_are_a_login_failure(emu: RunningEmulator) -> None:
    async with sip2(emu, password="not-the-password") as (client, pool):
        with pytest.raises(LoginRefused):
            await client.item_information(PRINCE_COPY)
        with pytest.raises(IlsUnavailable):
            await client.renew(CAMILLE, HORDE_COPY)  # nothing was sent: not an unknown outcome
        assert pool.opened == 0 and "29" not in emu.stats.snapshot()["sip2"]


async def test_outage_is_unavailable_and_never_hangs(emu: RunningEmulator) -> None:
    async with sip2(emu, timeout=0.5, connect_timeout=0.5) as (client, _):
        emu.faults.update({"outage": True})
        async with asyncio.timeout(5):
            with pytest.raises(IlsUnavailable):
                await client.renew(CAMILLE, HORDE_COPY)
            assert not (await client.health()).ok
        emu.faults.update({"outage": False})
        assert (await client.health()).ok


async def test_fifty_concurrent_calls_through_a_pool_of_four(emu: RunningEmulator) -> None:
    emu.faults.update({"sip2_latency_ms": 5})
    async with sip2(emu, size=4, timeout=5.0) as (client, pool):
        items = [client.item_information(PRINCE_COPY) for _ in range(25)]
        logins = [client.authenticate(CAMILLE, CAMILLE_PASSWORD) for _ in range(25)]
        results = await asyncio.gather(*items, *logins)
    assert len(results) == 50 and all(results) and pool.opened == 4


async def test_injection_attempt_is_refused(emu: RunningEmulator, client: Sip2Client) -> None:
    await client.health()
    for attempt in (f"{HORDE_COPY}|AA{LEO}", f"{HORDE_COPY}\r29NN", "\x00"):
        with pytest.raises(FieldInjectionError):
            await client.renew(CAMILLE, attempt)
    with pytest.raises(FieldInjectionError):
        await client.authenticate(CAMILLE, "x|CQY")
    assert "29" not in emu.stats.snapshot()["sip2"] and "63" not in emu.stats.snapshot()["sip2"]


@pytest.mark.parametrize("encoding", ["cp850", "utf-8"])
async def test_accents_round_trip(template_db: Path, tmp_path: Path, encoding: str) -> None:
    async with (
        running(template_db, tmp_path, encoding) as emulator,
        sip2(emulator, encoding=encoding) as (
            client,
            _,
        ),
    ):
        assert (await client.authenticate(LEO, "03022014")).display_name == "Léo Martin"
        miserables = await client.item_information(BARCODES["T-MISERABLES"])
        assert miserables.title == "Les Misérables"
        refused = await client.place_hold(CAMILLE, "T-PRINCE", "DURAS")
        assert refused.message and refused.message.isprintable() and "\ufffd" not in refused.message


async def test_without_error_detection(emu: RunningEmulator) -> None:
    async with sip2(emu, error_detection=False) as (client, _):
        assert (await client.authenticate(CAMILLE, CAMILLE_PASSWORD)).ok
        assert (await client.renew(CAMILLE, HORDE_COPY)).ok

"""The runner: seeds once, keeps its data across restarts, serves SIP2, SOAP/WSDL and admin on port 0."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from adapters.ils.sip2 import messages as m
from emulator.faults import FaultSettings
from emulator.runner import EmulatorConfig, RunningEmulator, ensure_seeded, run_emulator
from emulator.seed import BARCODES, CAMILLE, DEMO_TODAY, HORDE
from tests.integration.sip2_peer import NOW, close_all, connect


async def test_urls_and_wsdl(emulator: RunningEmulator) -> None:
    assert emulator.sip2_host == "127.0.0.1" and emulator.sip2_port > 0
    assert emulator.soap_url.endswith("/ils") and emulator.wsdl_url == emulator.soap_url + "?wsdl"
    assert emulator.today() == DEMO_TODAY
    async with httpx.AsyncClient() as http:
        wsdl = await http.get(emulator.wsdl_url)
    assert wsdl.status_code == 200 and emulator.soap_url.encode() in wsdl.content


async def test_seeds_once_and_keeps_writes_across_restarts(tmp_path: Path) -> None:
    db_path = tmp_path / "ils.db"
    config = EmulatorConfig(
        db_path=db_path, size="none", today=lambda: DEMO_TODAY, faults=FaultSettings(sip2_latency_ms=1.0)
    )
    async with run_emulator(config) as emu:
        assert emu.faults.settings.sip2_latency_ms == 1.0
        peer = await connect(emu)
        await peer.login()
        renewed = await peer.ask(
            m.RenewRequest(transaction_date=NOW, patron_identifier=CAMILLE, item_identifier=BARCODES[HORDE])
        )
        assert isinstance(renewed, m.RenewResponse) and renewed.ok
        await close_all()
    assert not ensure_seeded(db_path, DEMO_TODAY, "none")
    async with run_emulator(config):
        with sqlite3.connect(db_path) as db:
            count = db.execute(
                "SELECT renewal_count FROM loans WHERE item_id = ?", (BARCODES[HORDE],)
            ).fetchone()
            patrons = db.execute("SELECT COUNT(*) FROM patrons").fetchone()
    assert count == (1,) and patrons == (11,)

"""Integration fixtures: the reference emulator on 127.0.0.1 over a fresh copy of a seeded database.

The template database (demo data + the "small" generated set) is seeded once per
session; each test gets its own copy, its own ports and a clock frozen at
DEMO_TODAY, so tests never see each other's writes.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.ils.sip2 import messages as m
from emulator.runner import EmulatorConfig, RunningEmulator, ensure_seeded, run_emulator
from emulator.seed import DEMO_TODAY
from tests.integration.sip2_peer import Peer, close_all, connect


@pytest.fixture(scope="session")
def emulator_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database seeded once per session at DEMO_TODAY; copy it, never write to it."""
    path = tmp_path_factory.mktemp("emulator-template") / "template.db"
    ensure_seeded(path, DEMO_TODAY, "small")
    return path


@pytest.fixture
async def emulator(emulator_template: Path, tmp_path: Path) -> AsyncIterator[RunningEmulator]:
    """A running emulator (SIP2 + SOAP + admin) on its own copy of the template, today = DEMO_TODAY."""
    db_path = tmp_path / "ils.db"
    shutil.copy(emulator_template, db_path)
    async with run_emulator(EmulatorConfig(db_path=db_path, today=lambda: DEMO_TODAY)) as running:
        yield running


@pytest.fixture
async def peer(emulator: RunningEmulator) -> AsyncIterator[Peer]:
    """A raw SIP2 connection to `emulator`, logged in as the gateway."""
    connection = await connect(emulator)
    assert await connection.login() == m.LoginResponse(ok=True)
    yield connection
    await close_all()

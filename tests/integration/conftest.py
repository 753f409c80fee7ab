"""Integration fixtures: the reference emulator on 127.0.0.1 over a fresh copy of a seeded database.

The template database (demo data + the "small" generated set) is seeded once per
session; each test gets its own copy, its own ports and a clock frozen at
DEMO_TODAY, so tests never see each other's writes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.ils.sip2 import messages as m
from emulator.runner import RunningEmulator
from tests.integration.sip2_peer import Peer, close_all, connect


@pytest.fixture
async def peer(emulator: RunningEmulator) -> AsyncIterator[Peer]:
    """A raw SIP2 connection to `emulator`, logged in as the gateway."""
    connection = await connect(emulator)
    assert await connection.login() == m.LoginResponse(ok=True)
    yield connection
    await close_all()

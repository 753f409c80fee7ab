"""Fixtures shared by every layer of tests: the external services (PostgreSQL, Redis).

Tests that need a service skip cleanly where it is absent, except in CI
(GATEWAY_TEST_REQUIRE_SERVICES=1), where an absent service is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings

from emulator.runner import EmulatorConfig, RunningEmulator, ensure_seeded, run_emulator
from emulator.seed import DEMO_TODAY

# Deterministic by default (the same examples on every run and machine, no time limit per
# example on a loaded 2-core CI machine); HYPOTHESIS_PROFILE=explore searches new examples.
settings.register_profile("deterministic", derandomize=True, deadline=None, database=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

POSTGRES_URL = os.environ.get(
    "GATEWAY_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("GATEWAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _require(name: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    if os.environ.get("GATEWAY_TEST_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{name} is required in CI but not reachable at {host}:{port}")
    pytest.skip(f"{name} not reachable at {host}:{port}")


@pytest.fixture
def postgres_url() -> str:
    """URL of the test PostgreSQL database (skips where there is none)."""
    _require("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_URL


@pytest.fixture
def redis_url() -> str:
    """URL of the test Redis database (skips where there is none)."""
    _require("Redis", "127.0.0.1", 6379)
    return REDIS_URL


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
async def sip2_only_emulator(emulator_template: Path, tmp_path: Path) -> AsyncIterator[RunningEmulator]:
    """The same emulator with its SOAP side off (`--no-soap`): an ILS that speaks SIP2 alone."""
    db_path = tmp_path / "ils.db"
    shutil.copy(emulator_template, db_path)
    config = EmulatorConfig(db_path=db_path, today=lambda: DEMO_TODAY, soap=False)
    async with run_emulator(config) as running:
        yield running

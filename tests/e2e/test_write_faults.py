"""Writes under ILS faults: 60 seeded writes while the SIP2 ACS drops, hangs and garbles, none lost.

The emulator drops the connection before or after applying a write, does not answer, or sends a
bad checksum (5 % each, seeded dice); the patrons' writes run one after the other, so the run is
the same every time. Every answer is compared with the emulator's database just before and after
its write, and the final state with what the answers imply (`emulator.write_audit`). The long
version, over the served CLI with 1,000 writes: bench/faults.py.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator.runner import EmulatorConfig, RunningEmulator, run_emulator
from emulator.seed import DEMO_TODAY
from emulator.write_traffic import drive, prepare_cast, sign_in
from tests.e2e.conftest import GatewayFactory

PROFILES = ("composite", "sip2")


@pytest.fixture(params=PROFILES)
async def ils(
    request: pytest.FixtureRequest, emulator_template: Path, tmp_path: Path
) -> AsyncIterator[RunningEmulator]:
    """The emulator with SOAP (the composite profile), or speaking SIP2 alone."""
    db_path = tmp_path / "ils.db"
    shutil.copy(emulator_template, db_path)
    config = EmulatorConfig(db_path=db_path, today=lambda: DEMO_TODAY, soap=request.param == "composite")
    async with run_emulator(config) as running:
        yield running


def _profile(ils: RunningEmulator, tmp_path: Path) -> dict[str, object]:
    if ils.soap:
        return {}
    # SIP2 has no list of libraries: the pickup library comes from the operator's file.
    libraries = tmp_path / "libraries.json"
    libraries.write_text(json.dumps([{"code": "DURAS", "name": "Duras", "acceptsPickup": True}]))
    return {"ils_soap_wsdl": "", "ils_libraries_file": str(libraries)}


FAULTS = {"drop_before_write": 0.05, "drop_after_write": 0.05, "no_answer": 0.05, "bad_checksum": 0.05}


async def test_sixty_writes_under_faults_none_lost_doubled_or_untrue(
    gateway_factory: GatewayFactory, ils: RunningEmulator, tmp_path: Path
) -> None:
    cast = prepare_cast(ils.db_path, DEMO_TODAY, patrons=4, loans=4, titles=8)
    # A short SIP2 timeout: a hung answer costs 0.3 s; the breaker stays out of the way.
    async with gateway_factory(
        ils_sip2_timeout=0.3, ils_breaker_failures=50, **_profile(ils, tmp_path)
    ) as client:
        readers = await sign_in(client, cast)
        ils.faults.update(FAULTS)
        audit = await drive(client, ils.db_path, cast, readers, writes=60, seed=7)
        ils.faults.update(dict.fromkeys(FAULTS, 0.0))
    figures = audit.figures()
    assert audit.clean, (figures, audit.lost, audit.doubled, audit.untrue, audit.drift)
    # The faults did happen, and their answers were settled by re-reading the ILS.
    outcomes = figures["outcomes"]
    assert isinstance(outcomes, dict)
    assert outcomes.get("APPLIED", 0) >= 15, figures
    assert outcomes.get("NOT_APPLIED", 0) + outcomes.get("OUTCOME_UNKNOWN", 0) > 0, figures

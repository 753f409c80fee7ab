"""The SIP2-only profile's circuit breaker, as the composite's: open after consecutive failures,
fail fast with nothing sent, visible in /readyz, closed again by a probe once the ACS answers.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from emulator.runner import EmulatorConfig, RunningEmulator, run_emulator
from emulator.seed import DEMO_TODAY
from tests.e2e.conftest import LOGIN, GatewayFactory, graphql, sip2_count


@pytest.fixture
async def ils(emulator_template: Path, tmp_path: Path) -> AsyncIterator[RunningEmulator]:
    """An ILS that speaks SIP2 alone."""
    db_path = tmp_path / "ils.db"
    shutil.copy(emulator_template, db_path)
    config = EmulatorConfig(db_path=db_path, today=lambda: DEMO_TODAY, soap=False)
    async with run_emulator(config) as running:
        yield running


async def _sign_in(client: httpx.AsyncClient, card: str, password: str) -> tuple[dict[str, object], float]:
    started = time.monotonic()
    body = await graphql(client, LOGIN, {"identifier": card, "password": password})
    return body, time.monotonic() - started


def _code(body: dict[str, object]) -> object:
    errors = body.get("errors")
    assert isinstance(errors, list) and errors, body
    return errors[0]["extensions"]["code"]


async def test_sip2_alone_has_a_breaker_that_opens_fails_fast_and_closes(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    async with gateway_factory(
        ils_soap_wsdl="", ils_sip2_timeout=0.4, ils_breaker_failures=3, ils_breaker_cooldown=0.5
    ) as client:
        ready = (await client.get("/readyz")).json()
        assert ready["checks"]["sip2"]["breaker"] == "closed", ready
        ils.faults.update({"no_answer": 1.0})
        first, slow = await _sign_in(client, "2900000003", "21092011")  # two timeouts (read retried)
        assert _code(first) == "ILS_UNAVAILABLE"
        second, _ = await _sign_in(client, "2900000002", "03022014")  # the third failure opens it
        assert _code(second) == "ILS_UNAVAILABLE"

        ready = (await client.get("/readyz")).json()
        assert ready["checks"]["sip2"]["breaker"] in ("open", "half_open"), ready

        asked = await sip2_count(ils, "63")
        third, fast = await _sign_in(client, "2900000001", "14071985")
        assert _code(third) == "ILS_UNAVAILABLE"
        assert await sip2_count(ils, "63") == asked  # nothing sent while open
        assert fast < slow / 4, (fast, slow)

        ils.faults.update({"no_answer": 0.0})
        deadline = time.monotonic() + 30
        while True:  # /readyz probes once the cool-down is over
            checks = (await client.get("/readyz")).json()["checks"]
            if checks["sip2"]["breaker"] == "closed" or time.monotonic() > deadline:
                break
        assert checks["sip2"]["breaker"] == "closed", checks
        body, _ = await _sign_in(client, "2900000001", "14071985")
        assert "errors" not in body and body["data"]["login"]["token"], body

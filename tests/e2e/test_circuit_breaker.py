"""The SIP2 circuit breaker against the emulator: faults set through its admin API.

The ACS stops answering (`no_answer`): sign-ins wait the SIP2 timeout until 3 consecutive
failures open the circuit; then they fail at once with ILS_UNAVAILABLE and the ACS receives
nothing; /readyz names the open protocol. Once the ACS answers again, /readyz's check is the
half-open probe that closes the circuit, and sign-in works.
"""

from __future__ import annotations

import time

import httpx

from emulator.runner import RunningEmulator
from tests.e2e.conftest import GatewayFactory, first_error_code, sip2_count, timed_sign_in

SIP2_TIMEOUT = 0.4


async def _faults(emulator: RunningEmulator, **changes: float) -> None:
    async with httpx.AsyncClient() as admin:
        (await admin.post(f"{emulator.admin_url}/faults", json=changes)).raise_for_status()


async def test_open_fails_fast_then_a_probe_closes_it(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    async with gateway_factory(
        ils_sip2_timeout=SIP2_TIMEOUT, ils_breaker_failures=3, ils_breaker_cooldown=0.5
    ) as client:
        await _faults(ils, no_answer=1.0)
        first, slow = await timed_sign_in(client, "2900000003", "21092011")  # two timeouts (read retried)
        assert first_error_code(first) == "ILS_UNAVAILABLE"
        second, _ = await timed_sign_in(client, "2900000002", "03022014")  # the third failure opens it
        assert first_error_code(second) == "ILS_UNAVAILABLE"

        ready = await client.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert ready.json()["checks"]["sip2"]["breaker"] in ("open", "half_open")
        assert ready.json()["checks"]["soap"] == {"ok": True, "detail": "", "breaker": "closed"}

        asked = await sip2_count(ils, "63")
        third, fast = await timed_sign_in(client, "2900000001", "14071985")
        assert first_error_code(third) == "ILS_UNAVAILABLE"
        assert await sip2_count(ils, "63") == asked  # nothing sent while open
        assert fast < slow / 4, (fast, slow)  # failing fast, not waiting for timeouts

        await _faults(ils, no_answer=0.0)
        deadline = time.monotonic() + 30
        while True:  # /readyz probes once the cool-down is over
            checks = (await client.get("/readyz")).json()["checks"]
            if checks["sip2"]["breaker"] == "closed" or time.monotonic() > deadline:
                break
        assert checks["sip2"] == {"ok": True, "detail": "", "breaker": "closed"}
        body, _ = await timed_sign_in(client, "2900000001", "14071985")
        assert "errors" not in body and body["data"]["login"]["token"], body

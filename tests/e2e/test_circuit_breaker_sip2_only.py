"""The SIP2-only profile's circuit breaker, as the composite's: open after consecutive failures,
fail fast with nothing sent, visible in /readyz, closed again by a probe once the ACS answers.
"""

from __future__ import annotations

import time

import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import GatewayFactory, first_error_code, sip2_count, timed_sign_in


@pytest.fixture
def ils(sip2_only_emulator: RunningEmulator) -> RunningEmulator:
    """The gateways here front an ILS that speaks SIP2 alone."""
    return sip2_only_emulator


async def test_sip2_alone_has_a_breaker_that_opens_fails_fast_and_closes(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    async with gateway_factory(
        ils_soap_wsdl="", ils_sip2_timeout=0.4, ils_breaker_failures=3, ils_breaker_cooldown=0.5
    ) as client:
        ready = (await client.get("/readyz")).json()
        assert ready["checks"]["sip2"]["breaker"] == "closed", ready
        ils.faults.update({"no_answer": 1.0})
        first, slow = await timed_sign_in(client, "2900000003", "21092011")  # two timeouts (read retried)
        assert first_error_code(first) == "ILS_UNAVAILABLE"
        second, _ = await timed_sign_in(client, "2900000002", "03022014")  # the third failure opens it
        assert first_error_code(second) == "ILS_UNAVAILABLE"

        ready = (await client.get("/readyz")).json()
        assert ready["checks"]["sip2"]["breaker"] in ("open", "half_open"), ready

        asked = await sip2_count(ils, "63")
        third, fast = await timed_sign_in(client, "2900000001", "14071985")
        assert first_error_code(third) == "ILS_UNAVAILABLE"
        assert await sip2_count(ils, "63") == asked  # nothing sent while open
        assert fast < slow / 4, (fast, slow)

        ils.faults.update({"no_answer": 0.0})
        deadline = time.monotonic() + 30
        while True:  # /readyz probes once the cool-down is over
            checks = (await client.get("/readyz")).json()["checks"]
            if checks["sip2"]["breaker"] == "closed" or time.monotonic() > deadline:
                break
        assert checks["sip2"]["breaker"] == "closed", checks
        body, _ = await timed_sign_in(client, "2900000001", "14071985")
        assert "errors" not in body and body["data"]["login"]["token"], body

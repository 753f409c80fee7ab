"""Through GraphQL: a SIP2 request the ILS refuses twice (96, then 96 to the resend) was not applied.

The emulator's `garbled_request` fault answers 96 to every request, as a noisy line would; the
gateway resends once, gets a second 96, and reports NOT_APPLIED (before, OutcomeUnknown made
it guess from a re-read). The ILS's own state proves nothing was renewed.
"""

from __future__ import annotations

import httpx

from emulator.runner import RunningEmulator
from tests.e2e.conftest import bearer, sip2_count
from tests.e2e.test_portal_renewals import CAMILLE, day, ils_due_date, loans_of, renew


async def _garble(emulator: RunningEmulator, rate: float) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emulator.admin_url}/faults", json={"garbled_request": rate})
    assert response.status_code == 200, response.text


async def test_a_renewal_refused_twice_by_the_ils_is_not_applied(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    horde = (await loans_of(demo_gateway, CAMILLE, headers))["La Horde du Contrevent"]
    before = await sip2_count(ils, "29")
    await _garble(ils, 1.0)

    payload = await renew(demo_gateway, [horde["id"]], headers)

    await _garble(ils, 0.0)
    (result,) = payload["results"]
    assert result["renewed"] is False
    assert [error["code"] for error in payload["errors"]] == ["NOT_APPLIED"]
    assert ils_due_date(ils, "La Horde du Contrevent") == (day(10), 0)
    assert await sip2_count(ils, "29") == before + 2  # our frame and its one resend, no more
    assert (await renew(demo_gateway, [horde["id"]], headers))["renewedCount"] == 1

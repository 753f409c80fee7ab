"""The request time budget over the real CLI: an ILS that stops answering costs a read the
budget, not the ILS timeouts; the answer carries what the gateway has and localized
ILS_UNAVAILABLE errors where the ILS did not answer in time.

`serve --demo` with GATEWAY_REQUEST_TIME_BUDGET=0.3 and 5 s ILS timeouts; the emulator's SIP2
stops answering and its SOAP answers after 2 s (its admin API). Timings are compared with the
ILS timeout (a ratio), with one gross upper bound.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.served_cli import serve_demo

BUDGET = 0.3
ILS_TIMEOUT = 5.0
# SOAP answers this late (seconds): without the budget, a read waits it out.
SOAP_LATE = 2.0
DASHBOARD = "{ libraries { code } me { displayName loans { id dueDate } holds { id } } }"
LOGIN = 'mutation { login(identifier: "2900000001", password: "14071985") { token errors { code } } }'


async def _timed(client: httpx.AsyncClient, query: str, **headers: str) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body, time.monotonic() - started


async def test_reads_answer_within_the_budget_with_partial_data(tmp_path: Path) -> None:
    environment = {
        "GATEWAY_REQUEST_TIME_BUDGET": str(BUDGET),
        "GATEWAY_ILS_SIP2_TIMEOUT": str(ILS_TIMEOUT),
    }
    async with serve_demo(tmp_path, **environment) as served:
        base = served.graphql.rsplit("/graphql", 1)[0]
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            signed_in, _ = await _timed(client, LOGIN)
            token = signed_in["data"]["login"]["token"]
            client.cookies.clear()
            bearer = {"Authorization": f"Bearer {token}"}
            healthy, _ = await _timed(client, DASHBOARD, **bearer)
            assert "errors" not in healthy and healthy["data"]["me"]["loans"], healthy

            faults = {"no_answer": 1.0, "soap_latency_ms": SOAP_LATE * 1000}
            (await client.post(f"{served.ils_admin}/faults", json=faults)).raise_for_status()
            try:
                body, waited = await _timed(client, DASHBOARD, **bearer, **{"Accept-Language": "en"})
                login, login_waited = await _timed(client, LOGIN)
            finally:
                reset = {"no_answer": 0.0, "soap_latency_ms": 0}
                (await client.post(f"{served.ils_admin}/faults", json=reset)).raise_for_status()

    # Within the budget (plus a margin), far from what the ILS would have cost (2 s, 5 s).
    assert BUDGET * 0.9 <= waited < SOAP_LATE / 2, waited
    assert BUDGET * 0.9 <= login_waited < ILS_TIMEOUT / 4, login_waited
    # Partial data: the libraries (kept by the gateway) are there; the account is not, and says why.
    assert body["data"]["libraries"], body
    assert body["data"]["me"] is None
    (error,) = body["errors"]
    assert error["path"] == ["me"] and error["extensions"]["code"] == "ILS_UNAVAILABLE"
    assert error["message"] == "The library system is not answering right now.", error
    assert [e["extensions"]["code"] for e in login["errors"]] == ["ILS_UNAVAILABLE"], login

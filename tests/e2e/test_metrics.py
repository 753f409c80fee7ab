"""/metrics: requests by operation and outcome, ILS calls by protocol and outcome, breakers and
in-flight requests, in the Prometheus text format, with no personal data in any label."""

from __future__ import annotations

import re

import httpx

from emulator.runner import RunningEmulator
from tests.e2e.conftest import LOGIN, GatewayFactory, graphql

CARD, PASSWORD = "2900000001", "14071985"


def _samples(text: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


async def test_metrics_count_requests_ils_calls_and_breakers_without_personal_data(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    async with gateway_factory(
        ils_sip2_timeout=0.3, ils_breaker_failures=2, ils_breaker_cooldown=60
    ) as client:
        await graphql(client, "query SecretName_ines_martin { libraries { code } }")
        body = await graphql(client, LOGIN, {"identifier": CARD, "password": PASSWORD})
        assert body["data"]["login"]["token"], body
        client.cookies.clear()
        await graphql(client, "{ renewAllLoans { renewedCount } }")  # not a query field: refused
        await graphql(client, "mutation { renewAllLoans { renewedCount } }")  # anonymous
        ils.faults.update({"no_answer": 1.0})
        for _ in range(2):  # two sign-ins fail (SIP2 silent), the second opens the circuit
            await graphql(client, LOGIN, {"identifier": "2900000002", "password": "03022014"})
        ils.faults.update({"no_answer": 0.0})
        response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    samples = _samples(text)
    assert samples['gateway_requests_total{operation="query:libraries",outcome="ok"}'] == 1
    assert samples['gateway_requests_total{operation="mutation:login",outcome="ok"}'] == 1
    assert (
        samples['gateway_requests_total{operation="mutation:renewAllLoans",outcome="UNAUTHENTICATED"}'] == 1
    )
    assert samples['gateway_requests_total{operation="query:-",outcome="BAD_USER_INPUT"}'] == 1
    assert samples['gateway_requests_total{operation="mutation:login",outcome="ILS_UNAVAILABLE"}'] == 2
    assert samples['gateway_ils_calls_total{protocol="sip2",outcome="success"}'] >= 1
    assert samples['gateway_ils_calls_total{protocol="sip2",outcome="failure"}'] >= 2
    assert samples['gateway_breaker_state{protocol="sip2",state="open"}'] == 1
    assert samples['gateway_breaker_state{protocol="sip2",state="closed"}'] == 0
    assert samples['gateway_breaker_state{protocol="soap",state="closed"}'] == 1
    assert samples['gateway_breaker_opened_total{protocol="sip2"}'] == 1
    assert samples["gateway_in_flight_requests"] == 0  # /metrics itself is not counted
    assert samples["gateway_overloaded_total"] == 0
    # Every sample is a known family; no card, password, e-mail or client-chosen name anywhere.
    assert {name.split("{")[0] for name in samples} == {
        "gateway_requests_total",
        "gateway_ils_calls_total",
        "gateway_breaker_state",
        "gateway_breaker_opened_total",
        "gateway_in_flight_requests",
        "gateway_overloaded_total",
    }
    for secret in (CARD, PASSWORD, "2900000002", "03022014", "SecretName", "@"):
        assert secret not in text
    assert all(re.fullmatch(r"[a-z_]+(\{[^{}]*\})? \d+(\.\d+)?|# .*", line) for line in text.splitlines())


async def test_metrics_are_served_outside_the_in_flight_bound(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory(max_in_flight=1) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200 and isinstance(response, httpx.Response)

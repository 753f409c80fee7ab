"""Throttling of sign-ins over HTTP: per card, per address, per password, one login per document.

A refused attempt must never reach the ILS: the emulator's SIP2 63 counter proves it, under
200 concurrent attempts too, also when the throttle's Redis is down (sign-in then fails
closed, and /readyz says so). The client address is the peer's unless it is a trusted proxy.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import Clock, GatewayFactory, graphql, login, sip2_count, soap_count


async def test_the_sixth_attempt_on_a_card_is_refused_without_reaching_the_ils(
    gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    for _ in range(5):
        assert (await login(gateway, "2900000003", "01010101"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    asked = await sip2_count(ils, "63")

    sixth = await login(gateway, "2900000003", "21092011")  # even the right password

    assert [error["code"] for error in sixth["errors"]] == ["TOO_MANY_REQUESTS"]
    assert sixth["token"] is None
    assert await sip2_count(ils, "63") == asked
    # Another card from the same client is still served.
    assert (await login(gateway, "2900000001", "14071985"))["errors"] == []


async def test_attempts_by_e_mail_count_against_the_card(gateway: httpx.AsyncClient) -> None:
    for _ in range(5):
        await login(gateway, "ines.martin@example.org", "01010101")

    by_card = await login(gateway, "2900000003", "21092011")

    assert by_card["errors"][0]["code"] == "TOO_MANY_REQUESTS"


async def test_a_throttled_e_mail_reaches_neither_the_look_up_nor_the_password_check(
    gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    for _ in range(5):
        await login(gateway, "Ines.Martin@example.org", "01010101")
    looked_up, asked = await soap_count(ils, "lookupPatrons"), await sip2_count(ils, "63")

    sixth = await login(gateway, "ines.martin@example.org", "21092011")

    assert sixth["errors"][0]["code"] == "TOO_MANY_REQUESTS"
    assert await soap_count(ils, "lookupPatrons") == looked_up
    assert await sip2_count(ils, "63") == asked


async def test_a_success_clears_the_card_failures(gateway: httpx.AsyncClient) -> None:
    for _ in range(4):
        await login(gateway, "2900000003", "01010101")
    assert (await login(gateway, "2900000003", "21092011"))["errors"] == []

    for _ in range(4):
        await login(gateway, "2900000003", "01010101")
    assert (await login(gateway, "2900000003", "21092011"))["errors"] == []


async def test_the_client_address_is_limited_across_cards(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    async with gateway_factory(login_address_limit="3/15 minutes") as gateway:
        for card in ("2900000001", "2900000002", "2900000003"):
            await login(gateway, card, "01010101")
        asked = await sip2_count(ils, "63")

        fourth = await login(gateway, "2900000004", "30111990")

    assert fourth["errors"][0]["code"] == "TOO_MANY_REQUESTS"
    assert await sip2_count(ils, "63") == asked


def spray(gateway: httpx.AsyncClient, cards: int, *, addresses: bool = False) -> list[Any]:
    """One birth date on `cards` distinct cards at once, each (when `addresses`) from its own address."""
    attempts = []
    for n in range(cards):
        headers = {"X-Forwarded-For": f"10.{n // 250}.{n % 250}.1"} if addresses else {}
        attempts.append(login(gateway, f"{2900100000 + n}", "01011980", **headers))
    return attempts


@pytest.mark.parametrize("store", ["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def test_200_simultaneous_attempts_from_one_address_reach_the_ils_20_times(
    gateway_factory: GatewayFactory, ils: RunningEmulator, request: pytest.FixtureRequest, store: str
) -> None:
    # The throttle is under test, not overload: let all 200 in at once.
    shared: dict[str, Any] = {"max_in_flight": 1000}
    if store == "redis":
        shared |= {"redis_url": request.getfixturevalue("redis_url"), "redis_prefix": uuid.uuid4().hex}
    asked = await sip2_count(ils, "63")
    async with gateway_factory(**shared) as gateway:
        answers = await asyncio.gather(*spray(gateway, 200))

    codes = [answer["errors"][0]["code"] for answer in answers]
    assert codes.count("INVALID_CREDENTIALS") == 20
    assert codes.count("TOO_MANY_REQUESTS") == 180
    # Reserved before the ILS was asked: the address limit, exactly, reached it.
    assert await sip2_count(ils, "63") - asked == 20


@pytest.mark.parametrize("store", ["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def test_a_password_sprayed_from_many_addresses_is_paced_network_wide(
    gateway_factory: GatewayFactory,
    ils: RunningEmulator,
    clock: Clock,
    request: pytest.FixtureRequest,
    store: str,
) -> None:
    settings: dict[str, Any] = {"trusted_proxies": "127.0.0.1", "max_in_flight": 1000}
    if store == "redis":
        settings |= {"redis_url": request.getfixturevalue("redis_url"), "redis_prefix": uuid.uuid4().hex}
    asked = await sip2_count(ils, "63")
    async with gateway_factory(**settings) as gateway:
        first = await asyncio.gather(*spray(gateway, 200, addresses=True))
        # 20 failures of that birth date network-wide, then one attempt per 10 seconds.
        assert await sip2_count(ils, "63") - asked == 21
        clock.advance(timedelta(seconds=10))
        # A patron born that day still gets in, at that pace; other passwords are not slowed.
        camille = await login(gateway, "2900000003", "21092011", **{"X-Forwarded-For": "10.200.0.1"})
        paced = await login(gateway, "2900100999", "01011980", **{"X-Forwarded-For": "10.200.0.2"})
        clock.advance(timedelta(seconds=10))
        later = await login(gateway, "2900100998", "01011980", **{"X-Forwarded-For": "10.200.0.3"})

    codes = [answer["errors"][0]["code"] for answer in first]
    assert codes.count("INVALID_CREDENTIALS") == 21
    assert codes.count("TOO_MANY_REQUESTS") == 179
    assert camille["errors"] == []
    assert paced["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert later["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert await sip2_count(ils, "63") - asked == 24


async def test_x_forwarded_for_is_ignored_from_loopback_by_default(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    async with gateway_factory(login_address_limit="3/15 minutes") as gateway:
        for n in range(3):
            await login(gateway, f"{2900100000 + n}", "01010101", **{"X-Forwarded-For": f"10.0.0.{n}"})

        fourth = await login(gateway, "2900100003", "01010101", **{"X-Forwarded-For": "10.0.0.9"})

    assert fourth["errors"][0]["code"] == "TOO_MANY_REQUESTS"


async def test_x_forwarded_for_is_honoured_from_a_trusted_proxy_only(gateway_factory: GatewayFactory) -> None:
    limited = {"login_address_limit": "3/15 minutes", "trusted_proxies": "10.9.0.0/16, 127.0.0.1"}
    async with gateway_factory(**limited) as gateway:
        for n in range(3):
            # The rightmost untrusted hop is the client; what it wrote to its left is not believed.
            forwarded = f"198.51.100.{n}, 203.0.113.7, 10.9.0.2"
            await login(gateway, f"{2900100000 + n}", "01010101", **{"X-Forwarded-For": forwarded})

        same_client = await login(gateway, "2900100003", "01010101", **{"X-Forwarded-For": "203.0.113.7"})
        other_client = await login(gateway, "2900100004", "01010101", **{"X-Forwarded-For": "203.0.113.8"})

    assert same_client["errors"][0]["code"] == "TOO_MANY_REQUESTS"
    assert other_client["errors"][0]["code"] == "INVALID_CREDENTIALS"


ALIASED = """
mutation {
  a: login(identifier: "2900000001", password: "01011985") { token }
  b: login(identifier: "2900000001", password: "02011985") { token }
}
"""

FRAGMENT_REPEATED = """
mutation { ...Try ...Again }
fragment Try on Mutation { login(identifier: "2900000001", password: "01011985") { token } }
fragment Again on Mutation { ...Try }
"""

INLINE_AND_REPEATED = """
mutation {
  login(identifier: "2900000001", password: "01011985") { token }
  ... on Mutation { login(identifier: "2900000001", password: "01011985") { token } }
}
"""


async def test_documents_with_more_than_one_login_are_refused_before_the_ils(
    gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    asked = await sip2_count(ils, "63")
    for document in (ALIASED, FRAGMENT_REPEATED, INLINE_AND_REPEATED):
        body = await graphql(gateway, document)

        assert body.get("data") is None
        assert [error["extensions"]["code"] for error in body["errors"]] == ["TOO_MANY_REQUESTS"]
        assert [error["message"] for error in body["errors"]] == ["Une seule connexion par requête."]
    assert await sip2_count(ils, "63") == asked


async def test_the_one_login_refusal_speaks_english_on_request(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post("/graphql", json={"query": ALIASED}, headers={"Accept-Language": "en"})

    assert [error["message"] for error in response.json()["errors"]] == ["At most one sign-in per request."]


async def test_batched_requests_are_refused(gateway: httpx.AsyncClient, ils: RunningEmulator) -> None:
    asked = await sip2_count(ils, "63")
    one = {"query": 'mutation { login(identifier: "2900000001", password: "01011985") { token } }'}

    response = await gateway.post("/graphql", json=[one, one])

    assert response.status_code == 400
    assert await sip2_count(ils, "63") == asked


@pytest.mark.redis
async def test_replicas_share_the_card_limit_through_redis(
    gateway_factory: GatewayFactory, ils: RunningEmulator, redis_url: str
) -> None:
    shared = {"redis_url": redis_url, "redis_prefix": f"test-{uuid.uuid4().hex}"}
    async with gateway_factory(**shared) as replica_a:
        for _ in range(5):
            await login(replica_a, "2900000003", "01010101")
    asked = await sip2_count(ils, "63")

    async with gateway_factory(**shared) as replica_b:
        sixth = await login(replica_b, "2900000003", "21092011")

    assert sixth["errors"][0]["code"] == "TOO_MANY_REQUESTS"
    assert await sip2_count(ils, "63") == asked


def dead_redis_url() -> str:
    """A Redis URL on 127.0.0.1 where nothing listens (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


async def test_sign_in_fails_closed_and_says_so_when_redis_is_down(
    gateway_factory: GatewayFactory, ils: RunningEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    asked, looked_up = await sip2_count(ils, "63"), await soap_count(ils, "lookupPatrons")

    with caplog.at_level(logging.INFO):
        async with gateway_factory(redis_url=dead_redis_url()) as gateway:
            by_card = await login(gateway, "2900000001", "14071985")
            english = {"Accept-Language": "en"}
            by_e_mail = await login(gateway, "ines.martin@example.org", "21092011", **english)

    assert by_card["errors"] == [
        {
            "code": "SIGN_IN_UNAVAILABLE",
            "message": "La connexion est momentanément indisponible : réessayez dans quelques minutes.",
            "field": None,
        }
    ]
    assert by_card["token"] is None and by_card["patron"] is None
    assert [error["code"] for error in by_e_mail["errors"]] == ["SIGN_IN_UNAVAILABLE"]
    assert by_e_mail["errors"][0]["message"] == (
        "Sign-in is temporarily unavailable: please try again in a few minutes."
    )
    # Without its throttle, no attempt reaches the ILS: no password check, no e-mail look-up.
    assert await sip2_count(ils, "63") == asked
    assert await soap_count(ils, "lookupPatrons") == looked_up
    # Only the outcome is logged: no identifier, no password, no store address.
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "gateway.auth")
    assert "SIGN_IN_UNAVAILABLE" in logged
    for secret in ("2900000001", "14071985", "ines.martin", "21092011", "redis://"):
        assert secret not in logged


async def test_readyz_reports_the_throttle_store_down(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory(redis_url=dead_redis_url()) as gateway:
        response = await gateway.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["throttle"] == {"ok": False, "detail": "unreachable"}
    assert checks["sip2"]["ok"] is True and checks["store"]["ok"] is True


@pytest.mark.redis
async def test_readyz_reports_the_throttle_store_up(gateway_factory: GatewayFactory, redis_url: str) -> None:
    async with gateway_factory(redis_url=redis_url) as gateway:
        response = await gateway.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["throttle"] == {"ok": True, "detail": ""}

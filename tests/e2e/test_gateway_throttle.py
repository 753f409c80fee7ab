"""Throttling of sign-ins over HTTP: per card, per address, one login per document, no batching.

A refused attempt must never reach the ILS: the emulator's SIP2 63 counter proves it,
also when the throttle's Redis is down (sign-in then fails closed, and /readyz says so).
"""

from __future__ import annotations

import logging
import socket
import uuid

import httpx
import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import GatewayFactory, graphql, login, sip2_count, soap_count


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

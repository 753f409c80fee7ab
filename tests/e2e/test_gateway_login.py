"""Sign-in, sessions and sign-out over HTTP against the emulator (SIP2 63/64 checks the password)."""

from __future__ import annotations

from datetime import timedelta

import httpx

from emulator.runner import RunningEmulator
from tests.e2e.conftest import Clock, GatewayFactory, graphql, login, sip2_count

ME = "{ me { id displayName } }"
LOGOUT = "mutation { logout }"


async def test_sign_in_by_card_number_with_spaces_and_punctuation(gateway: httpx.AsyncClient) -> None:
    payload = await login(gateway, " 29 0000-0001 ", "14071985")

    assert payload["errors"] == []
    assert payload["patron"] == {"id": "2900000001", "displayName": "Camille Martin"}
    assert payload["token"] and len(payload["token"]) >= 40
    assert payload["expiresAt"] == "2026-12-01T21:00:00+00:00"  # 12 h absolute expiry
    assert (await graphql(gateway, ME))["data"]["me"]["id"] == "2900000001"  # via the cookie


async def test_sign_in_by_e_mail(gateway: httpx.AsyncClient) -> None:
    payload = await login(gateway, "ines.martin@example.org", "21092011")

    assert payload["errors"] == []
    assert payload["patron"]["id"] == "2900000003"


async def test_an_e_mail_shared_by_two_accounts_is_refused(gateway: httpx.AsyncClient) -> None:
    payload = await login(gateway, "famille.bernard@example.org", "05051992")

    assert payload["token"] is None and payload["patron"] is None
    assert [error["code"] for error in payload["errors"]] == ["EMAIL_NOT_UNIQUE"]
    assert "numéro de carte" in payload["errors"][0]["message"]  # French by default


async def test_wrong_password_and_unknown_card_get_the_same_answer(
    gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    before = await sip2_count(ils, "63")
    wrong = await login(gateway, "2900000001", "01011985")
    unknown = await login(gateway, "2999999999", "14071985")

    assert wrong == unknown
    assert wrong["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert wrong["token"] is None
    assert await sip2_count(ils, "63") == before + 2  # both really asked the ILS
    assert "set-cookie" not in (await gateway.post("/graphql", json={"query": ME})).headers


async def test_messages_follow_accept_language(gateway: httpx.AsyncClient) -> None:
    payload = await login(gateway, "2900000001", "00000000", **{"Accept-Language": "en-GB,en;q=0.8"})

    assert payload["errors"][0]["message"] == "Wrong identifier or password."


async def test_the_session_cookie_is_http_only_and_lax_and_secure_outside_development(
    gateway_factory: GatewayFactory,
) -> None:
    async with gateway_factory() as development:
        response = await development.post("/graphql", json={"query": LOGIN_CAMILLE})
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
        assert "secure" not in cookie
    async with gateway_factory(env="production") as production:
        response = await production.post("/graphql", json={"query": LOGIN_CAMILLE})
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "; secure" in cookie


LOGIN_CAMILLE = 'mutation { login(identifier: "2900000001", password: "14071985") { token } }'


async def test_the_returned_token_works_as_a_bearer_token(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory() as browser:
        token = (await login(browser, "2900000001", "14071985"))["token"]
    async with gateway_factory() as api_client:
        anonymous = await graphql(api_client, ME)
        signed_in = await graphql(api_client, ME, headers={"Authorization": f"Bearer {token}"})

    assert anonymous["data"]["me"] is None
    assert signed_in["data"]["me"]["id"] == "2900000001"


async def test_logout_ends_the_session_for_cookie_and_bearer_alike(gateway: httpx.AsyncClient) -> None:
    token = (await login(gateway, "2900000001", "14071985"))["token"]

    response = await gateway.post("/graphql", json={"query": LOGOUT})

    assert response.json()["data"]["logout"] is True
    assert (
        'gateway_session=""' in response.headers["set-cookie"]
        or "max-age=0" in response.headers["set-cookie"].lower()
    )
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await graphql(gateway, ME, headers=bearer))["data"]["me"] is None
    assert (await graphql(gateway, LOGOUT, headers=bearer))["data"]["logout"] is False


async def test_signing_in_again_replaces_the_previous_session(gateway: httpx.AsyncClient) -> None:
    first = (await login(gateway, "2900000001", "14071985"))["token"]
    second = (await login(gateway, "2900000003", "21092011"))["token"]  # same client, cookie sent

    assert (await graphql(gateway, ME, headers={"Authorization": f"Bearer {first}"}))["data"]["me"] is None
    assert (await graphql(gateway, ME))["data"]["me"]["id"] == "2900000003"
    assert second != first


async def test_a_session_expires_after_idling(gateway: httpx.AsyncClient, clock: Clock) -> None:
    token = (await login(gateway, "2900000001", "14071985"))["token"]
    bearer = {"Authorization": f"Bearer {token}"}

    clock.advance(timedelta(minutes=29))
    assert (await graphql(gateway, ME, headers=bearer))["data"]["me"]["id"] == "2900000001"
    clock.advance(timedelta(minutes=29))  # active 29 min ago: still alive
    assert (await graphql(gateway, ME, headers=bearer))["data"]["me"]["id"] == "2900000001"
    clock.advance(timedelta(minutes=31))
    assert (await graphql(gateway, ME, headers=bearer))["data"]["me"] is None


async def test_a_session_expires_at_its_absolute_limit_however_active(
    gateway: httpx.AsyncClient, clock: Clock
) -> None:
    token = (await login(gateway, "2900000001", "14071985"))["token"]
    bearer = {"Authorization": f"Bearer {token}"}

    for _ in range(24):  # 12 hours of activity every 29 minutes
        clock.advance(timedelta(minutes=29))
        assert (await graphql(gateway, ME, headers=bearer))["data"]["me"] is not None
    clock.advance(timedelta(minutes=25))  # 12 h 1 min after sign-in

    assert (await graphql(gateway, ME, headers=bearer))["data"]["me"] is None


async def test_a_staff_token_sees_any_patron_and_a_wrong_one_nobody(gateway: httpx.AsyncClient) -> None:
    query = '{ patron(id: "2900000006") { id displayName } }'

    staff = await graphql(gateway, query, headers={"Authorization": "Bearer staff:staff-token-1"})
    impostor = await graphql(gateway, query, headers={"Authorization": "Bearer staff:staff-token-2"})

    assert staff["data"]["patron"] == {"id": "2900000006", "displayName": "Nadia Haddad"}
    assert impostor["data"]["patron"] is None
    assert impostor["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")

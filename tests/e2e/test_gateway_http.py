"""The HTTP surface: GET never mutates, JSON-only POST, probes, request ids, introspection, masking."""

from __future__ import annotations

import dataclasses
import logging

import httpx
import pytest

from adapters.store.port import Share
from emulator.runner import RunningEmulator
from tests.e2e.conftest import GatewayFactory, graphql, login
from tests.fakes import FakeShares, fake_store

LOGIN_DOCUMENT = 'mutation { login(identifier: "2900000001", password: "14071985") { token } }'
INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_get_never_runs_a_mutation(gateway: httpx.AsyncClient, ils: RunningEmulator) -> None:
    response = await gateway.get("/graphql", params={"query": LOGIN_DOCUMENT})

    assert response.status_code in (400, 405)
    assert "set-cookie" not in response.headers


async def test_get_runs_queries(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/graphql", params={"query": "{ me { id } }"})

    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", f"query={LOGIN_DOCUMENT}"),
        ("text/plain", f'{{"query": "{LOGIN_DOCUMENT.replace(chr(34), chr(92) + chr(34))}"}}'),
        ("multipart/form-data; boundary=x", "--x--"),
    ],
)
async def test_only_json_posts_are_executed(gateway: httpx.AsyncClient, content_type: str, body: str) -> None:
    # What a cross-site form can send without a CORS preflight: never executed.
    response = await gateway.post("/graphql", content=body, headers={"Content-Type": content_type})

    assert response.status_code in (400, 415)
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    ("language", "message"),
    [(None, 'Requête invalide. (Unknown operation named "Missing".)'),
     ("en", 'Invalid request. (Unknown operation named "Missing".)')],
)  # fmt: skip
async def test_an_unknown_operation_name_is_a_localized_graphql_error(
    gateway: httpx.AsyncClient, language: str | None, message: str
) -> None:
    headers = {"Accept-Language": language} if language else {}
    body = {"query": "query Dashboard { me { id } }", "operationName": "Missing"}

    response = await gateway.post("/graphql", json=body, headers=headers)

    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}


async def test_healthz_answers(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_each_dependency(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/readyz")

    assert response.status_code == 200
    assert {name: check["ok"] for name, check in response.json()["checks"].items()} == {
        "sip2": True,
        "soap": True,
        "store": True,
    }


async def test_readyz_names_the_dependency_that_is_down(
    gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    ils.faults.update({"outage": True})

    response = await gateway.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["store"]["ok"] is True
    assert checks["soap"]["ok"] is False


async def test_every_response_carries_a_request_id(gateway: httpx.AsyncClient) -> None:
    given = await gateway.get("/healthz", headers={"X-Request-ID": "abc-123"})
    made = await gateway.get("/healthz")
    refused = await gateway.get("/healthz", headers={"X-Request-ID": "bad id; injected"})

    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32
    assert refused.headers["x-request-id"] != "bad id; injected"


async def test_introspection_is_open_in_development(gateway: httpx.AsyncClient) -> None:
    body = await graphql(gateway, INTROSPECTION)

    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_is_for_staff_only_in_production(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory(env="production") as gateway:
        anonymous = await graphql(gateway, INTROSPECTION)
        staff = await graphql(gateway, INTROSPECTION, headers={"Authorization": "Bearer staff:staff-token-1"})

    assert anonymous.get("data") is None
    assert "introspection" in anonymous["errors"][0]["message"].lower()
    assert staff["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_depth_and_alias_limits_refuse_oversized_documents(gateway_factory: GatewayFactory) -> None:
    deep = "{ me { sharedAccounts { owner { sharedAccounts { owner { id } } } } } }"
    aliased = "{ " + " ".join(f"a{n}: me {{ id }}" for n in range(4)) + " }"
    async with gateway_factory(query_max_depth=3, query_max_aliases=3, query_max_tokens=40) as gateway:
        too_deep = await graphql(gateway, deep)
        too_many_aliases = await graphql(gateway, aliased)
        too_long = await graphql(gateway, "{ " + "me { id } " * 20 + "}")

    assert (
        too_deep["errors"][0]["message"] == "Requête trop complexe : 5 niveaux d'imbrication pour 3 au plus."
    )
    assert too_many_aliases["errors"][0]["message"] == "Requête trop complexe : 4 alias pour 3 au plus."
    assert too_long["errors"][0]["message"] == "Requête trop longue : plus de 40 éléments (jetons)."
    limits = [body["errors"][0]["extensions"]["limit"] for body in (too_deep, too_many_aliases, too_long)]
    assert limits == ["depth", "aliases", "tokens"]


async def test_errors_are_logged_without_the_document(
    gateway: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    secret_query = '{ patron(id: "2900000006") { id } } # 14071985'

    await graphql(gateway, secret_query, headers={"X-Request-ID": "req-42"})

    ours = ("gateway", "strawberry")
    lines = [record.getMessage() for record in caplog.records if record.name.startswith(ours)]
    assert any("path=patron" in line and "request_id=req-42" in line for line in lines)
    assert not any("14071985" in line or "2900000006" in line for line in lines)


class _BrokenShares(FakeShares):
    """Shares that fail in a way nobody planned for."""

    async def seen_by(self, viewer_id: str) -> list[Share]:
        raise ZeroDivisionError("store exploded at /srv/secret/path")


async def test_unexpected_errors_are_masked_in_production(
    gateway_factory: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    async with gateway_factory(
        env="production", store=dataclasses.replace(fake_store(), shares=_BrokenShares())
    ) as gateway:
        token = (await login(gateway, "2900000001", "14071985"))["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        body = await graphql(gateway, '{ patron(id: "2900000002") { id } }', headers=bearer)

    (error,) = body["errors"]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "exploded" not in str(body) and "Traceback" not in str(body)
    # The server's log keeps the exception for the operators, with the request id.
    assert any(record.exc_info and record.name == "gateway.graphql" for record in caplog.records)

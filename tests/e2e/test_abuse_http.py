"""Abuse suite, HTTP: every malformed or oversized request is a localized GraphQL-shaped 4xx.

Issue 8, finding 6 (blank 500s for null/42/"x" bodies, bad UTF-8, JSON 10,000 deep) and
finding 3 (no body limit): each request below used to give a plain-text 500 or run.
"""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from tests.e2e.conftest import GatewayFactory

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "status", "french"),
    [
        (b"null", 400, "Le corps de la requête doit être un objet JSON"),
        (b"42", 400, "Le corps de la requête doit être un objet JSON"),
        (b'"x"', 400, "Le corps de la requête doit être un objet JSON"),
        (b"true", 400, "Le corps de la requête doit être un objet JSON"),
        (b'{"query": "\xff{ me { id } }"}', 400, "Le corps de la requête doit être encodé en UTF-8."),
        (b"[" * 10_000 + b"]" * 10_000, 400, "Le JSON de la requête est imbriqué trop profondément."),
        (b'{"query": "{ me { id } }"', 400, "Le corps de la requête n'est pas du JSON valide."),
        (b'{"query": ' + b"1" * 5000 + b"}", 400, "Le corps de la requête n'est pas du JSON valide."),
        (b"[]", 400, "Une seule opération par requête"),
        (b"{}", 400, "La requête ne contient aucun document GraphQL."),
    ],
    ids=["null", "number", "string", "boolean", "utf-8", "deep", "truncated", "long-int", "batch", "empty"],
)
async def test_a_malformed_body_is_a_localized_graphql_error(
    gateway: httpx.AsyncClient, body: bytes, status: int, french: str
) -> None:
    response = await gateway.post("/graphql", content=body, headers=JSON)

    assert response.status_code == status
    (error,) = response.json()["errors"]
    assert error["message"].startswith(french)
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_the_refusal_speaks_english_on_request(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post("/graphql", content=b"42", headers={**JSON, "Accept-Language": "en"})

    assert response.json()["errors"][0]["message"].startswith("The request body must be a JSON object")


async def test_a_body_over_the_limit_is_refused_with_413(gateway_factory: GatewayFactory) -> None:
    comment = "#" + "x" * 70_000 + "\n{ __typename }"
    async with gateway_factory() as gateway:
        response = await gateway.post("/graphql", json={"query": comment})

    assert response.status_code == 413
    assert response.json()["errors"] == [
        {"message": "Requête trop volumineuse : 64 Ko au plus.", "extensions": {"code": "BAD_USER_INPUT"}}
    ]


async def test_the_body_limit_is_configurable(gateway_factory: GatewayFactory) -> None:
    query = {"query": "{ __typename }" + " " * 2000}
    async with gateway_factory(request_max_bytes=1024) as gateway:
        small = await gateway.post("/graphql", json={"query": "{ __typename }"})
        large = await gateway.post("/graphql", json=query, headers={"Accept-Language": "en"})

    assert small.status_code == 200
    assert large.status_code == 413
    assert large.json()["errors"][0]["message"] == "Request too large: 1 KB at most."


async def test_a_body_without_content_length_is_cut_off_while_read(gateway: httpx.AsyncClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield b'{"query": "{ __typename }", "pad": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    response = await gateway.post("/graphql", content=chunks(), headers=JSON)

    assert response.status_code == 413
    assert "content-length" not in response.request.headers


async def test_a_get_query_string_over_the_limit_is_refused(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory(request_max_bytes=1024) as gateway:
        response = await gateway.get("/graphql", params={"query": "{ __typename }" + " " * 2000})

    assert response.status_code == 414
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_every_request_has_one_access_line_without_its_body(
    gateway: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    document = 'query Probe { patron(id: "2900000003") { id } }'
    with caplog.at_level(logging.INFO, logger="gateway.access"):
        await gateway.post("/graphql", json={"query": document}, headers={"X-Request-ID": "probe-1"})
        await gateway.post("/graphql", content=b"42", headers={**JSON, "X-Request-ID": "probe-2"})

    lines = [record for record in caplog.records if record.name == "gateway.access"]
    facts = [record.fields for record in lines]  # type: ignore[attr-defined]
    assert [fields["status"] for fields in facts] == [200, 400]
    assert facts[0]["operation"] == "Probe" and facts[0]["operation_type"] == "query"
    assert facts[0]["codes"] == ["FORBIDDEN"] and facts[0]["error_paths"] == ["patron"]
    assert facts[1]["refusal"] == "REQUEST_NOT_AN_OBJECT"
    assert all(isinstance(fields["duration_ms"], float) for fields in facts)
    assert "2900000003" not in json.dumps(facts) + " ".join(record.getMessage() for record in lines)

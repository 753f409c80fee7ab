"""Abuse suite, federation: a malformed `_entities` representation is its own localized error.

Issue 8, finding 6: an unknown `__typename`, a missing `id` or an extra key gave
INTERNAL_SERVER_ERROR with a traceback in the log, and `_entities` took 10,000
representations. Now each bad representation is a BAD_USER_INPUT error for that entity
alone (the others still resolve) and more than 100 are one error before any resolution.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from emulator.runner import RunningEmulator
from schema.entities import MAX_REPRESENTATIONS
from tests.e2e.conftest import GatewayFactory, graphql, soap_count

ENTITIES = """
query E($r: [_Any!]!) { _entities(representations: $r) { ... on Library { code name } } }
"""
SAGAN = {"__typename": "Library", "code": "SAGAN"}
NOT_AN_ID = "Représentation 1 : la clé « code » d'un Library doit"


@pytest.mark.parametrize(
    ("representation", "french"),
    [
        ({"__typename": "Nope", "code": "SAGAN"}, "Représentation 1 : __typename inconnu"),
        ({"code": "SAGAN"}, "Représentation 1 : __typename inconnu"),
        ({"__typename": 42, "code": "SAGAN"}, "Représentation 1 : __typename inconnu"),
        ({"__typename": "Library"}, "Représentation 1 : la clé « code » d'un Library manque."),
        ({"__typename": "Patron"}, "Représentation 1 : la clé « id » d'un Patron manque."),
        ({"__typename": "Library", "code": "SAGAN", "x": 1}, "Représentation 1 : un Library ne se désigne"),
        ({"__typename": "Library", "code": ["SAGAN"]}, NOT_AN_ID),
        ({"__typename": "Library", "code": None}, NOT_AN_ID),
        ({"__typename": "Library", "code": True}, NOT_AN_ID),
        ("SAGAN", "Représentation 1 : un objet est attendu."),
        ([SAGAN], "Représentation 1 : un objet est attendu."),
    ],
    ids=[
        "unknown-type",
        "no-typename",
        "typename-not-a-string",
        "missing-code",
        "missing-id",
        "extra-key",
        "list-key",
        "null-key",
        "boolean-key",
        "string",
        "list",
    ],
)
async def test_a_bad_representation_is_a_bad_user_input_for_that_entity_alone(
    gateway: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, representation: Any, french: str
) -> None:
    with caplog.at_level(logging.DEBUG):
        body = await graphql(gateway, ENTITIES, {"r": [SAGAN, representation, SAGAN]})

    assert body["data"]["_entities"][0]["code"] == "SAGAN"
    assert body["data"]["_entities"][1] is None
    assert body["data"]["_entities"][2]["code"] == "SAGAN"
    [error] = body["errors"]
    assert error["path"] == ["_entities", 1]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith(french), error["message"]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_the_message_is_english_on_request(gateway: httpx.AsyncClient) -> None:
    headers = {"Accept-Language": "en"}
    body = await graphql(gateway, ENTITIES, {"r": [{"__typename": "Library", "id": "SAGAN"}]}, headers)

    assert body["errors"][0]["message"] == "Representation 0: a Library is referred to by code only."


async def test_an_integer_id_is_an_id(gateway: httpx.AsyncClient) -> None:
    body = await graphql(gateway, ENTITIES, {"r": [{"__typename": "Library", "code": 75010}]})

    assert body == {"data": {"_entities": [None]}}  # a valid reference to no library


@pytest.mark.parametrize("count", [MAX_REPRESENTATIONS, MAX_REPRESENTATIONS + 1, 10_000])
async def test_at_most_100_representations_the_rest_refused_before_any_resolution(
    gateway_factory: GatewayFactory, ils: RunningEmulator, count: int
) -> None:
    representations = [{"__typename": "Library", "code": f"L{index}"} for index in range(count)]
    payload = json.dumps({"query": ENTITIES, "variables": {"r": representations}})
    async with gateway_factory(request_max_bytes=1_000_000) as gateway:
        before = await soap_count(ils, "GetLibraries")
        response = await gateway.post(
            "/graphql", content=payload, headers={"Content-Type": "application/json"}
        )
        after = await soap_count(ils, "GetLibraries")

    body = response.json()
    if count <= MAX_REPRESENTATIONS:
        assert "errors" not in body, body
        assert body["data"]["_entities"] == [None] * count
        return
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == (
        f"Trop de représentations dans un seul appel à _entities : {count} pour 100 au plus."
    )
    assert after == before


async def test_production_shows_the_refusal_as_it_is(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory(env="production") as gateway:
        body = await graphql(gateway, ENTITIES, {"r": [{"__typename": "Library"}]})

    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == "Représentation 0 : la clé « code » d'un Library manque."

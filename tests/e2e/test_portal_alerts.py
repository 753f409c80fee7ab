"""New-arrivals alert lists over HTTP against the emulator: the lists seeded at start-up, the staff
mutations (create, edit, retire), subscribing and unsubscribing (idempotent), who may see what.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulator.seed import LIBRARIES
from tests.e2e.conftest import GatewayFactory, bearer, graphql

CAMILLE, LEO, INES = "2900000001", "2900000002", "2900000003"
STAFF = {"Authorization": "Bearer staff:staff-token-1"}

ALERTS = "{ newArrivalsAlerts { id title description subscribed library { code name } } }"
MINE = "{ me { newArrivalsSubscriptions { id library { code } } } }"
PAYLOAD = "alert { id title description subscribed library { code } } errors { code message field }"
SUBSCRIBE = f"mutation S($id: ID!) {{ subscribeNewArrivals(alertId: $id) {{ {PAYLOAD} }} }}"
UNSUBSCRIBE = f"mutation U($id: ID!) {{ unsubscribeNewArrivals(alertId: $id) {{ {PAYLOAD} }} }}"
CREATE = f"""
mutation C($library: ID!, $title: String!, $description: String) {{
  createNewArrivalsAlert(libraryCode: $library, title: $title, description: $description) {{ {PAYLOAD} }}
}}
"""
UPDATE = f"""
mutation E($id: ID!, $title: String!, $description: String) {{
  updateNewArrivalsAlert(alertId: $id, title: $title, description: $description) {{ {PAYLOAD} }}
}}
"""
RETIRE = f"mutation R($id: ID!) {{ retireNewArrivalsAlert(alertId: $id) {{ {PAYLOAD} }} }}"


async def mutate(
    client: httpx.AsyncClient, document: str, headers: dict[str, str] | None, **variables: Any
) -> Any:
    body = await graphql(client, document, variables, headers)
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload


async def alerts(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    body = await graphql(client, ALERTS, None, headers)
    assert "errors" not in body, body
    found: list[dict[str, Any]] = body["data"]["newArrivalsAlerts"]
    return found


async def alert_of(client: httpx.AsyncClient, code: str) -> dict[str, Any]:
    (alert,) = [a for a in await alerts(client) if a["library"]["code"] == code]
    return alert


async def test_every_library_with_a_catalogue_starts_with_one_list(
    demo_gateway: httpx.AsyncClient, gateway_factory: GatewayFactory
) -> None:
    seeded = await alerts(demo_gateway)

    assert sorted(a["library"]["code"] for a in seeded) == sorted(code for code, *_ in LIBRARIES)
    duras = next(a for a in seeded if a["library"]["code"] == "DURAS")
    assert duras["title"] == "Nouveautés : Médiathèque Marguerite Duras"
    assert duras["library"]["name"] == "Médiathèque Marguerite Duras"
    assert not any(a["subscribed"] for a in seeded)
    async with gateway_factory() as again:  # a second start (or replica) seeds nothing more
        assert len(await alerts(again)) == len(seeded)


async def test_subscribing_and_unsubscribing_are_idempotent(demo_gateway: httpx.AsyncClient) -> None:
    ines, camille = await bearer(demo_gateway, INES), await bearer(demo_gateway, CAMILLE)
    sagan = await alert_of(demo_gateway, "SAGAN")

    first = await mutate(demo_gateway, SUBSCRIBE, ines, id=sagan["id"])
    again = await mutate(demo_gateway, SUBSCRIBE, ines, id=sagan["id"])

    assert first["errors"] == again["errors"] == []
    assert again["alert"]["subscribed"] is True
    assert (await graphql(demo_gateway, MINE, None, ines))["data"]["me"]["newArrivalsSubscriptions"] == [
        {"id": sagan["id"], "library": {"code": "SAGAN"}}
    ]
    assert {a["id"]: a["subscribed"] for a in await alerts(demo_gateway, ines)}[sagan["id"]] is True
    assert {a["id"]: a["subscribed"] for a in await alerts(demo_gateway, camille)}[sagan["id"]] is False
    for _ in range(2):
        left = await mutate(demo_gateway, UNSUBSCRIBE, ines, id=sagan["id"])
        assert left["errors"] == [] and left["alert"]["subscribed"] is False
    assert (await graphql(demo_gateway, MINE, None, ines))["data"]["me"]["newArrivalsSubscriptions"] == []


async def test_staff_create_edit_and_retire_lists(demo_gateway: httpx.AsyncClient) -> None:
    ines = await bearer(demo_gateway, INES)

    created = await mutate(
        demo_gateway, CREATE, STAFF, library="HAVEL", title=" BD à Havel ", description="Les BD"
    )
    alert = created["alert"]
    assert created["errors"] == [] and (alert["title"], alert["description"], alert["library"]) == (
        "BD à Havel", "Les BD", {"code": "HAVEL"}
    )  # fmt: skip
    edited = await mutate(demo_gateway, UPDATE, STAFF, id=alert["id"], title="Mangas à Havel", description="")
    assert (edited["alert"]["title"], edited["alert"]["description"]) == ("Mangas à Havel", None)
    await mutate(demo_gateway, SUBSCRIBE, ines, id=alert["id"])
    assert len([a for a in await alerts(demo_gateway) if a["library"]["code"] == "HAVEL"]) == 2

    retired = await mutate(demo_gateway, RETIRE, STAFF, id=alert["id"])
    assert retired["errors"] == []
    assert alert["id"] not in {a["id"] for a in await alerts(demo_gateway)}
    assert (await graphql(demo_gateway, MINE, None, ines))["data"]["me"]["newArrivalsSubscriptions"] == []
    not_found = [
        {"code": "ALERT_NOT_FOUND", "message": "Liste de nouveautés introuvable.", "field": ["alertId"]}
    ]
    assert (await mutate(demo_gateway, SUBSCRIBE, ines, id=alert["id"]))["errors"] == not_found
    assert (await mutate(demo_gateway, RETIRE, STAFF, id=alert["id"]))["errors"] == not_found
    assert (await mutate(demo_gateway, UPDATE, STAFF, id=alert["id"], title="x"))["errors"] == not_found
    assert (await mutate(demo_gateway, SUBSCRIBE, ines, id="no-such-list"))["errors"] == not_found


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"library": "NOWHERE", "title": "Nouveautés"}, "UNKNOWN_LIBRARIES", ["libraryCode"]),
        ({"library": "DURAS", "title": "  "}, "NAME_REQUIRED", ["title"]),
        ({"library": "DURAS", "title": "t" * 101}, "NAME_TOO_LONG", ["title"]),
        (
            {"library": "DURAS", "title": "Romans", "description": "d" * 1001},
            "DESCRIPTION_TOO_LONG",
            ["description"],
        ),
    ],
    ids=["unknown-library", "blank-title", "long-title", "long-description"],
)
async def test_a_bad_list_is_refused_and_nothing_is_created(
    demo_gateway: httpx.AsyncClient, variables: dict[str, Any], code: str, field: list[str]
) -> None:
    before = await alerts(demo_gateway)

    payload = await mutate(demo_gateway, CREATE, STAFF, **variables)

    assert payload["alert"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert await alerts(demo_gateway) == before


async def test_lists_are_managed_by_staff_only_and_subscriptions_are_personal(
    demo_gateway: httpx.AsyncClient,
) -> None:
    camille, leo = await bearer(demo_gateway, CAMILLE), await bearer(demo_gateway, LEO)
    duras = await alert_of(demo_gateway, "DURAS")

    for headers, code in [(None, "UNAUTHENTICATED"), (camille, "FORBIDDEN")]:
        for document, variables in [
            (CREATE, {"library": "DURAS", "title": "x"}),
            (UPDATE, {"id": duras["id"], "title": "x"}),
            (RETIRE, {"id": duras["id"]}),
        ]:
            body = await graphql(demo_gateway, document, variables, headers)
            assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    for headers, code in [(None, "UNAUTHENTICATED"), (STAFF, "FORBIDDEN")]:
        body = await graphql(demo_gateway, SUBSCRIBE, {"id": duras["id"]}, headers)
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    await mutate(demo_gateway, SUBSCRIBE, leo, id=duras["id"])
    read = 'query { patron(id: "2900000002") { newArrivalsSubscriptions { id } } }'
    shared = await graphql(demo_gateway, read, None, camille)  # Camille sees Léo's loans only
    assert [e["extensions"]["code"] for e in shared["errors"]] == ["FORBIDDEN"]
    staff = await graphql(demo_gateway, read, None, STAFF)
    assert staff["data"]["patron"]["newArrivalsSubscriptions"] == [{"id": duras["id"]}]
    assert await alert_of(demo_gateway, "DURAS") == duras

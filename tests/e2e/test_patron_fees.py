"""Patron.feesOwed end to end over the composite profile (SOAP reads): Nadia's 12.50 EUR from
lookupAccounts with includeFees, in the same single call as her loans; the dashboard's calls are
unchanged by the field; the account's access rule applies."""

from __future__ import annotations

from pathlib import Path

import httpx

from emulator.runner import RunningEmulator
from tests.e2e.conftest import GatewayFactory, bearer, dashboard_document, graphql

CAMILLE, LEO, HUGO, NADIA = "2900000001", "2900000002", "2900000004", "2900000006"
FEES = "query($id: ID!) { patron(id: $id) { id feesOwed { amount currency } feesOwedKnown } }"


async def _stats_of(admin: httpx.AsyncClient) -> dict[str, dict[str, int]]:
    stats: dict[str, dict[str, int]] = (await admin.get("/stats")).json()
    return stats


async def test_nadia_reads_what_she_owes_in_her_one_account_call(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    async with gateway_factory() as client, httpx.AsyncClient(base_url=ils.admin_url) as admin:
        headers = await bearer(client, NADIA)
        assert (await admin.post("/stats/reset")).status_code == 200
        body = await graphql(
            client,
            "{ me { blocks feesOwed { amount currency } feesOwedKnown loans { dueDate } } }",
            headers=headers,
        )
        stats = await _stats_of(admin)
    assert "errors" not in body, body
    me = body["data"]["me"]
    assert me["blocks"] == ["FINES_OWED"] and len(me["loans"]) == 1
    assert me["feesOwed"] == {"amount": "12.50", "currency": "EUR"} and me["feesOwedKnown"] is True
    assert stats == {"sip2": {}, "soap": {"lookupAccounts": 1}}


async def test_an_account_that_owes_nothing_has_null_fees_known(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory() as client:
        body = await graphql(client, FEES, {"id": CAMILLE}, headers=await bearer(client, CAMILLE))
    assert body["data"]["patron"] == {"id": CAMILLE, "feesOwed": None, "feesOwedKnown": True}, body


async def test_the_dashboard_with_the_fees_costs_the_dashboard_s_calls(
    gateway_factory: GatewayFactory, ils: RunningEmulator, tmp_path: Path
) -> None:
    from gateway.serve import seed_demo_portal

    await seed_demo_portal(f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}")  # Camille sees Léo
    dashboard = dashboard_document()
    opening = dashboard.index("me {") + len("me {")
    with_fees = f"{dashboard[:opening]} feesOwed {{ amount currency }} feesOwedKnown {dashboard[opening:]}"
    calls = []
    for document in (dashboard, with_fees):
        async with gateway_factory() as client, httpx.AsyncClient(base_url=ils.admin_url) as admin:
            headers = await bearer(client, CAMILLE)
            assert (await admin.post("/stats/reset")).status_code == 200
            body = await graphql(client, document, headers=headers)
            assert "errors" not in body, body
            calls.append(await _stats_of(admin))
    assert body["data"]["me"]["feesOwedKnown"] is True
    assert calls[0] == calls[1]
    assert calls[0]["soap"]["lookupAccounts"] == 1


async def test_fees_follow_the_account_s_access_rule(gateway_factory: GatewayFactory, tmp_path: Path) -> None:
    from gateway.serve import seed_demo_portal

    await seed_demo_portal(f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}")  # Camille sees Léo
    async with gateway_factory() as client:
        shared = await graphql(client, FEES, {"id": LEO}, headers=await bearer(client, CAMILLE))
        hugo = await graphql(client, FEES, {"id": NADIA}, headers=await bearer(client, HUGO))
        leo = await graphql(client, FEES, {"id": CAMILLE}, headers=await bearer(client, LEO))  # one-way share
        staff = await graphql(
            client, FEES, {"id": NADIA}, headers={"Authorization": "Bearer staff:staff-token-1"}
        )
    assert shared["data"]["patron"] == {"id": LEO, "feesOwed": None, "feesOwedKnown": True}, shared
    for refused in (hugo, leo):
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN" and refused["data"] == {
            "patron": None
        }
    assert staff["data"]["patron"]["feesOwed"] == {"amount": "12.50", "currency": "EUR"}, staff

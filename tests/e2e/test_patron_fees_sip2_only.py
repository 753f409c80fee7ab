"""Patron.feesOwed in the SIP2-only profile, end to end (the emulator with SOAP off): the 64's
total (BV) and currency (BH), with no SIP2 message more than the account costs without it; a 64
that sends no amount is "not known", never "nothing owed"."""

from __future__ import annotations

import pytest

from emulator.runner import RunningEmulator
from tests.e2e.conftest import GatewayFactory, bearer, graphql

CAMILLE, HUGO, NADIA = "2900000001", "2900000004", "2900000006"
FEES = "query($id: ID!) { patron(id: $id) { id feesOwed { amount currency } feesOwedKnown } }"
STAFF = {"Authorization": "Bearer staff:staff-token-1"}


@pytest.fixture
def ils(sip2_only_emulator: RunningEmulator) -> RunningEmulator:
    """The gateways here front an ILS that speaks SIP2 alone."""
    return sip2_only_emulator


async def test_nadia_owes_the_64_s_total_in_its_currency(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory(ils_soap_wsdl="") as client:
        me = await graphql(
            client,
            "{ me { feesOwed { amount currency } feesOwedKnown } }",
            headers=await bearer(client, NADIA),
        )
        staff = await graphql(client, FEES, {"id": NADIA}, headers=STAFF)
    assert me["data"]["me"] == {"feesOwed": {"amount": "12.50", "currency": "EUR"}, "feesOwedKnown": True}, me
    assert staff["data"]["patron"]["feesOwed"] == {"amount": "12.50", "currency": "EUR"}, staff


async def test_a_64_without_an_amount_is_not_known(gateway_factory: GatewayFactory) -> None:
    # The emulator, like some ACSs, sends no BV when nothing is owed: the gateway cannot tell.
    async with gateway_factory(ils_soap_wsdl="") as client:
        body = await graphql(client, FEES, {"id": CAMILLE}, headers=await bearer(client, CAMILLE))
    assert body["data"]["patron"] == {"id": CAMILLE, "feesOwed": None, "feesOwedKnown": False}, body


async def test_the_fees_cost_no_sip2_message_more(
    gateway_factory: GatewayFactory, ils: RunningEmulator
) -> None:
    account = "loans { dueDate renewability { renewable } item { record { title } } } holds { status }"
    counts = []
    ils.faults.update({"sip2_latency_ms": 20})  # calls at once are one level, not racing answers
    async with gateway_factory(ils_soap_wsdl="", ils_sip2_pool_size=16) as client:
        headers = await bearer(client, NADIA)
        for fees in ("", "feesOwed { amount currency }"):
            await graphql(client, f"{{ me {{ {account} }} }}", headers=headers)  # the pool's connections open
            ils.stats.reset()
            body = await graphql(client, f"{{ me {{ {fees} {account} }} }}", headers=headers)
            assert "errors" not in body, body
            counts.append((ils.stats.snapshot()["sip2"], ils.stats.sip2_levels()))
    assert body["data"]["me"]["feesOwed"] == {"amount": "12.50", "currency": "EUR"}
    assert counts[0] == counts[1]
    assert [sorted(set(level)) for level in counts[1][1]] == [["63"], ["17"]]


async def test_another_patron_s_fees_are_forbidden(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory(ils_soap_wsdl="") as client:
        body = await graphql(client, FEES, {"id": NADIA}, headers=await bearer(client, HUGO))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN" and body["data"] == {"patron": None}

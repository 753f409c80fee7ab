"""The lean reader of batch answers (adapters/ils/soap/lean.py) gives exactly what zeep's deserializer gives.

A plain zeep client on the emulator's WSDL (zeep's own deserializer) and SoapIlsClient (the
lean reader) ask for the same accounts (every part), items and titles of the demo patrons;
mapped to the domain, the answers must be equal, unknown ids and empty answers included.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import zeep
from zeep.transports import AsyncTransport

from adapters.errors import IlsRejected, IlsUnavailable
from adapters.ils.models import AccountParts
from adapters.ils.soap import mapping
from adapters.ils.soap.client import SoapIlsClient
from emulator.runner import RunningEmulator
from emulator.seed import CAMILLE, HUGO, INES, LEO, LUCIE, NADIA

PATRONS = [CAMILLE, LEO, INES, HUGO, LUCIE, NADIA, "0000000000"]
EVERY_PART = AccountParts(loans=True, holds=True, fees=True)


@pytest.fixture
async def zeep_service(emulator: RunningEmulator) -> AsyncIterator[Any]:
    """zeep's own client and deserializer (the WSDL is loaded in a thread: the emulator serves this loop)."""
    http = httpx.AsyncClient(timeout=5.0)

    def load() -> Any:
        wsdl_http = httpx.Client(timeout=5.0)
        try:
            transport = AsyncTransport(client=http, wsdl_client=wsdl_http)  # type: ignore[no-untyped-call]
            return zeep.AsyncClient(emulator.wsdl_url, transport=transport).service  # type: ignore[no-untyped-call]
        finally:
            wsdl_http.close()

    try:
        yield await asyncio.to_thread(load)
    finally:
        await http.aclose()


@pytest.fixture
async def lean_client(emulator: RunningEmulator) -> AsyncIterator[SoapIlsClient]:
    soap = await SoapIlsClient.create(emulator.wsdl_url)
    try:
        yield soap
    finally:
        await soap.close()


async def test_accounts_items_and_titles_read_leanly_equal_zeep_s(
    zeep_service: Any, lean_client: SoapIlsClient
) -> None:
    accounts = await lean_client.get_accounts(PATRONS, EVERY_PART)
    answer = await zeep_service.lookupAccounts(
        patronId=PATRONS, includeCheckouts=True, includeHolds=True, includeFees=True
    )
    by_patron = {a.patron.id: a for a in (mapping.account(r, EVERY_PART) for r in mapping.as_list(answer))}
    assert accounts == [by_patron.get(patron_id) for patron_id in PATRONS]
    assert accounts[-1] is None and all(account is not None for account in accounts[:-1])
    assert any(account.fees for account in accounts if account is not None)  # every part exercised
    assert any(hold.item_id for account in accounts if account is not None for hold in account.holds)

    loans = [loan for account in accounts if account is not None for loan in account.loans]
    item_ids = [loan.item_id for loan in loans] + ["NO-SUCH-ITEM"]
    items = await lean_client.get_items(item_ids)
    answer = await zeep_service.lookupItems(itemId=item_ids)
    by_id = {item.id: item for item in map(mapping.item, mapping.as_list(answer))}
    assert items == [by_id.get(item_id) for item_id in item_ids]
    assert any(item is not None and item.due_date is not None for item in items)

    title_ids = [*sorted({loan.title_id for loan in loans}), "NO-SUCH-TITLE"]
    titles = await lean_client.get_titles(title_ids)
    answer = await zeep_service.lookupTitles(titleId=title_ids, includeItems=False)
    by_title = {title.id: title for title in map(mapping.title, mapping.as_list(answer))}
    assert titles == [by_title.get(title_id) for title_id in title_ids]


async def test_an_empty_answer_reads_as_no_records(zeep_service: Any, lean_client: SoapIlsClient) -> None:
    assert await lean_client.get_items(["NO-SUCH-ITEM"]) == [None]
    assert mapping.as_list(await zeep_service.lookupItems(itemId=["NO-SUCH-ITEM"])) == []


async def test_a_server_fault_on_a_hot_look_up_is_unavailable(
    emulator: RunningEmulator, lean_client: SoapIlsClient
) -> None:
    emulator.faults.update({"soap_fault": 1.0})
    with pytest.raises(IlsUnavailable) as failed:
        await lean_client.get_accounts([CAMILLE])
    assert "server fault INTERNAL_ERROR" in failed.value.reason
    emulator.faults.update({"soap_fault": 0.0})
    assert (await lean_client.get_accounts([CAMILLE]))[0] is not None


async def test_a_client_fault_on_a_hot_look_up_is_the_ils_refusal(lean_client: SoapIlsClient) -> None:
    with pytest.raises(IlsRejected) as refused:
        await lean_client.get_items([""])  # not an ils:Id (minLength 1): the ILS refuses the request
    assert refused.value.code == "INVALID_INPUT"


async def test_an_outage_on_a_hot_look_up_is_unavailable(
    emulator: RunningEmulator, lean_client: SoapIlsClient
) -> None:
    emulator.faults.update({"outage": True})
    with pytest.raises(IlsUnavailable) as down:
        await lean_client.get_titles(["T1"])
    assert "HTTP 503" in down.value.reason

"""The emulator with its SOAP side off (`--no-soap`): no WSDL, the admin API still there, and
every SIP2 answer a SIP2-only gateway needs (63 lists by summary, 17, 29, 65, 15), timed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.ils.sip2 import messages as m
from emulator.cli import add_arguments, config_from
from emulator.runner import RunningEmulator
from emulator.seed import BARCODES, CAMILLE, FURTIFS, HORDE
from tests.integration.sip2_peer import CAMILLE_PASSWORD, NOW, Peer, close_all, connect

CHARGED, OVERDUE, HOLDS, UNAVAILABLE = "  Y       ", " Y        ", "Y         ", "     Y    "


@pytest.fixture
def sip2_only(sip2_only_emulator: RunningEmulator) -> RunningEmulator:
    """The emulator with its SOAP side off."""
    return sip2_only_emulator


@pytest.fixture
async def acs(sip2_only: RunningEmulator) -> AsyncIterator[Peer]:
    peer = await connect(sip2_only)
    assert await peer.login() == m.LoginResponse(ok=True)
    yield peer
    await close_all()


def test_the_command_line_turns_soap_off() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert config_from(parser.parse_args(["--db", "x.db"])).soap is True
    assert config_from(parser.parse_args(["--db", "x.db", "--no-soap"])).soap is False


async def test_no_wsdl_but_the_admin_api(sip2_only: RunningEmulator) -> None:
    assert sip2_only.soap is False
    async with httpx.AsyncClient() as http:
        wsdl = await http.get(sip2_only.wsdl_url)
        call = await http.post(sip2_only.soap_url, content=b"<x/>")
        stats = await http.get(f"{sip2_only.admin_url}/stats")
    assert wsdl.status_code == 404 and call.status_code in (404, 405)
    assert stats.status_code == 200 and stats.json()["soap"] == {}


async def _info(acs: Peer, summary: str, **fields: object) -> m.PatronInformationResponse:
    answer = await acs.ask(
        m.PatronInformationRequest(
            transaction_date=NOW,
            summary=summary,
            patron_identifier=CAMILLE,
            start_item=1,
            end_item=100,
            **fields,  # type: ignore[arg-type]
        )
    )
    assert isinstance(answer, m.PatronInformationResponse)
    return answer


async def test_patron_information_gives_each_list_by_summary(acs: Peer) -> None:
    signed = await _info(acs, " " * 10, patron_password=CAMILLE_PASSWORD)
    assert signed.valid_patron and signed.valid_patron_password and signed.personal_name == "Camille Martin"
    assert signed.email_address == "camille.martin@example.org"
    assert (signed.charged_items_count, signed.overdue_items_count) == (7, 1)
    assert (signed.hold_items_count, signed.unavailable_holds_count) == (1, 2)
    charged = await _info(acs, CHARGED)
    assert len(charged.charged_items) == 7 and BARCODES[HORDE] in charged.charged_items
    assert not charged.overdue_items and not charged.hold_items
    overdue = await _info(acs, OVERDUE)
    assert len(overdue.overdue_items) == 1 and not overdue.charged_items
    assert (await _info(acs, HOLDS)).hold_items == ("T-HADRIEN",)
    assert set((await _info(acs, UNAVAILABLE)).unavailable_hold_items) == {"T-MISERABLES", "T-CONSENTEMENT"}


async def test_item_renew_renew_all_and_holds(acs: Peer) -> None:
    item = await acs.ask(m.ItemInformationRequest(transaction_date=NOW, item_identifier=BARCODES[HORDE]))
    assert isinstance(item, m.ItemInformationResponse)
    assert item.circulation_status == "04" and item.title_identifier == "La Horde du Contrevent"
    assert item.due_date and item.permanent_location == "DURAS" and item.hold_queue_length == 0
    refused = await acs.ask(
        m.RenewRequest(transaction_date=NOW, patron_identifier=CAMILLE, item_identifier=BARCODES[FURTIFS])
    )
    assert isinstance(refused, m.RenewResponse) and not refused.ok and refused.screen_messages
    everything = await acs.ask(m.RenewAllRequest(transaction_date=NOW, patron_identifier=CAMILLE))
    assert isinstance(everything, m.RenewAllResponse) and everything.ok
    assert BARCODES[HORDE] in everything.renewed_items and BARCODES[FURTIFS] in everything.unrenewed_items
    placed = await acs.ask(
        m.HoldRequest(
            hold_mode="+",
            transaction_date=NOW,
            pickup_location="DURAS",
            hold_type="2",
            patron_identifier=CAMILLE,
            title_identifier="T-BOVARY",
        )
    )
    assert isinstance(placed, m.HoldResponse) and placed.ok and placed.queue_position
    cancelled = await acs.ask(
        m.HoldRequest(
            hold_mode="-", transaction_date=NOW, patron_identifier=CAMILLE, title_identifier="T-BOVARY"
        )
    )
    assert isinstance(cancelled, m.HoldResponse) and cancelled.ok


async def test_the_timeline_groups_dependent_calls_in_levels(sip2_only: RunningEmulator, acs: Peer) -> None:
    sip2_only.stats.reset()
    await _info(acs, CHARGED)
    await acs.ask(m.ItemInformationRequest(transaction_date=NOW, item_identifier=BARCODES[HORDE]))
    assert sip2_only.stats.sip2_levels() == [["63"], ["17"]]
    async with httpx.AsyncClient() as http:
        levels = (await http.get(f"{sip2_only.admin_url}/stats/sip2-levels")).json()
    assert levels == {"levels": [["63"], ["17"]]}
    sip2_only.stats.reset()
    assert sip2_only.stats.sip2_levels() == [] and sip2_only.stats.sip2_timeline() == []


async def test_the_sip2_only_port_reads_counts_and_fees_from_the_64(sip2_only: RunningEmulator) -> None:
    from adapters.ils.models import AccountCounts, AccountParts
    from adapters.ils.sip2.config import Sip2Config
    from adapters.ils.sip2_only import open_sip2_only_ils
    from emulator.seed import NADIA

    config = Sip2Config(sip2_only.sip2_host, sip2_only.sip2_port, "gateway", "gateway", size=4)
    async with open_sip2_only_ils(config) as ils:
        camille, nadia = await ils.get_accounts([CAMILLE, NADIA], AccountParts(fees=True))
        (without_fees,) = await ils.get_accounts([NADIA])
    assert camille is not None and nadia is not None and without_fees is not None
    assert camille.counts == AccountCounts(loans=7, overdue=1, holds=3) and camille.fees == ()
    assert nadia.counts == AccountCounts(loans=1, overdue=0, holds=0)
    # Nadia's 12.50 EUR of late fees (seed), as the 64's BV/BH say: one total, SIP2 does not itemize.
    assert [(fee.amount_cents, fee.currency) for fee in nadia.fees] == [(1250, "EUR")]
    assert without_fees.fees == ()  # asked only when the parts say so

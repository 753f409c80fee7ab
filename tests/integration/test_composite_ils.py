"""CompositeIls over the whole emulator: SIP2 writes are seen by SOAP reads, health covers both."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.ils.composite import CompositeIls, open_composite_ils
from adapters.ils.models import HoldStatus
from adapters.ils.sip2.config import Sip2Config
from emulator import seed
from emulator.runner import RunningEmulator
from emulator.seed import CAMILLE, INES


@pytest.fixture
async def ils(emulator: RunningEmulator) -> AsyncIterator[CompositeIls]:
    config = Sip2Config(
        host=emulator.sip2_host, port=emulator.sip2_port, user="gateway", password="gateway", size=2
    )
    async with open_composite_ils(config, emulator.wsdl_url, soap_timeout=5.0) as port:
        yield port


async def test_sign_in_over_sip2_and_read_over_soap(ils: CompositeIls) -> None:
    authentication = await ils.authenticate(CAMILLE, "14071985")
    assert authentication.ok and authentication.display_name
    [patron] = await ils.find_patrons(card_number=CAMILLE)
    assert patron.display_name == "Camille Martin"


async def test_a_sip2_renewal_is_seen_by_the_soap_read(ils: CompositeIls) -> None:
    [before] = await ils.get_accounts([INES])
    assert before is not None
    [loan] = before.loans
    outcome = await ils.renew(INES, loan.item_id)
    assert outcome.ok, outcome.message
    [after] = await ils.get_accounts([INES])
    assert after is not None
    [renewed] = after.loans
    assert renewed.renewal_count == loan.renewal_count + 1
    assert renewed.due_date == outcome.due_date and renewed.due_date > loan.due_date


async def test_a_sip2_hold_is_queued_in_the_soap_read(ils: CompositeIls) -> None:
    outcome = await ils.place_hold(INES, seed.NOTREDAME, "DURAS")
    assert outcome.ok, outcome.message
    [account] = await ils.get_accounts([INES])
    assert account is not None
    [hold] = [h for h in account.holds if h.title_id == seed.NOTREDAME]
    assert (hold.status, hold.pickup_library_code, hold.queue_position) == (HoldStatus.WAITING, "DURAS", 1)


async def test_health_covers_both_protocols(ils: CompositeIls, emulator: RunningEmulator) -> None:
    assert [(h.name, h.ok) for h in await ils.health()] == [("sip2", True), ("soap", True)]
    emulator.faults.update({"outage": True})
    health = {h.name: h.ok for h in await ils.health()}
    assert health["soap"] is False

"""SoapIlsClient under SOAP faults: outage, Server fault, latency past the timeout, ILS down."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from adapters.errors import IlsUnavailable, OutcomeUnknown
from adapters.ils.soap.client import SoapIlsClient
from emulator.runner import RunningEmulator
from emulator.seed import CAMILLE


def soap_calls(emulator: RunningEmulator, operation: str) -> int:
    """SOAP round trips of `operation` the emulator has served."""
    return emulator.stats.snapshot()["soap"].get(operation, 0)


async def test_outage_is_unavailable(emulator: RunningEmulator) -> None:
    async with await SoapIlsClient.create(emulator.wsdl_url) as client:
        emulator.faults.update({"outage": True})
        with pytest.raises(IlsUnavailable) as down:
            await client.get_accounts([CAMILLE])
        assert down.value.dependency == "soap" and "503" in down.value.reason
        health = await client.health()
        assert not health.ok
        emulator.faults.update({"outage": False})
        assert (await client.health()).ok


async def test_server_fault_is_unavailable_and_a_write_is_not_applied(emulator: RunningEmulator) -> None:
    async with await SoapIlsClient.create(emulator.wsdl_url) as client:
        emulator.faults.update({"soap_fault": 1.0})
        with pytest.raises(IlsUnavailable) as failed:
            await client.get_libraries()
        assert "INTERNAL_ERROR" in failed.value.reason
        with pytest.raises(IlsUnavailable):
            await client.update_contact(CAMILLE, email="x@example.org", phone=None, mobile=None)
        emulator.faults.update({"soap_fault": 0.0})
        [camille] = await client.find_patrons(card_number=CAMILLE)
        assert camille.email == "camille.martin@example.org"


async def test_latency_past_the_timeout(emulator: RunningEmulator) -> None:
    async with await SoapIlsClient.create(emulator.wsdl_url, call_timeout=0.1) as client:
        emulator.faults.update({"soap_latency_ms": 600})
        started = time.monotonic()
        with pytest.raises(IlsUnavailable):
            await client.get_accounts([CAMILLE])
        assert time.monotonic() - started < 0.5


async def test_lost_answer_to_the_write_is_outcome_unknown(emulator: RunningEmulator) -> None:
    async with await SoapIlsClient.create(emulator.wsdl_url, call_timeout=0.1) as client:
        emulator.faults.update({"soap_latency_ms": 600})
        with pytest.raises(OutcomeUnknown) as unknown:
            await client.update_contact(CAMILLE, email="late@example.org", phone=None, mobile=None)
        assert unknown.value.operation == "updateContactInfo"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_ils_down_at_start_up_then_calls_fail_fast() -> None:
    port = _closed_port()
    client = await SoapIlsClient.create(
        f"http://127.0.0.1:{port}/ils?wsdl", call_timeout=1.0, load_timeout=1.0
    )
    try:
        with pytest.raises(IlsUnavailable) as down:
            await client.get_libraries()
        assert "WSDL" in down.value.reason
        assert not (await client.health()).ok
    finally:
        await client.close()


async def test_outage_at_start_up_then_the_wsdl_loads_on_a_later_call(emulator: RunningEmulator) -> None:
    emulator.faults.update({"outage": True})
    async with await SoapIlsClient.create(emulator.wsdl_url) as client:
        with pytest.raises(IlsUnavailable) as down:
            await client.get_libraries()
        assert "WSDL" in down.value.reason
        emulator.faults.update({"outage": False})
        assert len(await client.get_libraries()) == 9


async def test_concurrent_first_calls_share_one_wsdl_load(emulator: RunningEmulator) -> None:
    async with SoapIlsClient(emulator.wsdl_url) as client:  # not loaded yet: first call loads it
        libraries, accounts = await asyncio.gather(client.get_libraries(), client.get_accounts([CAMILLE]))
        assert len(libraries) == 9 and accounts[0] is not None


async def test_concurrent_calls(emulator: RunningEmulator) -> None:
    async with await SoapIlsClient.create(emulator.wsdl_url) as client:
        results = await asyncio.gather(*(client.get_accounts([CAMILLE]) for _ in range(20)))
        assert all(r[0] is not None and len(r[0].loans) == 7 for r in results)
        assert soap_calls(emulator, "lookupAccounts") == 20

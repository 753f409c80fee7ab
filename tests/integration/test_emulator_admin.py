"""The emulator's admin API (fault knobs, round-trip counters) over HTTP, and its loopback-only rule."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import decode, encode
from emulator.faults import FaultInjector
from emulator.http import create_http_app
from emulator.runner import RunningEmulator
from emulator.seed import DEMO_TODAY
from emulator.stats import Stats

DEFAULTS = {
    "sip2_latency_ms": 0.0,
    "soap_latency_ms": 0.0,
    "jitter_ms": 0.0,
    "drop_before_write": 0.0,
    "drop_after_write": 0.0,
    "bad_checksum": 0.0,
    "no_answer": 0.0,
    "soap_fault": 0.0,
    "garbled_request": 0.0,
    "outage": False,
}


async def test_get_and_change_faults(emulator: RunningEmulator) -> None:
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{emulator.admin_url}/faults")).json() == DEFAULTS
        changed = await http.post(
            f"{emulator.admin_url}/faults", json={"sip2_latency_ms": 10, "outage": True}
        )
        assert changed.status_code == 200
        assert changed.json() == DEFAULTS | {"sip2_latency_ms": 10.0, "outage": True}
        assert (await http.get(f"{emulator.admin_url}/faults")).json()["outage"] is True
    assert emulator.faults.settings.sip2_latency_ms == 10.0


@pytest.mark.parametrize(
    "body",
    [
        b'{"nonsense": 1}',
        b'{"bad_checksum": 1.5}',
        b'{"drop_after_write": -0.1}',
        b'{"outage": 1}',
        b'{"jitter_ms": "fast"}',
        b'{"sip2_latency_ms": true}',
        b"[1, 2]",
        b"not json",
    ],
)
async def test_bad_fault_settings_are_refused_and_change_nothing(
    emulator: RunningEmulator, body: bytes
) -> None:
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{emulator.admin_url}/faults", content=body, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 400 and answer.json()["error"]
        assert (await http.get(f"{emulator.admin_url}/faults")).json() == DEFAULTS


async def test_a_bad_key_among_good_ones_changes_nothing(emulator: RunningEmulator) -> None:
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{emulator.admin_url}/faults", json={"no_answer": 0.5, "typo": 1})
        assert answer.status_code == 400
    assert emulator.faults.settings.no_answer == 0.0


async def _sip2_round_trips(emulator: RunningEmulator) -> None:
    reader, writer = await asyncio.open_connection(emulator.sip2_host, emulator.sip2_port)
    for sequence, message in enumerate(
        [m.LoginRequest(login_user_id="gateway", login_password="gateway"), m.SCStatus(), m.SCStatus()]
    ):
        writer.write(encode(message, sequence=sequence))
        decode(await reader.readuntil(b"\r"))
    writer.close()
    await writer.wait_closed()


async def test_stats_count_sip2_messages_and_soap_calls_until_reset(emulator: RunningEmulator) -> None:
    await _sip2_round_trips(emulator)
    envelope = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:ils="urn:ils-gateway:ils:1"><soapenv:Body><ils:lookupLibraries/></soapenv:Body></soapenv:Envelope>'
    )
    async with httpx.AsyncClient() as http:
        await http.post(
            emulator.soap_url, content=envelope, headers={"content-type": "text/xml; charset=utf-8"}
        )
        stats = (await http.get(f"{emulator.admin_url}/stats")).json()
        assert stats == {"sip2": {"93": 1, "99": 2}, "soap": {"lookupLibraries": 1}}
        assert (await http.post(f"{emulator.admin_url}/stats/reset")).json() == {"sip2": {}, "soap": {}}
        assert (await http.get(f"{emulator.admin_url}/stats")).json() == {"sip2": {}, "soap": {}}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/faults"),
        ("POST", "/admin/faults"),
        ("GET", "/admin/stats"),
        ("POST", "/admin/stats/reset"),
    ],
)
async def test_the_admin_api_refuses_clients_that_are_not_loopback(
    emulator: RunningEmulator, method: str, path: str
) -> None:
    faults, stats = FaultInjector(), Stats()
    app = create_http_app(emulator.db_path, faults, stats, lambda: DEMO_TODAY)
    transport = httpx.ASGITransport(app=app, client=("192.0.2.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://ils.example") as http:
        answer = await http.request(method, path, json={"outage": True})
    assert answer.status_code == 403
    assert faults.settings.outage is False

"""The SOAP hot path's transport and client CPU: httpx against aiohttp, and SoapIlsClient.get_accounts.

Against the emulator in a child process (`_emulator_process.py`, 0 ms latency), the same
lookupAccounts request for Camille (25 loans, 10 holds; about 11 KB answered) posted 400
times in a row and 32 at a time (30 rounds) by httpx (tuned limits, HTTP/1.1) and by
aiohttp, then through the gateway's own client (`get_accounts`, which uses aiohttp and the
lean reader). Prints CPU of this process per call (the figure that matters on a 2-core
machine), wall time per call, and calls per second under concurrency (bounded by the
emulator's own CPU). Run: `.venv/bin/python bench/soap_transport.py`.
Not a test; tests never import it.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import _data
import aiohttp
import httpx
from _emulator_process import EmulatorProcess

from adapters.ils.soap import lean
from adapters.ils.soap.client import SoapIlsClient
from emulator.runner import ensure_seeded
from emulator.seed import CAMILLE, DEMO_TODAY

Call = Callable[[], Awaitable[object]]


async def in_a_row(call: Call, count: int = 400) -> tuple[float, float]:
    """(CPU ms, wall ms) per call, one at a time."""
    for _ in range(20):
        await call()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        await call()
    return (time.process_time() - cpu) / count * 1000, (time.perf_counter() - wall) / count * 1000


async def concurrently(call: Call, clients: int = 32, rounds: int = 30) -> tuple[float, float]:
    """(CPU ms per call, calls per second), `clients` at a time."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        await asyncio.gather(*(call() for _ in range(clients)))
    calls = clients * rounds
    return (time.process_time() - cpu) / calls * 1000, calls / (time.perf_counter() - wall)


def _row(name: str, one: tuple[float, float], many: tuple[float, float]) -> str:
    return f"  {name:<26} {one[0]:6.2f} {one[1]:7.2f}    {many[0]:6.2f} {many[1]:8.0f}"


async def main(wsdl_url: str) -> None:
    client = await SoapIlsClient.create(wsdl_url)
    operation = client._lean["lookupAccounts"]  # the request the client sends
    body = lean.request(
        operation,
        {"patronId": [CAMILLE], "includeCheckouts": True, "includeHolds": True, "includeFees": False},
    )
    url, headers = client._endpoint_url, operation.headers()
    print("lookupAccounts of Camille, emulator at 0 ms latency")
    print(f"  {'':<26} {'1 at a time':>14}    {'32 at a time':>15}")
    print(f"  {'':<26} {'CPU ms':>6} {'wall ms':>7}    {'CPU ms':>6} {'calls/s':>8}")
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits) as h, aiohttp.ClientSession() as a:

        async def by_httpx() -> bytes:
            return (await h.post(url, content=body, headers=headers)).content

        async def by_aiohttp() -> bytes:
            async with a.post(url, data=body, headers=headers) as response:
                return await response.read()

        for _ in range(2):  # alternating rounds
            print(_row("httpx post", await in_a_row(by_httpx), await concurrently(by_httpx)))
            print(_row("aiohttp post", await in_a_row(by_aiohttp), await concurrently(by_aiohttp)))

    def accounts() -> Awaitable[object]:
        return client.get_accounts([CAMILLE])

    print(_row("SoapIlsClient.get_accounts", await in_a_row(accounts), await concurrently(accounts)))
    await client.close()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        db = Path(directory) / "ils.sqlite"
        ensure_seeded(db, DEMO_TODAY)
        _data.camille_dashboard(db, DEMO_TODAY)
        with EmulatorProcess(db) as emulator:
            asyncio.run(main(emulator.wsdl_url))

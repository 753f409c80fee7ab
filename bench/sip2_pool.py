"""SIP2 round trips per second through the gateway's pool, against the emulator in a child process.

For pool sizes 1, 4 and 16 at emulator latencies 0 and 10 ms, keeps the pool saturated with
item-information reads (twice as many workers as connections) for a few seconds and prints
the throughput and its ratio to the bound, pool size / latency (one request in flight per
connection, nothing but the latency costing time). The ILS's own service time s (the
emulator's CPU per message at latency 0, one connection) is printed too, and the bound that
includes it, bound' = pool size / (latency + s): what no client can beat.

The emulator runs in a child process (bench/_emulator_process.py; latency set through its
admin API), so its CPU does not compete with the client's under the GIL or on one event loop.
CPU columns: per round trip, of this process (the client) and of the emulator process.
Run: `.venv/bin/python bench/sip2_pool.py [--seconds 3]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _emulator_process import EmulatorProcess

from adapters.ils.sip2.client import Sip2Client
from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.pool import Sip2Pool
from emulator.seed import BARCODES

POOL_SIZES = (1, 4, 16)
LATENCIES_MS = (0.0, 10.0)


@dataclass(frozen=True)
class Figure:
    """One measurement: round trips per second, and CPU seconds per round trip on each side."""

    rate: float
    client_cpu: float
    emulator_cpu: float


async def _measure(emu: EmulatorProcess, size: int, seconds: float) -> Figure:
    """Round trips per second with `size` connections kept busy for `seconds`."""
    config = Sip2Config(emu.sip2_host, emu.sip2_port, "gateway", "gateway", size=size, timeout=10.0)
    async with Sip2Pool(config) as pool:
        client = Sip2Client(pool)
        await asyncio.gather(*(client.health() for _ in range(size)))  # open and log in first
        done = 0
        deadline = time.monotonic() + seconds

        async def worker() -> None:
            nonlocal done
            while time.monotonic() < deadline:
                await client.item_information(BARCODES["T-PRINCE"])
                done += 1

        cpu, emulator_cpu, started = time.process_time(), emu.cpu(), time.monotonic()
        await asyncio.gather(*(worker() for _ in range(2 * size)))
        wall = time.monotonic() - started
        return Figure(done / wall, (time.process_time() - cpu) / done, (emu.cpu() - emulator_cpu) / done)


def _row(size: int, latency_ms: float, figure: Figure, service: float) -> str:
    cpu = f"{figure.client_cpu * 1e6:7.0f}us {figure.emulator_cpu * 1e6:7.0f}us"
    if not latency_ms:
        return f"{size:>4} {latency_ms:>6.0f}ms {figure.rate:>9.0f} {'-':>7} {'-':>5} {'-':>8} {'-':>6} {cpu}"
    bound = size / (latency_ms / 1000)
    bound_with_service = size / (latency_ms / 1000 + service)
    return (
        f"{size:>4} {latency_ms:>6.0f}ms {figure.rate:>9.0f} {bound:>7.0f} {figure.rate / bound:5.2f}"
        f" {bound_with_service:>8.0f} {figure.rate / bound_with_service:6.2f} {cpu}"
    )


async def main(emu: EmulatorProcess, seconds: float) -> None:
    print(
        f"{'pool':>4} {'latency':>8} {'trips/s':>9} {'bound/s':>7} {'ratio':>5} bound'/s"
        f" ratio' {'CPU/trip: client':>18} {'emulator':>9}"
    )
    service = 0.0
    for latency in LATENCIES_MS:
        emu.set_faults(sip2_latency_ms=latency)
        for size in POOL_SIZES:
            figure = await _measure(emu, size, seconds)
            if not latency and size == 1:
                service = figure.emulator_cpu  # one message at a time: the ILS's own service time
            print(_row(size, latency, figure, service), flush=True)
    print(
        f"service time s (emulator CPU per message, latency 0, pool 1): {service * 1e6:.0f} us;"
        " bound' = pool size / (latency + s), ratio' = trips/s / bound'"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each measurement")
    arguments = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as directory,
        EmulatorProcess(Path(directory) / "ils.db", size="small") as emulator,
    ):
        asyncio.run(main(emulator, arguments.seconds))

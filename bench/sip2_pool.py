"""SIP2 round trips per second through the gateway's pool, against the in-process emulator.

For pool sizes 1, 4 and 16 at emulator latencies 0 and 10 ms, keeps the pool saturated with
item-information reads (twice as many workers as connections) for a few seconds and prints
the throughput and its ratio to the bound (pool size / latency: one request in flight per
connection). Run: `.venv/bin/python bench/sip2_pool.py [--seconds 3]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from adapters.ils.sip2.client import Sip2Client
from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.pool import Sip2Pool
from emulator.runner import EmulatorConfig, RunningEmulator, run_emulator
from emulator.seed import BARCODES, DEMO_TODAY

POOL_SIZES = (1, 4, 16)
LATENCIES_MS = (0.0, 10.0)


async def _measure(emu: RunningEmulator, size: int, seconds: float) -> float:
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

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(2 * size)))
        return done / (time.monotonic() - started)


async def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as directory:
        config = EmulatorConfig(db_path=Path(directory) / "ils.db", size="small", today=lambda: DEMO_TODAY)
        async with run_emulator(config) as emu:
            print(f"{'pool':>4} {'latency':>8} {'round trips/s':>14} {'bound/s':>9} {'ratio':>6}")
            for latency in LATENCIES_MS:
                emu.faults.update({"sip2_latency_ms": latency})
                for size in POOL_SIZES:
                    rate = await _measure(emu, size, seconds)
                    bound = size / (latency / 1000) if latency else None
                    bound_text = f"{bound:9.0f}" if bound else f"{'-':>9}"
                    ratio = f"{rate / bound:6.2f}" if bound else f"{'-':>6}"
                    print(f"{size:>4} {latency:>6.0f}ms {rate:>14.0f} {bound_text} {ratio}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each measurement")
    asyncio.run(main(parser.parse_args().seconds))

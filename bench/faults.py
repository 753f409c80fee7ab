"""Fault suite: 1,000 writes through the served CLI while the emulator drops, hangs and garbles.

`ils-gateway serve` (production mode) in its own process, the emulator in another
(`_emulator_process.py`). The suite's patrons sign in while the ILS is healthy; then the
emulator injects drop_before_write, drop_after_write, no_answer and bad_checksum (5 % each,
20 % in all, per SIP2 message) and the suite sends `--writes` requests — renewLoans,
renewAllLoans, placeHold (half with an idempotency key), cancelHold — `--concurrency` patrons
at a time, each patron's writes in order (`emulator/write_traffic.py`). Every answer is judged
against the emulator's database read just before and after its write, and the final state
against what the answers imply (`emulator/write_audit.py`): lost, doubled, untrue, drift, and
the counts per outcome. Exit status 1 unless all four are 0.

    .venv/bin/python bench/faults.py [--writes 1000] [--profile composite|sip2] [--soap-fault 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
from _emulator_process import EmulatorProcess
from _served import ServedGateway

from emulator.runner import ensure_seeded
from emulator.write_audit import Audit
from emulator.write_traffic import Cast, drive, prepare_cast, sign_in

FAULTS = {"drop_before_write": 0.05, "drop_after_write": 0.05, "no_answer": 0.05, "bad_checksum": 0.05}


async def _run(
    url: str, emulator: EmulatorProcess, db_path: Path, cast: Cast, arguments: argparse.Namespace
) -> Audit:
    limits = httpx.Limits(max_connections=arguments.concurrency + 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        readers = await sign_in(client, cast)
        faults = FAULTS | ({"soap_fault": arguments.soap_fault} if arguments.soap_fault else {})
        emulator.set_faults(**faults)
        try:
            audit = await drive(
                client,
                db_path,
                cast,
                readers,
                writes=arguments.writes,
                seed=arguments.seed,
                concurrency=arguments.concurrency,
            )
        finally:
            emulator.set_faults(**dict.fromkeys(faults, 0.0))
        # What the gateway saw of the ILS meanwhile (its /metrics): calls by outcome, circuit openings.
        metrics = (await client.get("/metrics")).text.splitlines()
        wanted = ("gateway_ils_calls_total", "gateway_breaker_opened_total")
        print("\n".join(line for line in metrics if line.startswith(wanted)))
        return audit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--patrons", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=("composite", "sip2"), default="composite")
    parser.add_argument("--sip2-timeout", type=float, default=0.5)
    # Composite: SOAP server faults too, so that re-reads after a lost answer fail now and then.
    parser.add_argument("--soap-fault", type=float, default=0.0)
    arguments = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory() as directory:
        db_path = Path(directory) / "ils.sqlite"
        ensure_seeded(db_path, today)
        cast = prepare_cast(db_path, today, patrons=arguments.patrons, loans=6, titles=24)
        soap = arguments.profile == "composite"
        environment = {
            "GATEWAY_ILS_SIP2_TIMEOUT": str(arguments.sip2_timeout),
            "GATEWAY_ILS_SIP2_POOL_SIZE": "4",
        }
        with EmulatorProcess(db_path, demo_today=False, soap=soap) as emulator:
            if not soap:
                # SIP2 has no list of libraries: the pickup library comes from the operator's file.
                libraries = Path(directory) / "libraries.json"
                libraries.write_text(json.dumps([{"code": "DURAS", "name": "Duras", "acceptsPickup": True}]))
                environment |= {
                    "GATEWAY_ILS_SOAP_WSDL": "",
                    "GATEWAY_ILS_PROFILE": "sip2",
                    "GATEWAY_ILS_LIBRARIES_FILE": str(libraries),
                }
            with ServedGateway(
                sip2_address=emulator.sip2_address,
                wsdl_url=emulator.wsdl_url,
                database_url=f"sqlite+aiosqlite:///{Path(directory) / 'gateway.sqlite'}",
                environment=environment,
            ) as gateway:
                started = time.monotonic()
                audit = asyncio.run(_run(gateway.url, emulator, db_path, cast, arguments))
                seconds = time.monotonic() - started
    figures = {"profile": arguments.profile, "requests": arguments.writes, "seconds": round(seconds, 1)}
    print(json.dumps(figures | audit.figures(), indent=2))
    for name in ("lost", "doubled", "untrue", "drift"):
        for line in getattr(audit, name)[:10]:
            print(f"{name}: {line}")
    return 0 if audit.clean else 1


if __name__ == "__main__":
    sys.exit(main())

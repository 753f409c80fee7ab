"""The SIP2-only profile's Dashboard: SIP2 round trips, levels and p50 at 10 ms ILS latency.

The emulator runs with its SOAP side off (`--no-soap`) in a child process; the gateway is the
real CLI (`ils-gateway serve`, GATEWAY_ILS_SOAP_WSDL empty) in another. A bench patron gets 5,
20 or 40 loans; for pool sizes 4 and 16 one client sends the contract's Dashboard over keep-alive
HTTP, one request at a time. Printed per configuration: SIP2 round trips per Dashboard (logins
and status left out), the levels of dependent calls (63s, then 17s: 2 whatever the loans), the
waves the timeline shows (a pool smaller than the 17s to send makes several waves of one level),
p50, and the ratios p50 / (levels x 10 ms), the critical path DESIGN.md counts, and
p50 / (waves x 10 ms), the critical path the pool allows. Not a test; tests never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _data
from _emulator_process import EmulatorProcess
from _served import ROOT, ServedGateway, Timeline

from emulator.runner import ensure_seeded
from gateway.serve import seed_demo_portal

LATENCY_MS = 10.0
DASHBOARD = (ROOT / "contract" / "operations" / "dashboard.graphql").read_text()
LOGIN = "mutation($c: String!, $p: String!) { login(identifier: $c, password: $p) { token errors { code } } }"


@contextmanager
def _setup(loans: int, pool_size: int) -> Iterator[tuple[EmulatorProcess, ServedGateway, Timeline]]:
    today = date.today()
    with tempfile.TemporaryDirectory() as directory:
        ils_db, timeline_path = Path(directory) / "ils.sqlite", Path(directory) / "timeline.txt"
        ensure_seeded(ils_db, today)
        _data.bench_patrons(ils_db, today, 1, loans)  # a patron with exactly `loans` loans
        with sqlite3.connect(ils_db) as db:
            rows = db.execute("SELECT code, name, accepts_pickup FROM libraries").fetchall()
        libraries = Path(directory) / "libraries.json"
        libraries.write_text(
            json.dumps([{"code": c, "name": n, "acceptsPickup": bool(p)} for c, n, p in rows])
        )
        gateway_db = f"sqlite+aiosqlite:///{Path(directory) / 'gateway.sqlite'}"
        asyncio.run(seed_demo_portal(gateway_db))  # Camille sees Léo
        with (
            EmulatorProcess(ils_db, timeline_path=timeline_path, demo_today=False, soap=False) as emulator,
            ServedGateway(
                sip2_address=emulator.sip2_address,
                wsdl_url="",
                database_url=gateway_db,
                pool_size=pool_size,
                environment={"GATEWAY_ILS_LIBRARIES_FILE": str(libraries)},
            ) as gateway,
        ):
            yield emulator, gateway, Timeline(timeline_path)


def _sip2_levels(timeline: Timeline) -> list[list[str]]:
    calls = [call for call in timeline.calls() if call.name not in ("sip2:93", "sip2:99")]
    grouped: list[list[float]] = []
    names: list[list[str]] = []
    for call in calls:
        if not grouped or call.started >= min(grouped[-1]):
            grouped.append([])
            names.append([])
        grouped[-1].append(call.ended)
        names[-1].append(call.name)
    return names


def measure(loans: int, pool_size: int, requests: int) -> str:
    with (
        _setup(loans, pool_size) as (emulator, gateway, timeline),
        httpx.Client(base_url=gateway.url) as client,
    ):
        credentials = {"c": _data.bench_card(0), "p": _data.BENCH_PASSWORD}
        login = client.post("/graphql", json={"query": LOGIN, "variables": credentials}).json()["data"][
            "login"
        ]
        headers = {"Authorization": f"Bearer {login['token']}"}
        emulator.set_faults(sip2_latency_ms=LATENCY_MS)
        for _ in range(3):  # opens the pool's connections
            client.post("/graphql", json={"query": DASHBOARD}, headers=headers)
        timeline.mark()
        body = client.post("/graphql", json={"query": DASHBOARD}, headers=headers).json()
        assert "errors" not in body, body.get("errors")
        waves = _sip2_levels(timeline)
        round_trips = sum(len(wave) for wave in waves)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.post("/graphql", json={"query": DASHBOARD}, headers=headers)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        p50 = statistics.median(times) * 1000
    levels = 2
    return (
        f"| {loans} | {pool_size} | {round_trips} | {levels} | {len(waves)} | {p50:.1f} ms"
        f" | {p50 / (levels * LATENCY_MS):.2f} | {p50 / (len(waves) * LATENCY_MS):.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="Dashboards timed per configuration")
    arguments = parser.parse_args()
    print(
        f"SIP2-only Dashboard, {LATENCY_MS:.0f} ms SIP2 latency, 1 client, {arguments.requests} requests each"
    )
    print("| loans | pool | SIP2 round trips | levels | waves | p50 | p50 / (levels x 10 ms)", end="")
    print(" | p50 / (waves x 10 ms) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for loans in (5, 20, 40):
        for pool_size in (4, 16):
            print(measure(loans, pool_size, arguments.requests), flush=True)


if __name__ == "__main__":
    main()

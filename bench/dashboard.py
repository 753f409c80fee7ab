"""The Dashboard (the contract's exact operation) through the served CLI, at 1/8/32/64 clients, 0 and 10 ms.

Prints the ILS round trips of one dashboard (cold and warm) and their levels of dependent calls,
then for each ILS latency and number of keep-alive clients (wrk): p50, p99, req/s, the time a
request waits on the ILS on its critical path (each level as long as the ILS took, median, under
that load), the gateway-added latency (p50 minus that) and the gateway's CPU per request (the
served process's CPU time from /proc). Medians of `--rounds` alternating runs, with their spread.
Optionally (`--in-process`) the CPU per dashboard executed by the same schema without HTTP.

Set-up: the emulator (demo data + generated catalogue, Camille with 25 loans and 10 holds,
seeing Léo's 2 loans) in a child process; `ils-gateway serve` in another (production settings,
SQLite store); wrk in a third. Run: `.venv/bin/python bench/dashboard.py [--rounds 3]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import _data
import httpx
from _emulator_process import EmulatorProcess
from _served import (
    Request,
    ServedGateway,
    Timeline,
    body,
    describe_levels,
    graphql,
    ils_wait,
    load,
    median_spread,
    served,
    sign_in,
)

from emulator.seed import CAMILLE

DASHBOARD = Path(__file__).resolve().parents[1] / "contract" / "operations" / "dashboard.graphql"


@dataclass(frozen=True)
class Figures:
    p50: float
    p99: float
    rate: float
    ils: float
    cpu: float

    @property
    def added(self) -> float:
        return self.p50 - self.ils


class DashboardBench:
    def __init__(self, emulator: EmulatorProcess, gateway: ServedGateway, timeline: Timeline) -> None:
        self.emulator, self.gateway, self.timeline = emulator, gateway, timeline
        self.document = DASHBOARD.read_text(encoding="utf-8")
        self.token = sign_in(gateway.url, CAMILLE, _data.CAMILLE_PASSWORD)
        self.levels: dict[float, list[list[str]]] = {}

    def set_latency(self, ms: float) -> None:
        self.emulator.set_faults(sip2_latency_ms=ms, soap_latency_ms=ms)

    def probe(self, ms: float, label: str) -> None:
        """One dashboard alone: its ILS calls, by level."""
        self.set_latency(ms)
        httpx.post(f"{self.emulator.admin_url}/stats/reset").raise_for_status()
        self.timeline.mark()
        graphql(self.gateway.url, self.token, self.document)
        levels = [[call.name for call in level] for level in self.timeline.levels()]
        calls = sum(len(level) for level in levels)
        print(
            f"  {ms:>2.0f} ms, {label}: {calls} ILS calls in {len(levels)} levels: {describe_levels(levels)}"
        )
        self.levels[ms] = levels

    def run(self, ms: float, clients: int, seconds: float) -> Figures:
        self.set_latency(ms)
        requests = [Request(body(self.document), self.token)]
        load(self.gateway.url, requests, connections=clients, seconds=1)  # warm-up
        self.timeline.mark()
        cpu = self.gateway.cpu()
        result = load(self.gateway.url, requests, connections=clients, seconds=seconds)
        cpu = (self.gateway.cpu() - cpu) / result.requests
        if result.bad or result.socket_errors:
            print(f"    ! {result.bad} bad answers, {result.socket_errors} socket errors")
        wait = ils_wait(self.levels[ms], self.timeline.medians())
        return Figures(result.p50, result.p99, result.rate, wait, cpu)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:6.1f}"


def _row(ms: float, clients: int, runs: list[Figures]) -> str:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    p50, spread = median_spread([f.p50 for f in runs])
    cpu, cpu_spread = median_spread([f.cpu for f in runs])
    return (
        f"  {ms:>4.0f} ms {clients:>4}  p50 {_ms(p50)}  p99 {_ms(med([f.p99 for f in runs]))}"
        f"  {med([f.rate for f in runs]):6.1f} req/s  ILS wait {_ms(med([f.ils for f in runs]))}"
        f"  gateway-added {_ms(med([f.added for f in runs]))}  CPU/req {_ms(cpu)}"
        f"   (spread p50 ±{spread * 50:.0f}%, CPU ±{cpu_spread * 50:.0f}%)"
    )


async def _in_process_cpu(gateway_db: str, emulator: EmulatorProcess, document: str, count: int) -> float:
    """CPU per dashboard executed by the same schema in this process (no HTTP, no session)."""
    from datetime import UTC, datetime

    from gateway.app import create_app
    from gateway.settings import Settings
    from schema.context import Context, Viewer
    from schema.loaders import create_loaders

    settings = Settings(
        ils_sip2_address=emulator.sip2_address,
        ils_soap_wsdl=emulator.wsdl_url,
        database_url=gateway_db,
        secret_key="bench-secret-key",  # type: ignore[arg-type]
        env="production",
    )
    app = create_app(settings, clock=lambda: datetime.now(UTC))
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        schema = app.routes[0].endpoint.schema  # type: ignore[attr-defined]

        async def once() -> None:
            context = Context(
                viewer=Viewer(patron_id=CAMILLE),
                ils=runtime.ils,
                store=runtime.store,
                auth=None,  # type: ignore[arg-type]
                loaders=create_loaders(runtime.ils, runtime.store, runtime.reference_cache),
                today=runtime.today(),
                now=runtime.clock(),
            )
            result = await schema.execute(document, context_value=context)
            assert not result.errors, result.errors

        for _ in range(10):
            await once()
        started = time.process_time()
        for _ in range(count):
            await once()
        return (time.process_time() - started) / count


def main(
    rounds: int,
    seconds: float,
    latencies: list[float],
    clients: list[int],
    in_process: bool,
    code: Path | None,
    workers: int,
) -> None:
    # The Dashboard, not the in-flight bound (64 by default, tests/e2e/test_in_flight_limit.py):
    # requests wrk leaves unanswered at the end of one run would turn the next run's into 503s.
    os.environ.setdefault("GATEWAY_MAX_IN_FLIGHT", str(4 * max(clients)))
    with served(_data.camille_dashboard, code=code, workers=workers) as setup:
        bench = DashboardBench(setup.emulator, setup.gateway, setup.timeline)
        print(f"Dashboard of {CAMILLE}: 25 loans, 10 holds, 1 shared account (2 loans); served CLI, wrk")
        print(f"  {workers} worker process(es), SIP2 pool 4")
        print(f"  gateway RSS after start {setup.gateway.rss() / 2**20:.0f} MB")
        print("ILS calls of one dashboard (levels of dependent calls):")
        bench.probe(latencies[0], "cold")
        for ms in latencies:
            bench.probe(ms, "warm")
        grid = [(ms, n) for ms in latencies for n in clients]
        runs: dict[tuple[float, int], list[Figures]] = {key: [] for key in grid}
        print(f"{rounds} alternating rounds of {seconds:.0f} s per figure; medians:")
        for _ in range(rounds):
            for ms, n in grid:
                runs[ms, n].append(bench.run(ms, n, seconds))
        print(f"  {'ILS':>7} {'clients':>4}")
        for ms, n in grid:
            print(_row(ms, n, runs[ms, n]))
        print(f"  gateway RSS now {setup.gateway.rss() / 2**20:.0f} MB")
        print("  (ILS wait: each level of dependent calls as long as the ILS took to answer it, median;")
        print("   gateway-added = p50 - ILS wait; CPU/req = the served process's CPU time / requests)")
        if in_process:
            setup.emulator.set_faults(sip2_latency_ms=0, soap_latency_ms=0)
            cpu = asyncio.run(_in_process_cpu(setup.gateway_db, setup.emulator, bench.document, 200))
            print(f"In-process (same schema, no HTTP, no session): CPU {cpu * 1000:.1f} ms per dashboard")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (medians are reported)")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each wrk run")
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 10.0], help="ILS latencies (ms)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32, 64], help="keep-alive clients")
    parser.add_argument("--in-process", action="store_true", help="also the CPU of the schema alone")
    parser.add_argument("--code", type=Path, help="serve another checkout of the gateway (before/after)")
    parser.add_argument("--workers", type=int, default=1, help="ils-gateway serve --workers")
    arguments = parser.parse_args()
    main(
        arguments.rounds,
        arguments.seconds,
        arguments.latency,
        arguments.clients,
        arguments.in_process,
        arguments.code,
        arguments.workers,
    )

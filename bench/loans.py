"""The 50-loan pass-through loans query through the served CLI, at 1 and 50 clients, 0 ms ILS latency.

A bench patron with 50 loans asks `me { loans { id dueDate item { id record { id } } } }`
(`_data.PASS_THROUGH`: only what the ILS's account answer carries). Prints the ILS calls of one
query and their levels, then for each number of keep-alive clients (wrk, one worker): req/s,
p50, p99, ILS calls per request, the gateway-added latency (p50 minus the time waiting on the
ILS) and the gateway's CPU per request (the served process's CPU time from /proc), medians of
`--rounds` alternating runs; then the gateway's RSS after start, after the runs and after
`--requests` more requests (10,000 by default, at the largest number of clients).

Targets (issue 9): >= 100 req/s at 50 clients, >= 60 at 1 client, RSS <= 150 MB.
Run: `.venv/bin/python bench/loans.py [--rounds 3] [--seconds 5] [--code DIR]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass
from pathlib import Path

import _data
import httpx
from _served import (
    Request,
    Served,
    body,
    describe_levels,
    graphql,
    ils_wait,
    load,
    median_spread,
    served,
    sign_in,
)


@dataclass(frozen=True)
class Figures:
    p50: float
    p99: float
    rate: float
    calls: float
    ils: float
    cpu: float

    @property
    def added(self) -> float:
        return self.p50 - self.ils


class LoansBench:
    def __init__(self, setup: Served) -> None:
        self.setup = setup
        self.token = sign_in(setup.gateway.url, _data.bench_card(0), _data.BENCH_PASSWORD)
        self.requests = [Request(body(_data.PASS_THROUGH), self.token)]
        self.levels: list[list[str]] = []

    def probe(self) -> None:
        """One query alone: its answer's size and its ILS calls, by level."""
        httpx.post(f"{self.setup.emulator.admin_url}/stats/reset").raise_for_status()
        self.setup.timeline.mark()
        answer = graphql(self.setup.gateway.url, self.token, _data.PASS_THROUGH)
        loans = answer["data"]["me"]["loans"]  # type: ignore[index]
        self.levels = [[call.name for call in level] for level in self.setup.timeline.levels()]
        calls = sum(len(level) for level in self.levels)
        levels = describe_levels(self.levels)
        print(f"  {len(loans)} loans; {calls} ILS calls in {len(self.levels)} levels: {levels}")

    def run(self, clients: int, seconds: float) -> Figures:
        gateway, timeline = self.setup.gateway, self.setup.timeline
        load(gateway.url, self.requests, connections=clients, seconds=1)  # warm-up
        timeline.quiet()
        timeline.mark()
        cpu = gateway.cpu()
        result = load(gateway.url, self.requests, connections=clients, seconds=seconds)
        cpu = (gateway.cpu() - cpu) / result.requests
        timeline.quiet()  # the requests wrk left in flight finish before the next run
        if result.bad or result.socket_errors:
            print(f"    ! {result.bad} bad answers, {result.socket_errors} socket errors")
        calls = len(timeline.calls()) / result.requests
        wait = ils_wait(self.levels, timeline.medians())
        return Figures(result.p50, result.p99, result.rate, calls, wait, cpu)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:6.1f}"


def _row(clients: int, runs: list[Figures]) -> str:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    p50, spread = median_spread([f.p50 for f in runs])
    rate, rate_spread = median_spread([f.rate for f in runs])
    cpu, cpu_spread = median_spread([f.cpu for f in runs])
    return (
        f"  {clients:>4}  {rate:6.1f} req/s  p50 {_ms(p50)}  p99 {_ms(med([f.p99 for f in runs]))}"
        f"  ILS calls/req {med([f.calls for f in runs]):.2f}  ILS wait {_ms(med([f.ils for f in runs]))}"
        f"  gateway-added {_ms(med([f.added for f in runs]))}  CPU/req {_ms(cpu)}"
        f"   (spread req/s ±{rate_spread * 50:.0f}%, p50 ±{spread * 50:.0f}%, CPU ±{cpu_spread * 50:.0f}%)"
    )


def main(rounds: int, seconds: float, clients: list[int], requests: int, code: Path | None) -> None:
    with served(_data.fifty_loans, code=code) as setup:
        setup.emulator.set_faults(sip2_latency_ms=0, soap_latency_ms=0)
        gateway = setup.gateway
        print(f"50-loan pass-through of {_data.bench_card(0)}: {_data.PASS_THROUGH}")
        print(f"  served CLI, 1 worker, ILS 0 ms; gateway RSS after start {gateway.rss() / 2**20:.0f} MB")
        bench = LoansBench(setup)
        bench.probe()
        runs: dict[int, list[Figures]] = {n: [] for n in clients}
        print(f"{rounds} alternating rounds of {seconds:.0f} s per figure; medians:")
        for _ in range(rounds):
            for n in clients:
                runs[n].append(bench.run(n, seconds))
        print(f"  {'clients':>4}")
        for n in clients:
            print(_row(n, runs[n]))
        print("  (ILS wait: each level of dependent calls as long as the ILS took to answer it, median;")
        print("   gateway-added = p50 - ILS wait; CPU/req = the served process's CPU time / requests)")
        print(f"  gateway RSS after the runs {gateway.rss() / 2**20:.0f} MB")
        if requests:
            before, done = gateway.rss(), 0
            while done < requests:  # runs of 5 s (wrk's own stop after n answers is not reliable)
                done += load(gateway.url, bench.requests, connections=max(clients), seconds=5).requests
                setup.timeline.quiet()
            print(
                f"  gateway RSS after {done:,} more requests ({max(clients)} clients):"
                f" {gateway.rss() / 2**20:.0f} MB (was {before / 2**20:.0f} MB)"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (medians are reported)")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each wrk run")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 50], help="keep-alive clients")
    parser.add_argument("--requests", type=int, default=10_000, help="RSS after this many more (0: no)")
    parser.add_argument("--code", type=Path, help="serve another checkout of the gateway (before/after)")
    arguments = parser.parse_args()
    main(arguments.rounds, arguments.seconds, arguments.clients, arguments.requests, arguments.code)

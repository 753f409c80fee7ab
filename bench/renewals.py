"""renewLoans through the served CLI at 64 clients: 1 and 20 loans per request, SIP2 pools of 4 and 16.

Set-up: 64 bench patrons with 40 renewable loans each (`_data.bench_patrons`) in the emulator
(child process, SIP2 latency 10 ms, SOAP latency `--soap-latency`, 0 by default); two served
CLIs on the same emulator, one with a SIP2 pool of 4 and one of 16, both running so the
configurations can alternate. A request renews 1 loan or 20 loans of one patron; consecutive
requests belong to different patrons and no loan is named twice before every loan has been named
once. Each loan can be renewed twice (the emulator's limit, then the gateway's own rule refuses
without asking the ILS), so before every run the loans' renewal counts are reset in the
emulator's database (`_data.reset_renewals`), and a run never renews more than the loans allow.

Printed per configuration (medians of `--rounds` alternating runs of `--seconds`): req/s;
renewals/s (the emulator's answers to SIP2 renew, 29, per second of the run after its first
second; the renewal counts in its database check that the data did not run out); their ratio
to the pool bound (pool size / SIP2 latency) and `ratio'`, to the bound with the emulator's own
time per 29 (pool size / the median 29 the timeline measured); p50/p99; answers that carry a
NOT_APPLIED loan (the ILS was not reached: a SIP2 pool-acquire timeout at this load) and
refusals (ILS_REFUSED, MAX_RENEWALS_REACHED: 0, else the data ran out); ILS calls per request
and the gateway's CPU per request (served process tree, /proc, divided by the requests the
gateway answered).

Targets (issue 9): <= 10 ms CPU per one-loan request; >= 0.85 of the pool bound with 20 loans
at pool 4; no acquire timeouts below the pool's capacity.
Run: `.venv/bin/python bench/renewals.py [--rounds 3] [--seconds 4] [--code DIR]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import date
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
    load,
    median_spread,
    sign_in,
)

from emulator.runner import ensure_seeded
from gateway.serve import seed_demo_portal

PATRONS, LOANS_EACH, RENEWAL_LIMIT = 64, 60, 2
RAMP = 1.0  # seconds of each run left out of renewals/s (connections filling up)
SIP2_LATENCY_MS = 10.0
CLIENTS = 64
RENEW = (
    "mutation($ids: [ID!]!) { renewLoans(loanIds: $ids) { renewedCount"
    " results { loanId renewed reasons message loan { dueDate renewalsLeft } }"
    " problems: errors { code message } } }"
)
# Counted in the answers: the ILS not reached (pool-acquire timeout), lost answers, refusals.
COUNTED = ("NOT_APPLIED", "OUTCOME_UNKNOWN", "ILS_REFUSED", "MAX_RENEWALS_REACHED")


@dataclass(frozen=True)
class Figures:
    rate: float
    renewals: float
    service: float  # the emulator's median time per 29 (its answer ready after the latency)
    p50: float
    p99: float
    counted: tuple[int, ...]
    calls: dict[str, float]
    cpu: float
    ils_cpu: float  # the emulator's CPU per renewal (its 29 and its share of the look-ups)


class RenewalsBench:
    def __init__(self, emulator: EmulatorProcess, ils_db: Path, timeline: Timeline, cards: list[str]) -> None:
        self.emulator, self.ils_db, self.timeline, self.cards = emulator, ils_db, timeline, cards
        self.loans: dict[str, list[tuple[str, str]]] = {}  # card -> [(loan id, token)]

    def read_loans(self, gateway: ServedGateway) -> None:
        for card in self.cards:
            token = sign_in(gateway.url, card, _data.BENCH_PASSWORD)
            answer = graphql(gateway.url, token, "{ me { loans { id } } }")
            ids = [loan["id"] for loan in answer["data"]["me"]["loans"]]  # type: ignore[index]
            assert len(ids) == LOANS_EACH, (card, len(ids))
            self.loans[card] = [(loan_id, token) for loan_id in ids]

    def requests(self, gateway: ServedGateway, per_request: int) -> list[Request]:
        """Every loan once, `per_request` loans of one patron per request, patrons interleaved."""
        token = {card: sign_in(gateway.url, card, _data.BENCH_PASSWORD) for card in self.cards}
        batches = [
            [
                [loan_id for loan_id, _ in self.loans[card][start : start + per_request]]
                for start in range(0, LOANS_EACH, per_request)
            ]
            for card in self.cards
        ]
        return [
            Request(body(RENEW, {"ids": batches[n][k]}), token[card])
            for k in range(len(batches[0]))
            for n, card in enumerate(self.cards)
        ]

    def settle(self) -> None:
        self.timeline.quiet()

    def probe(self, gateway: ServedGateway, per_request: int) -> None:
        """One request alone: its ILS calls, by level."""
        self.reset()
        card = self.cards[0]
        token = sign_in(gateway.url, card, _data.BENCH_PASSWORD)
        self.timeline.mark()
        ids = [loan_id for loan_id, _ in self.loans[card][:per_request]]
        answer = graphql(gateway.url, token, RENEW, {"ids": ids})
        renewed = answer["data"]["renewLoans"]["renewedCount"]  # type: ignore[index]
        levels = [[call.name for call in level] for level in self.timeline.levels()]
        calls = sum(len(level) for level in levels)
        print(f"  {per_request} loans, {renewed} renewed: {calls} ILS calls, {describe_levels(levels)}")

    def renewed(self) -> int:
        with sqlite3.connect(self.ils_db) as connection:
            marks = ",".join("?" * len(self.cards))
            query = f"SELECT COALESCE(SUM(renewal_count), 0) FROM loans WHERE patron_id IN ({marks})"
            return int(connection.execute(query, self.cards).fetchone()[0])

    def reset(self) -> None:
        with sqlite3.connect(self.ils_db) as connection:
            _data.reset_renewals(self.ils_db, self.cards, connection)

    def run(
        self, gateway: ServedGateway, requests: list[Request], per_request: int, seconds: float
    ) -> Figures:
        self.reset()
        self.timeline.mark()
        cpu, ils_cpu = gateway.cpu(), self.emulator.cpu()
        started = time.monotonic()
        result = load(gateway.url, requests, connections=CLIENTS, seconds=seconds, count=COUNTED)
        ended = time.monotonic()
        self.settle()  # the requests still in flight when wrk stopped finish
        cpu, ils_cpu = gateway.cpu() - cpu, self.emulator.cpu() - ils_cpu
        renewed = self.renewed()
        # Renewals through the pool in steady state: the ILS's answers to renew (29) in the run's
        # window after the ramp (the timeline's clock is CLOCK_MONOTONIC, like time.monotonic).
        answered_29 = [
            call
            for call in self.timeline.calls()
            if call.name == "sip2:29" and started + RAMP <= call.ended <= ended
        ]
        capacity = len(requests) * per_request * RENEWAL_LIMIT
        if renewed >= capacity - CLIENTS * per_request:
            print(f"    ! {renewed} renewals of {capacity} possible: the data ran out, shorten --seconds")
        if result.bad or result.socket_errors:
            print(f"    ! {result.bad} bad answers, {result.socket_errors} socket errors")
        calls = collections.Counter(call.name for call in self.timeline.calls())
        # The gateway answered about renewed / per_request requests (the ones in flight at the end too).
        answered = max(result.requests, renewed / per_request)
        return Figures(
            rate=result.rate,
            renewals=len(answered_29) / (ended - started - RAMP),
            service=statistics.median(call.seconds for call in answered_29) if answered_29 else 0.0,
            p50=result.p50,
            p99=result.p99,
            counted=result.counted,
            calls={name: count / answered for name, count in calls.items()},
            cpu=cpu / answered,
            ils_cpu=ils_cpu / max(renewed, 1),
        )


def _row(pool: int, per_request: int, runs: list[Figures]) -> str:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    bound = pool / (SIP2_LATENCY_MS / 1000)
    renewals, spread = median_spread([f.renewals for f in runs])
    cpu, cpu_spread = median_spread([f.cpu for f in runs])
    service = med([f.service for f in runs])
    counted = "  ".join(
        f"{name} {med([f.counted[i] for f in runs]):.0f}" for i, name in enumerate(COUNTED) if name
    )
    names = sorted({name for f in runs for name in f.calls})
    calls = ", ".join(f"{name} {med([f.calls.get(name, 0.0) for f in runs]):.2f}" for name in names)
    return (
        f"  pool {pool:>2}, {per_request:>2} loans/req: {med([f.rate for f in runs]):6.1f} req/s"
        f"  {renewals:6.1f} renewals/s = {renewals / bound:.2f} of the bound {bound:.0f}/s"
        f" (ratio' {renewals * service / pool:.2f}, 29 {service * 1000:.1f} ms)"
        f"  p50 {med([f.p50 for f in runs]) * 1000:6.0f} ms  p99 {med([f.p99 for f in runs]) * 1000:6.0f} ms"
        f"  CPU/req {cpu * 1000:5.1f} ms (±{cpu_spread * 50:.0f}%, renewals/s ±{spread * 50:.0f}%)\n"
        f"      answers with {counted}; ILS calls/req: {calls};"
        f" emulator CPU/renewal {med([f.ils_cpu for f in runs]) * 1000:.2f} ms"
    )


def main(
    rounds: int, seconds: float, per_request: list[int], pools: list[int], soap_ms: float, code: Path | None
) -> None:
    today = date.today()
    with tempfile.TemporaryDirectory() as directory:
        ils_db, timeline_path = Path(directory) / "ils.sqlite", Path(directory) / "timeline.txt"
        ensure_seeded(ils_db, today)
        cards = _data.bench_patrons(ils_db, today, PATRONS, LOANS_EACH)
        gateway_db = f"sqlite+aiosqlite:///{Path(directory) / 'gateway.sqlite'}"
        asyncio.run(seed_demo_portal(gateway_db))
        with EmulatorProcess(ils_db, timeline_path=timeline_path, demo_today=False) as emulator:
            gateways = {
                pool: ServedGateway(
                    sip2_address=emulator.sip2_address,
                    wsdl_url=emulator.wsdl_url,
                    database_url=gateway_db,
                    pool_size=pool,
                    code=code,
                )
                for pool in pools
            }
            try:
                emulator.set_faults(sip2_latency_ms=SIP2_LATENCY_MS, soap_latency_ms=soap_ms)
                bench = RenewalsBench(emulator, ils_db, Timeline(timeline_path), cards)
                bench.read_loans(gateways[pools[0]])
                print(
                    f"renewLoans at {CLIENTS} clients: {PATRONS} patrons x {LOANS_EACH} loans,"
                    f" SIP2 latency {SIP2_LATENCY_MS:.0f} ms, SOAP {soap_ms:.0f} ms; served CLI, 1 worker"
                )
                plans = {(pool, n): bench.requests(gateways[pool], n) for pool in pools for n in per_request}
                print("ILS calls of one request alone (levels of dependent calls):")
                for n in per_request:
                    bench.probe(gateways[pools[0]], n)
                for (pool, _n), requests in plans.items():  # warm-up (connections, caches), data reset after
                    load(gateways[pool].url, requests[:CLIENTS], connections=CLIENTS, seconds=1)
                    bench.settle()
                runs: dict[tuple[int, int], list[Figures]] = {key: [] for key in plans}
                print(f"{rounds} alternating rounds of {seconds:.0f} s per figure; medians:")
                for _ in range(rounds):
                    for (pool, n), requests in plans.items():
                        runs[pool, n].append(bench.run(gateways[pool], requests, n, seconds))
                for pool, n in plans:
                    print(_row(pool, n, runs[pool, n]))
                print(
                    "  (bound = pool size / SIP2 latency; CPU/req = the served process tree's CPU / requests)"
                )
                for pool, gateway in gateways.items():
                    print(f"  gateway RSS, pool {pool}: {gateway.rss() / 2**20:.0f} MB")
                httpx.post(f"{emulator.admin_url}/stats/reset").raise_for_status()
            finally:
                for gateway in gateways.values():
                    gateway.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (medians are reported)")
    parser.add_argument("--seconds", type=float, default=4.0, help="duration of each wrk run")
    parser.add_argument("--loans", type=int, nargs="+", default=[1, 20], help="loans per request")
    parser.add_argument("--pools", type=int, nargs="+", default=[4, 16], help="SIP2 pool sizes")
    parser.add_argument("--soap-latency", type=float, default=0.0, help="SOAP latency (ms)")
    parser.add_argument("--code", type=Path, help="serve another checkout of the gateway (before/after)")
    arguments = parser.parse_args()
    main(
        arguments.rounds,
        arguments.seconds,
        arguments.loans,
        arguments.pools,
        arguments.soap_latency,
        arguments.code,
    )

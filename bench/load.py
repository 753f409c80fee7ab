"""Load suite: 200 concurrent clients for 60 s, Dashboard and search mixed, ILS at 10 ms, served CLI.

Prints what issue 8 asks of it: the 5xx answers other than the deliberate 503 (the in-flight
bound, SERVICE_OVERLOADED), how many 503s, the p50/p99 of what was served (200 without
errors), req/s served and answered, client timeouts and connection errors, GraphQL error
codes seen, the gateway's RSS before and after, and the tracebacks and ERROR lines in its log.

Set-up: the emulator (demo data + generated catalogue, `--patrons` bench patrons with
`--loans` loans each) in a child process; `ils-gateway serve` in another (production
settings, SQLite store, one worker unless `--workers`); here, `--clients` asyncio clients,
each with its own keep-alive connection (aiohttp), alternating at random (seeded) between
the contract's Dashboard (as one of the signed-in bench patrons) and its SearchPage
(anonymous, one of a few French words). A client gives up after `--timeout` s (its
connection is then closed: the gateway sees a hang-up). A 503 is retried after its
Retry-After, as a well-behaved frontend does (`--ignore-retry-after`: at once).

Run: `.venv/bin/python bench/load.py` (or `make soak`); `--seconds 10 --clients 50` for a short run.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import _data
import aiohttp
from _served import served, sign_in

OPERATIONS = Path(__file__).resolve().parents[1] / "contract" / "operations"
WORDS = ("roman", "histoire", "paris", "nuit", "amour", "guerre", "jardin", "voyage", "mer", "enfant")


@dataclass
class Tally:
    """What the clients saw."""

    served: dict[str, list[float]] = field(default_factory=lambda: {"dashboard": [], "search": []})
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    overloaded: int = 0
    timeouts: int = 0
    connection_errors: int = 0
    answered: int = 0


@dataclass(frozen=True)
class Plan:
    url: str
    tokens: list[str]
    dashboard: str
    search: str
    search_share: float
    timeout: float
    honour_retry_after: bool


async def _client(number: int, plan: Plan, deadline: float, tally: Tally) -> None:
    chooser = random.Random(number)
    connector = aiohttp.TCPConnector(limit=1)
    timeout = aiohttp.ClientTimeout(total=plan.timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        while time.monotonic() < deadline:
            if chooser.random() < plan.search_share:
                kind, headers = "search", {}
                payload = {"query": plan.search, "variables": {"q": chooser.choice(WORDS)}}
            else:
                kind = "dashboard"
                headers = {"Authorization": f"Bearer {chooser.choice(plan.tokens)}"}
                payload = {"query": plan.dashboard}
            started = time.perf_counter()
            try:
                async with session.post(f"{plan.url}/graphql", json=payload, headers=headers) as response:
                    text = await response.text()
                    status, retry_after = response.status, response.headers.get("Retry-After")
            except TimeoutError:
                tally.timeouts += 1
                continue
            except aiohttp.ClientError:
                tally.connection_errors += 1
                continue
            elapsed = time.perf_counter() - started
            tally.answered += 1
            tally.statuses[status] += 1
            body = _decoded(text)
            errors = body.get("errors") if isinstance(body, dict) else None
            for error in errors or ():
                tally.codes[str((error.get("extensions") or {}).get("code", "-"))] += 1
            if status == 200 and not errors:
                tally.served[kind].append(elapsed)
            elif status == 503:
                tally.overloaded += 1
                if plan.honour_retry_after and retry_after and retry_after.isdigit():
                    # The client's own back-off (what the 503 asks for), not a wait for the gateway.
                    await asyncio.sleep(min(float(retry_after), max(0.0, deadline - time.monotonic())))


def _decoded(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


async def _run(plan: Plan, clients: int, seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_client(n, plan, deadline, tally) for n in range(clients)))
    return tally, time.monotonic() - started


def _ms(values: list[float], quantile: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000:.0f} ms"


def _print(tally: Tally, elapsed: float, rss_before: int, rss_after: int, log: str) -> None:
    every = tally.served["dashboard"] + tally.served["search"]
    other_5xx = sum(count for status, count in tally.statuses.items() if status >= 500 and status != 503)
    print(f"  ran {elapsed:.1f} s; answered {tally.answered} ({tally.answered / elapsed:.1f}/s)")
    print(f"  5xx other than 503: {other_5xx}")
    print(f"  503 (SERVICE_OVERLOADED, deliberate): {tally.overloaded}")
    print(f"  client timeouts: {tally.timeouts}; connection errors: {tally.connection_errors}")
    print(f"  statuses: {dict(sorted(tally.statuses.items()))}")
    print(f"  GraphQL error codes: {dict(tally.codes.most_common()) or '-'}")
    rate = len(every) / elapsed
    print(f"  served: {len(every)} ({rate:.1f} req/s), p50 {_ms(every, 0.5)}, p99 {_ms(every, 0.99)}")
    for kind, values in tally.served.items():
        mean = f"{statistics.fmean(values) * 1000:.0f} ms" if values else "-"
        p50, p99 = _ms(values, 0.5), _ms(values, 0.99)
        print(f"    {kind:<9} {len(values):>6}  p50 {p50:>8}  p99 {p99:>8}  mean {mean}")
    print(f"  gateway RSS before {rss_before / 2**20:.0f} MB, after {rss_after / 2**20:.0f} MB")
    error_lines = log.count(" ERROR ") + log.count('"level": "ERROR"')
    print(f"  gateway log: {log.count('Traceback')} tracebacks, {error_lines} ERROR lines,")
    hang_ups = log.count('"status": 499') + log.count("status=499")
    print(f"    {log.count('ClientDisconnect')} mentions of ClientDisconnect, {hang_ups} hang-ups (499)")


def main(arguments: argparse.Namespace) -> None:
    def prepare(db_path: Path, today: date) -> None:
        _data.bench_patrons(db_path, today, count=arguments.patrons, loans=arguments.loans)

    dashboard = (OPERATIONS / "dashboard.graphql").read_text(encoding="utf-8")
    search = (OPERATIONS / "search-page.graphql").read_text(encoding="utf-8")
    if arguments.max_in_flight:
        # The served CLI's environment is this process's (bench/_served.py copies it).
        os.environ["GATEWAY_MAX_IN_FLIGHT"] = str(arguments.max_in_flight)
    with served(prepare, workers=arguments.workers) as setup:
        gateway = setup.gateway
        cards = [_data.bench_card(n) for n in range(arguments.patrons)]
        tokens = [sign_in(gateway.url, card, _data.BENCH_PASSWORD) for card in cards]
        plan = Plan(
            gateway.url,
            tokens,
            dashboard,
            search,
            arguments.search_share,
            arguments.timeout,
            not arguments.ignore_retry_after,
        )
        setup.emulator.set_faults(sip2_latency_ms=arguments.latency, soap_latency_ms=arguments.latency)
        asyncio.run(_run(plan, 4, 2.0))  # warm: caches, pools, first parses
        rss_before = gateway.rss()
        print(
            f"Load: {arguments.clients} clients for {arguments.seconds:.0f} s, "
            f"{1 - arguments.search_share:.0%} Dashboard "
            f"({arguments.patrons} patrons x {arguments.loans} loans)"
            f" / {arguments.search_share:.0%} SearchPage, ILS at {arguments.latency:.0f} ms, "
            f"client timeout {arguments.timeout:.0f} s, {arguments.workers} worker(s), "
            f"in-flight bound {arguments.max_in_flight or 'default (64)'}, served CLI"
        )
        tally, elapsed = asyncio.run(_run(plan, arguments.clients, arguments.seconds))
        rss_after = gateway.rss()
        log = Path(gateway._log.name).read_text(encoding="utf-8", errors="replace")
        _print(tally, elapsed, rss_before, rss_after, log)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (one connection each)")
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of the run")
    parser.add_argument("--latency", type=float, default=10.0, help="ILS latency, SIP2 and SOAP (ms)")
    parser.add_argument("--search-share", type=float, default=0.5, help="share of SearchPage requests")
    parser.add_argument("--patrons", type=int, default=20, help="bench patrons signed in (Dashboard)")
    parser.add_argument("--loans", type=int, default=10, help="loans of each bench patron")
    parser.add_argument("--timeout", type=float, default=10.0, help="a client's timeout (s)")
    parser.add_argument("--workers", type=int, default=1, help="ils-gateway serve --workers")
    parser.add_argument("--ignore-retry-after", action="store_true", help="retry a 503 at once")
    parser.add_argument("--max-in-flight", type=int, default=0, help="GATEWAY_MAX_IN_FLIGHT (0: default)")
    main(parser.parse_args())

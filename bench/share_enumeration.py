"""How long requestAccountShare takes for a card with an e-mail, one without, and no such card.

The answer is the same for all three (the payload is identical: tests/e2e/test_sharing_requests.py);
this measures what a patient attacker could still see: the time. The gateway is served by
uvicorn on 127.0.0.1 (create_app, SQLite store, the demo's portal data) against the emulator
(demo data, no latency), and one keep-alive client asks, in shuffled order, to see Inès
(e-mail: a mail is queued), Léo (no e-mail) and 2900999999 (no such card). After each round the
gateway's clock moves 15 days on, so every request has expired and the limits (10 pending,
20 a day) never refuse; the client signs in again then (not timed).

Prints the median and mean per kind and the differences of medians, in milliseconds.

Usage: python bench/share_enumeration.py [--rounds 200] [--mailer keeping|none]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from emulator.runner import EmulatorConfig, run_emulator
from gateway.app import create_app
from gateway.serve import listening_socket, seed_demo_portal
from gateway.settings import Settings

CARDS = {"email": "2900000003", "no-email": "2900000002", "unknown": "2900999999"}
REQUESTER, PASSWORD = "2900000004", "30111990"  # Hugo: sees nobody in the demo
REQUEST = (
    "mutation R($c: String!) { requestAccountShare(cardNumber: $c) "
    "{ request { status delivery } errors { code } } }"
)
LOGIN = "mutation L($i: String!, $p: String!) { login(identifier: $i, password: $p) { token } }"


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class _KeepingMailer:
    """An in-memory queue (what the mailer's enqueue costs is not part of this figure)."""

    def __init__(self) -> None:
        self.queued = 0

    async def enqueue(
        self,
        to: str,
        template: str,
        language: str,
        context: Mapping[str, Any],
        *,
        key: str | None = None,
        reference: str | None = None,
    ) -> str:
        self.queued += 1
        return key or ""


async def _token(client: httpx.AsyncClient) -> str:
    body = (
        await client.post("/graphql", json={"query": LOGIN, "variables": {"i": REQUESTER, "p": PASSWORD}})
    ).json()
    token: str = body["data"]["login"]["token"]
    return token


async def run(rounds: int, with_mailer: bool) -> dict[str, list[float]]:
    work = Path(tempfile.mkdtemp(prefix="share-enum-"))
    clock = _Clock()
    times: dict[str, list[float]] = {kind: [] for kind in CARDS}
    async with run_emulator(EmulatorConfig(db_path=work / "ils.db", today=lambda: date(2026, 12, 1))) as ils:
        database_url = f"sqlite+aiosqlite:///{work / 'gateway.sqlite'}"
        await seed_demo_portal(database_url)
        sock = listening_socket("127.0.0.1", 0)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        settings = Settings(
            env="production",
            secret_key="bench-secret-key",
            ils_sip2_address=f"{ils.sip2_host}:{ils.sip2_port}",
            ils_soap_wsdl=ils.wsdl_url,
            database_url=database_url,
            public_url=url,
            # Without the test mailer the gateway's own queue writes .eml files: kept out of the cwd.
            mail_outbox=work / "mail-outbox",
        )
        app = create_app(settings, clock=clock, share_mailer=_KeepingMailer() if with_mailer else None)
        server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning"))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            async with httpx.AsyncClient(base_url=url) as client:
                order = list(CARDS)
                for n in range(rounds + 3):  # 3 rounds of warm-up
                    headers = {"Authorization": f"Bearer {await _token(client)}"}
                    random.shuffle(order)
                    for kind in order:
                        started = time.perf_counter()
                        response = await client.post(
                            "/graphql",
                            json={"query": REQUEST, "variables": {"c": CARDS[kind]}},
                            headers=headers,
                        )
                        elapsed = time.perf_counter() - started
                        answer = response.json()["data"]["requestAccountShare"]
                        assert answer["errors"] == [] and answer["request"]["status"] == "PENDING", answer
                        if n >= 3:
                            times[kind].append(elapsed * 1000)
                    clock.now += timedelta(days=15)
        finally:
            server.should_exit = True
            await task
            sock.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--mailer", choices=("keeping", "none"), default="keeping")
    args = parser.parse_args()
    times = asyncio.run(run(args.rounds, args.mailer == "keeping"))
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    print(f"requestAccountShare, {args.rounds} rounds, mailer: {args.mailer} (milliseconds)")
    for kind, values in times.items():
        print(
            f"  {kind:9} median {medians[kind]:6.2f}  mean {statistics.fmean(values):6.2f}  "
            f"p90 {statistics.quantiles(values, n=10)[-1]:6.2f}"
        )
    base = medians["unknown"]
    for kind in ("email", "no-email"):
        print(f"  median {kind} - unknown: {medians[kind] - base:+.2f} ms")


if __name__ == "__main__":
    main()

"""The dashboard query (the contract's exact operation) against the emulator at 10 ms ILS latency.

Prints: ILS round trips per query (emulator's /admin/stats, by protocol and operation), the
levels of dependent ILS calls (the critical path, measured from when each call reaches the
emulator), p50/p99 latency and requests per second at 1 and 32 concurrent clients, the ratio
of p50 to levels x latency (DESIGN target <= 1.3), and the gateway's own CPU per query with
the latency off, over HTTP and executed in-process (same schema, no HTTP).

Set-up: the emulator (temp database, demo data + generated catalogue) runs in a child process
(bench/_emulator_process.py; ports picked by the OS, latency set through its admin API), the
gateway (create_app under uvicorn on 127.0.0.1, port 0) in a thread of this process, the
clients in its main thread; CPU is per thread (gateway) and per process (emulator).
Camille (2900000001) gets 25 loans and 10 holds and sees Léo's account (2 loans) through the
demo share.
Run: `.venv/bin/python bench/dashboard.py [--requests 200] [--clients 1 32] [--latency 10]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import tempfile
import threading
import time
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn
from _emulator_process import EmulatorProcess
from pydantic import SecretStr
from starlette.applications import Starlette

from emulator import db
from emulator.runner import ensure_seeded
from emulator.seed import CAMILLE, DEMO_TODAY
from gateway.app import build_gateway_schema, create_app
from gateway.runtime import Runtime
from gateway.serve import seed_demo_portal
from gateway.settings import Settings
from schema.context import Context, SignIn, Viewer
from schema.loaders import create_loaders

DASHBOARD = Path(__file__).resolve().parents[1] / "contract" / "operations" / "dashboard.graphql"
LOANS, HOLDS = 25, 10
PASSWORD = "14071985"
LOGIN = 'mutation { login(identifier: "%s", password: "%s") { token errors { code } } }'

T = TypeVar("T")


class LoopThread:
    """An event loop in a daemon thread: run coroutines in it and read its thread's CPU time."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def cpu(self) -> float:
        async def now() -> float:
            return time.thread_time()

        return self.run(now())

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()


class Timeline:
    """When each ILS call reached the emulator: the emulator process appends one line per call
    (CLOCK_MONOTONIC, comparable across processes, and the call) to a file read here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._mark = 0

    def mark(self) -> None:
        """Forget the calls so far."""
        self._mark = self.path.stat().st_size

    def calls(self) -> list[tuple[float, str]]:
        with self.path.open("rb") as lines:
            lines.seek(self._mark)
            return [(float(at), call) for at, call in (line.decode().split() for line in lines)]

    def levels(self, latency_ms: float) -> list[list[str]]:
        """Calls grouped by level: a call arriving a full latency after the level's first call could
        depend on an answer of that level (no answer comes back sooner), so it starts the next level."""
        grouped: list[list[str]] = []
        start = -1.0
        for at, call in sorted(self.calls()):
            if not grouped or at - start >= latency_ms / 1000:
                grouped.append([])
                start = at
            grouped[-1].append(call)
        return grouped


def prepare_patron(db_path: Path) -> None:
    """Camille: 7 demo loans + 18 generated (distinct titles, several libraries); 3 demo holds + 7."""
    connection = db.connect(db_path)
    try:
        have = connection.execute("SELECT COUNT(*) FROM loans WHERE patron_id = ?", (CAMILLE,)).fetchone()[0]
        items = connection.execute(
            "SELECT MIN(id) AS id, title_id FROM items"
            " WHERE status = 'AVAILABLE' AND library_code <> 'NUMERIQUE'"
            " GROUP BY title_id ORDER BY title_id LIMIT ?",
            (LOANS - have,),
        ).fetchall()
        held = connection.execute("SELECT COUNT(*) FROM holds WHERE patron_id = ?", (CAMILLE,)).fetchone()[0]
        titles = connection.execute(
            "SELECT id FROM titles WHERE is_digital = 0 AND id NOT LIKE 'T-%' ORDER BY id DESC LIMIT ?",
            (HOLDS - held,),
        ).fetchall()
        out = DEMO_TODAY - timedelta(days=5)
        connection.execute("BEGIN")
        for n, item in enumerate(items):
            due = out + timedelta(days=14 + n)
            connection.execute(
                "INSERT INTO loans (patron_id, item_id, checked_out_on, due_date, renewal_count, loan_type)"
                " VALUES (?, ?, ?, ?, ?, 'STANDARD')",
                (CAMILLE, item["id"], out.isoformat(), due.isoformat(), n % 3),
            )
            connection.execute("UPDATE items SET status = 'CHECKED_OUT' WHERE id = ?", (item["id"],))
        for n, title in enumerate(titles):
            connection.execute(
                "INSERT INTO holds (patron_id, title_id, status, pickup_library, placed_at)"
                " VALUES (?, ?, 'WAITING', ?, ?)",
                (
                    CAMILLE,
                    title["id"],
                    ("DURAS", "SAGAN", "LEDUC")[n % 3],
                    f"{out.isoformat()}T10:{n:02d}:00",
                ),
            )
        connection.execute("COMMIT")
    finally:
        connection.close()


class _Auth:
    """The AuthService of an in-process execution: the dashboard never signs in or out."""

    async def login(self, identifier: str, password: str) -> SignIn:
        return SignIn(ok=False, code="INVALID_CREDENTIALS")

    async def logout(self) -> bool:
        return False


async def run_in_process(app: Starlette, document: str, count: int) -> None:
    """The dashboard executed by the same schema without HTTP (runs in the gateway's loop)."""
    runtime: Runtime = app.state.runtime
    schema = build_gateway_schema(runtime.settings)
    for _ in range(count):
        context = Context(
            viewer=Viewer(patron_id=CAMILLE),
            ils=runtime.ils,
            store=runtime.store,
            auth=_Auth(),
            loaders=create_loaders(runtime.ils, runtime.store, runtime.reference_cache),
            today=runtime.today(),
            now=runtime.clock(),
        )
        result = await schema.execute(document, context_value=context)
        assert not result.errors, result.errors


async def _query(client: httpx.AsyncClient, document: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": document}, headers=headers)
    elapsed = time.perf_counter() - started
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return elapsed


async def load(
    url: str, document: str, headers: dict[str, str], clients: int, requests: int
) -> tuple[list[float], float]:
    """`requests` dashboards sent by `clients` concurrent clients: each latency, and the wall time (s)."""
    latencies: list[float] = []
    remaining = requests
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        await asyncio.gather(*(_query(client, document, headers) for _ in range(clients)))  # connect first

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                latencies.append(await _query(client, document, headers))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return latencies, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Bench:
    """The running set-up: emulator process, gateway on a real socket, Camille signed in."""

    def __init__(
        self, url: str, emulator: EmulatorProcess, app: Starlette, gateway: LoopThread, timeline: Timeline
    ) -> None:
        self.url, self.emulator, self.app, self.gateway, self.timeline = url, emulator, app, gateway, timeline
        self.latency_ms = 0.0
        self.document = DASHBOARD.read_text(encoding="utf-8")
        self.headers: dict[str, str] = {}

    async def sign_in(self) -> None:
        async with httpx.AsyncClient(base_url=self.url) as client:
            body = (await client.post("/graphql", json={"query": LOGIN % (CAMILLE, PASSWORD)})).json()
        self.headers = {"Authorization": f"Bearer {body['data']['login']['token']}"}

    async def set_latency(self, ms: float) -> None:
        async with httpx.AsyncClient(base_url=self.emulator.admin_url) as admin:
            response = await admin.post("/faults", json={"sip2_latency_ms": ms, "soap_latency_ms": ms})
            response.raise_for_status()
        self.latency_ms = ms

    async def one_query(self) -> tuple[dict[str, dict[str, int]], list[list[str]]]:
        """One dashboard: the emulator's counts for it, and its ILS calls grouped by level."""
        async with httpx.AsyncClient(base_url=self.emulator.admin_url) as admin:
            await admin.post("/stats/reset")
            self.timeline.mark()
            async with httpx.AsyncClient(base_url=self.url) as client:
                await _query(client, self.document, self.headers)
            counts: dict[str, dict[str, int]] = (await admin.get("/stats")).json()
        return counts, self.timeline.levels(self.latency_ms)

    async def round_trips(self) -> int:
        print(f"Dashboard of {CAMILLE}: {LOANS} loans, {HOLDS} holds, 1 shared account (2 loans)")
        print(f"ILS latency {self.latency_ms:.0f} ms per SOAP call and per SIP2 message")
        print("ILS round trips per query, and levels of dependent ILS calls (the critical path):")
        levels: list[list[str]] = []
        for label in ("cold", "warm"):  # cold: first query after start (reference caches empty)
            counts, levels = await self.one_query()
            total = sum(counts["soap"].values()) + sum(counts["sip2"].values())
            soap = ", ".join(f"{op} {n}" for op, n in counts["soap"].items()) or "-"
            sip2 = ", ".join(f"{code} {n}" for code, n in counts["sip2"].items()) or "-"
            print(f"  {label}: {total} round trips (SOAP: {soap}; SIP2: {sip2})")
            path = "  ->  ".join(" + ".join(sorted(level)) for level in levels)
            print(f"        {len(levels)} levels: {path}")
        return len(levels)

    async def latency(self, clients: int, requests: int, critical: float) -> None:
        before = self.gateway.cpu(), time.process_time(), self.emulator.cpu()
        latencies, wall = await load(self.url, self.document, self.headers, clients, requests)
        sent = requests + clients
        gateway_cpu = (self.gateway.cpu() - before[0]) / sent
        process_cpu = (time.process_time() - before[1]) / sent
        emulator_cpu = (self.emulator.cpu() - before[2]) / sent
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        bound = min(clients / critical, 1 / process_cpu)
        print(
            f"  {clients:>2} clients: p50 {p50 * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms  "
            f"p50/critical path {p50 / critical:5.2f}  {requests / wall:5.1f} req/s (bound {bound:5.1f})  "
            f"CPU/query: gateway {gateway_cpu * 1000:4.1f} ms, gateway process {process_cpu * 1000:4.1f} ms,"
            f" emulator {emulator_cpu * 1000:4.1f} ms"
        )

    async def cpu_cost(self, requests: int) -> None:
        """CPU per query with the latency off: over HTTP, then the same schema executed in-process."""
        await self.set_latency(0.0)
        await load(self.url, self.document, self.headers, 1, 10)
        gateway, process, client = self.gateway.cpu(), time.process_time(), time.thread_time()
        latencies, _ = await load(self.url, self.document, self.headers, 1, requests)
        http_cpu = (self.gateway.cpu() - gateway) / (requests + 1)
        client_cpu = (time.thread_time() - client) / (requests + 1)
        rest_cpu = (time.process_time() - process) / (requests + 1) - http_cpu - client_cpu
        gateway, started = self.gateway.cpu(), time.perf_counter()
        self.gateway.run(run_in_process(self.app, self.document, requests))
        in_process_wall = (time.perf_counter() - started) / requests
        in_process_cpu = (self.gateway.cpu() - gateway) / requests
        p50 = percentile(latencies, 0.5)
        print(f"CPU per query, ILS latency off ({requests} sequential queries):")
        print(
            f"  over HTTP:  gateway {http_cpu * 1000:5.1f} ms  (p50 {p50 * 1000:.1f} ms;"
            f" clients {client_cpu * 1000:.1f} ms, other threads {rest_cpu * 1000:.1f} ms)"
        )
        print(
            f"  in-process: gateway {in_process_cpu * 1000:5.1f} ms  (wall {in_process_wall * 1000:.1f} ms;"
            f" HTTP, session and JSON add {(http_cpu - in_process_cpu) * 1000:.1f} ms)"
        )


async def measure(bench: Bench, requests: int, concurrency: list[int], latency_ms: float) -> None:
    await bench.sign_in()
    await bench.set_latency(latency_ms)
    levels = await bench.round_trips()
    critical = levels * latency_ms / 1000
    print(f"Latency ({requests} requests per level; critical path {levels} x {latency_ms:.0f} ms):")
    for clients in concurrency:
        await bench.latency(clients, requests, critical)
    print("  (bound: the lower of clients / critical path and 1 / gateway process CPU per query;")
    print("   the gateway and the clients share one interpreter, the emulator runs in its own process)")
    await bench.cpu_cost(requests)


def _bind() -> socket.socket:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return listener


def main(requests: int, concurrency: list[int], latency_ms: float) -> None:
    gateway_thread = LoopThread("gateway")
    with tempfile.TemporaryDirectory() as directory:
        db_path, timeline_path = Path(directory) / "ils.sqlite", Path(directory) / "timeline.txt"
        ensure_seeded(db_path, DEMO_TODAY)
        prepare_patron(db_path)
        emulator = EmulatorProcess(db_path, timeline_path=timeline_path)
        settings = Settings(
            ils_sip2_address=emulator.sip2_address,
            ils_soap_wsdl=emulator.wsdl_url,
            database_url=f"sqlite+aiosqlite:///{Path(directory) / 'gateway.sqlite'}",
            secret_key=SecretStr("bench-secret-key"),
        )
        asyncio.run(seed_demo_portal(settings.database_url))  # Camille sees Léo
        app = create_app(settings, clock=lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
        server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning"))
        listener = _bind()
        serving = asyncio.run_coroutine_threadsafe(server.serve(sockets=[listener]), gateway_thread.loop)
        while not server.started:
            time.sleep(0.01)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        bench = Bench(url, emulator, app, gateway_thread, Timeline(timeline_path))
        try:
            asyncio.run(measure(bench, requests, concurrency, latency_ms))
        finally:
            server.should_exit = True
            serving.result()
            gateway_thread.stop()
            listener.close()
            emulator.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per level of concurrency")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 32], help="levels of concurrency")
    parser.add_argument("--latency", type=float, default=10.0, help="ILS latency in ms (default 10)")
    arguments = parser.parse_args()
    main(arguments.requests, arguments.clients, arguments.latency)

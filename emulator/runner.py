"""Runs the whole emulator in the current event loop: seeded database, SIP2 server, HTTP app.

Owns start-up order and clean shutdown: seed the database when it has no data,
bind both listening sockets first (so port 0 works and the ports are known
before anything serves), start the SIP2 server and uvicorn (no lifespan, no
access log, no signal handling: the embedding program owns signals), and stop
both on exit. Never parses command lines (see `cli.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import uvicorn

from emulator import db
from emulator.faults import FaultInjector, FaultSettings
from emulator.generate import generate
from emulator.http import create_http_app
from emulator.seed import seed_demo
from emulator.sip2_server import Sip2Server
from emulator.stats import Stats


@dataclass(frozen=True)
class EmulatorConfig:
    """How to run the emulator; `size` and `seed` only matter when the database is created."""

    db_path: str | Path
    host: str = "127.0.0.1"
    sip2_port: int = 0
    soap_port: int = 0
    size: str | int = "demo"
    seed: int = 1
    sip2_user: str = "gateway"
    sip2_password: str = field(default="gateway", repr=False)
    institution: str = "PARIS"
    encoding: str = "utf-8"
    error_detection: str = "on"  # SIP2 answers: "on", "off" or "mirror" (the request's style)
    soap: bool = True  # False: an ILS with SIP2 only (no SOAP service; the admin API stays)
    faults: FaultSettings = field(default_factory=FaultSettings)
    today: Callable[[], date] = date.today


@dataclass(frozen=True)
class RunningEmulator:
    """Where a running emulator listens, and its live fault knobs and counters."""

    sip2_host: str
    sip2_port: int
    soap_url: str
    wsdl_url: str
    admin_url: str
    faults: FaultInjector
    stats: Stats
    db_path: Path
    today: Callable[[], date]
    soap: bool = True  # False: nothing answers at soap_url / wsdl_url (404)


def ensure_seeded(db_path: str | Path, today: date, size: str | int = "demo", seed: int = 1) -> bool:
    """Create and fill the database unless it already holds data; True when it seeded now.

    `size` is a `generate.parse_size` size, or "none" for the demo data alone.
    """
    connection = db.connect(db_path)
    try:
        if db.seeded_on(connection) is not None:
            return False
        seed_demo(connection, today)
        if size != "none":
            generate(connection, today, size, seed)
        return True
    finally:
        connection.close()


class _EmbeddedServer(uvicorn.Server):
    """uvicorn inside someone else's loop: no signal handlers, prompt start and stop events."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()
        self._wake = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.1)

    def stop(self) -> None:
        self.should_exit = True
        self._wake.set()


def _bind(host: str, port: int) -> socket.socket:
    listener = socket.create_server((host, port), reuse_port=False)
    # Accepted sockets inherit TCP_NODELAY from the listener; asyncio only sets it itself on
    # sockets created with proto=IPPROTO_TCP, which create_server's are not. Without it every
    # keep-alive HTTP answer (headers, then body) waits ~40 ms for the peer's delayed ACK.
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return listener


def _url_host(host: str) -> str:
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host


@contextlib.asynccontextmanager
async def run_emulator(config: EmulatorConfig) -> AsyncIterator[RunningEmulator]:
    """Seed if needed, serve SIP2 and HTTP until the block exits, then shut both down."""
    db_path = Path(config.db_path)
    await asyncio.to_thread(ensure_seeded, db_path, config.today(), config.size, config.seed)
    faults = FaultInjector(config.faults, seed=config.seed)
    stats = Stats()
    sip2_socket = _bind(config.host, config.sip2_port)
    try:
        http_socket = _bind(config.host, config.soap_port)
    except OSError:
        sip2_socket.close()
        raise
    sip2 = Sip2Server(
        db_path=db_path,
        faults=faults,
        stats=stats,
        today=config.today,
        institution=config.institution,
        login_user=config.sip2_user,
        login_password=config.sip2_password,
        encoding=config.encoding,
        error_detection=config.error_detection,
    )
    app = create_http_app(db_path, faults, stats, config.today, config.soap)
    server = _EmbeddedServer(
        uvicorn.Config(
            app,
            lifespan="off",
            ws="none",
            access_log=False,
            log_config=None,  # never reconfigure the embedding program's logging
            log_level="warning",
            proxy_headers=False,
            server_header=False,
        )
    )
    http_task: asyncio.Task[None] | None = None
    try:
        await sip2.start(sip2_socket)
        http_task = asyncio.create_task(server.serve(sockets=[http_socket]))
        ready = asyncio.create_task(server.ready.wait())
        await asyncio.wait({ready, http_task}, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if http_task.done():
            http_task.result()  # surfaces why uvicorn could not start
        host = _url_host(config.host)
        sip2_port, http_port = sip2_socket.getsockname()[1], http_socket.getsockname()[1]
        soap_url = f"http://{host}:{http_port}/ils"
        yield RunningEmulator(
            sip2_host=host,
            sip2_port=sip2_port,
            soap_url=soap_url,
            wsdl_url=f"{soap_url}?wsdl",
            admin_url=f"http://127.0.0.1:{http_port}/admin",
            faults=faults,
            stats=stats,
            db_path=db_path,
            today=config.today,
            soap=config.soap,
        )
    finally:
        server.stop()
        if http_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await http_task
        await sip2.close()
        http_socket.close()
        sip2_socket.close()

"""The reference emulator in a child process, for the benchmarks (not a benchmark itself).

Running the emulator in the benchmark's own process makes it share the GIL and the event loop
with the client it serves: each side's CPU then shows up as the other's latency. Here the child
is this file run as a script; it picks its ports (port 0), prints where it listens as one JSON
line, and serves until SIGTERM. The parent changes its faults (latency...) and reads its
counters through the admin API, the interface tests and operators use too, and reads its CPU
time from /proc (Linux).

Optionally (`timeline`) the child appends one line per ILS call it answers to a file: when the
call arrived, when its answer was ready (CLOCK_MONOTONIC, comparable across processes) and the
call (`soap:lookupAccounts`, `sip2:29`). The benchmarks group the calls of one request into
levels of dependent calls and read how long the ILS took on each (the time the gateway waits on
the ILS). The child's `today` is the real date by default, the gateway's clock when it is served
by the CLI (`--demo-today` keeps the demo's fixed date). Owns nothing the gateway uses; tests
never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import httpx

import emulator.runner
from emulator.runner import EmulatorConfig, run_emulator
from emulator.seed import DEMO_TODAY
from emulator.sip2_server import Sip2Server
from emulator.stats import Stats


class EmulatorProcess:
    """A running emulator child process: where it listens, its faults, counters and CPU time."""

    def __init__(
        self,
        db_path: Path,
        *,
        size: str = "demo",
        timeline_path: Path | None = None,
        demo_today: bool = True,
        soap: bool = True,
    ) -> None:
        command = [sys.executable, __file__, str(db_path), "--size", size]
        if not soap:
            command.append("--no-soap")  # an ILS that speaks SIP2 only
        if timeline_path is not None:
            command += ["--timeline", str(timeline_path)]
        if not demo_today:
            command += ["--today", date.today().isoformat()]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait()
            raise RuntimeError(f"the emulator process exited ({self._process.returncode}) before serving")
        where = json.loads(line)
        self.sip2_host: str = where["sip2_host"]
        self.sip2_port: int = where["sip2_port"]
        self.sip2_address = f"{self.sip2_host}:{self.sip2_port}"
        self.wsdl_url: str = where["wsdl"]
        self.admin_url: str = where["admin"]

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def set_faults(self, **changes: float | bool) -> None:
        """POST /admin/faults (e.g. sip2_latency_ms=10); blocking, call it between measurements."""
        httpx.post(f"{self.admin_url}/faults", json=changes).raise_for_status()

    def sip2_messages(self) -> int:
        """SIP2 messages the emulator received since start or the last reset (GET /admin/stats)."""
        response = httpx.get(f"{self.admin_url}/stats")
        response.raise_for_status()
        return sum(response.json()["sip2"].values())

    def cpu(self) -> float:
        """User + system CPU seconds of the emulator process so far (Linux /proc)."""
        fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
        self._process.wait(timeout=30)


# The call being answered, named by the emulator's counters while it answers (one per task).
_CALL: contextvars.ContextVar[list[str]] = contextvars.ContextVar("call")


def _name_calls(stats: Stats) -> None:
    """The emulator's counters also name the call being answered (for its timeline line)."""
    count_soap, count_sip2 = stats.count_soap, stats.count_sip2

    def soap(operation: str) -> None:
        _name_call(f"soap:{operation}")
        count_soap(operation)

    def sip2(code: str) -> None:
        _name_call(f"sip2:{code}")
        count_sip2(code)

    setattr(stats, "count_soap", soap)  # noqa: B010 (an instance attribute shadows the method)
    setattr(stats, "count_sip2", sip2)  # noqa: B010


def _time_answers(timeline: TextIO) -> None:
    """Each SIP2 message and SOAP call answered writes a timeline line (patched before the start)."""
    respond = Sip2Server._respond

    async def timed_respond(server: Sip2Server, frame: bytes, session: Any) -> bytes | None:
        answer: bytes | None = await _timed(timeline, lambda: respond(server, frame, session))
        return answer

    setattr(Sip2Server, "_respond", timed_respond)  # noqa: B010 (this process only)
    create_http_app = emulator.runner.create_http_app

    def timed_http_app(*args: Any) -> Any:
        app = create_http_app(*args)

        async def timed(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope["method"] != "POST":
                await app(scope, receive, send)
                return
            await _timed(timeline, lambda: app(scope, receive, send))

        return timed

    setattr(emulator.runner, "create_http_app", timed_http_app)  # noqa: B010 (this process only)


def _name_call(name: str) -> None:
    call = _CALL.get(None)
    if call is not None:
        call.append(name)


async def _timed(timeline: TextIO, answer: Callable[[], Awaitable[Any]]) -> Any:
    call: list[str] = []
    token = _CALL.set(call)
    started = time.monotonic()
    try:
        return await answer()
    finally:
        _CALL.reset(token)
        if call:  # a call the counters named (not the admin API, not a bad frame)
            timeline.write(f"{started} {time.monotonic()} {call[0]}\n")


async def _serve(
    db_path: Path, size: str, timeline_path: Path | None, today: date, soap: bool = True
) -> None:
    """The child: run until SIGTERM, print where it listens as one JSON line first."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    config = EmulatorConfig(db_path=db_path, size=size, today=lambda: today, soap=soap)
    timeline = timeline_path.open("w", buffering=1, encoding="utf-8") if timeline_path else None
    if timeline is not None:
        _time_answers(timeline)
    try:
        async with run_emulator(config) as running:
            if timeline is not None:
                _name_calls(running.stats)
            where = {"sip2_host": running.sip2_host, "sip2_port": running.sip2_port}
            print(json.dumps(where | {"wsdl": running.wsdl_url, "admin": running.admin_url}), flush=True)
            await stop.wait()
    finally:
        if timeline is not None:
            timeline.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="the emulator as a benchmark's child process")
    parser.add_argument("db", type=Path)
    parser.add_argument("--size", default="demo")
    parser.add_argument("--timeline", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=DEMO_TODAY)
    parser.add_argument("--no-soap", dest="soap", action="store_false")
    arguments = parser.parse_args()
    asyncio.run(_serve(arguments.db, arguments.size, arguments.timeline, arguments.today, arguments.soap))

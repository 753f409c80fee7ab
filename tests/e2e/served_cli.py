"""The real CLI (`ils-gateway serve --demo`) in a subprocess, for tests that need the served process.

Yields the GraphQL URL, the demo ILS's admin URL and the file holding the process's stderr.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

CLI = [sys.executable, "-m", "gateway.cli"]


@dataclass(frozen=True)
class Served:
    graphql: str
    ils_admin: str
    log: Path
    process: asyncio.subprocess.Process

    @property
    def port(self) -> int:
        return int(self.graphql.rsplit(":", 1)[1].split("/", 1)[0])

    async def stop(self) -> str:
        """Stop the gateway (Ctrl-C) and return everything it wrote to stderr."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
            await asyncio.wait_for(self.process.wait(), timeout=30)
        return self.log.read_text(encoding="utf-8", errors="replace")


async def _read_banner(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    while not any(line.startswith("  2900000006") for line in lines):
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        assert line, "the server stopped before printing its banner"
        lines.append(line.decode())
    return "".join(lines)


@asynccontextmanager
async def serve_demo(tmp_path: Path, **environment: str) -> AsyncIterator[Served]:
    """`serve --demo` on free ports with these GATEWAY_* variables; stopped on exit."""
    env = {
        **os.environ,
        "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gw.sqlite'}",
        **environment,
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            *CLI,
            *("serve", "--demo", "--port", "0", "--demo-sip2-port", "0", "--demo-soap-port", "0"),
            *("--demo-db", str(tmp_path / "ils.sqlite")),
            stdout=asyncio.subprocess.PIPE,
            stderr=sink,
            env=env,
            cwd=tmp_path,
        )
        try:
            banner = await _read_banner(process)
        except BaseException:
            process.kill()
            await process.wait()
            raise
        urls = re.search(r"GraphiQL\s+(\S+).*ILS admin\s+(\S+)", banner, re.DOTALL)
        assert urls, banner
        served = Served(urls.group(1), urls.group(2), log, process)
        try:
            yield served
        finally:
            await served.stop()

"""`ils-gateway serve --workers N`: several processes on one port, sharing sessions through the store."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import LOGIN

CLI = [sys.executable, "-m", "gateway.cli", "serve"]
ME = "{ me { id } }"


def _workers_of(pid: int) -> list[int]:
    """The worker processes uvicorn spawned under `pid` (not multiprocessing's resource tracker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()]


async def _start(tmp_path: Path, *arguments: str, **environment: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gw.sqlite'}",
        **environment,
    }
    return await asyncio.create_subprocess_exec(
        *CLI,
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )


@pytest.fixture
async def two_workers(tmp_path: Path) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    process = await _start(
        tmp_path,
        "--demo", "--workers", "2", "--port", "0", "--demo-sip2-port", "0", "--demo-soap-port", "0",
        "--demo-db", str(tmp_path / "ils.sqlite"),
    )  # fmt: skip
    assert process.stdout is not None
    url = None
    while url is None:
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=60)).decode()
        assert line, "the supervisor stopped before printing its banner"
        found = re.search(r"GraphiQL\s+(http://127\.0\.0\.1:\d+)/graphql", line)
        url = found.group(1) if found else None
    try:
        yield process, url
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.communicate(), timeout=60)


async def _fresh(url: str, query: str, token: str | None = None) -> httpx.Response:
    """One request on a connection of its own (the kernel picks which worker accepts it)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        return await client.post("/graphql", json={"query": query}, headers=headers)


async def test_two_workers_share_one_port_and_the_sessions(
    two_workers: tuple[asyncio.subprocess.Process, str],
) -> None:
    process, url = two_workers
    camille = {"identifier": "2900000001", "password": "14071985"}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        signed_in = await client.post("/graphql", json={"query": LOGIN, "variables": camille})
    token = signed_in.json()["data"]["login"]["token"]
    answers = [await _fresh(url, ME, token) for _ in range(20)]

    assert len(_workers_of(process.pid)) == 2
    # A session opened by whichever worker took the login verifies in every worker (same key, one store).
    assert [answer.json() for answer in answers] == [{"data": {"me": {"id": "2900000001"}}}] * 20
    process.send_signal(signal.SIGINT)
    await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0


@pytest.mark.parametrize(
    ("arguments", "environment", "reason"),
    [
        (("--workers", "5"), {"GATEWAY_ILS_SIP2_POOL_SIZE": "4"}, "GATEWAY_ILS_SIP2_POOL_SIZE=4"),
        (
            ("--workers", "2"),
            {"GATEWAY_ENV": "production", "GATEWAY_SECRET_KEY": "k" * 32},
            "needs GATEWAY_REDIS_URL",
        ),
    ],
)
async def test_workers_that_would_break_a_promise_are_refused(
    tmp_path: Path, arguments: tuple[str, ...], environment: dict[str, str], reason: str
) -> None:
    process = await _start(tmp_path, "--port", "0", *arguments, **environment)
    _, errors = await asyncio.wait_for(process.communicate(), timeout=60)

    assert process.returncode == 2
    assert reason in errors.decode()

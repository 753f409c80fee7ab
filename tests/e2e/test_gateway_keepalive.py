"""`{ __typename }` kept alive on the real CLI costs about what a bare Starlette endpoint does.

Both servers run as processes on this machine, each behind a listening socket bound the
same way; one client alternates requests between them (a busy moment of the machine slows
both) and compares the medians. A stall of the transport (Nagle's algorithm against the
client's delayed ACK: ~40 ms per answer) or a per-request cost of the gateway's own far
beyond a GraphQL execution shows as a large ratio; the bound is gross on purpose (the
benchmark, bench/typename.py, measures the real figure).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TYPENAME = json.dumps({"query": "{ __typename }"})
# The gateway parses, validates (cached) and executes a document; the baseline only answers.
MAX_RATIO = 8.0


@pytest.fixture
def served_cli(tmp_path: Path) -> Iterator[int]:
    """`ils-gateway serve --demo` on ports the system picks; its HTTP port."""
    command = [
        sys.executable, "-m", "gateway.cli", "serve", "--demo", "--port", "0",
        "--demo-sip2-port", "0", "--demo-soap-port", "0", "--demo-db", str(tmp_path / "ils.sqlite"),
    ]  # fmt: skip
    environment = {"GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gw.sqlite'}"}
    with _process(command, tmp_path, environment) as process:
        assert process.stdout is not None
        for line in process.stdout:
            found = re.search(r"GraphiQL\s+http://127\.0\.0\.1:(\d+)/graphql", line)
            if found:
                yield int(found.group(1))
                return
        pytest.fail("the gateway stopped before printing its banner")


@pytest.fixture
def bare_starlette(tmp_path: Path) -> Iterator[int]:
    with _process([sys.executable, str(HERE / "bare_starlette.py")], tmp_path, {}) as process:
        assert process.stdout is not None
        yield int(process.stdout.readline())


@contextmanager
def _process(command: list[str], cwd: Path, environment: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """A server process of this checkout, stopped with SIGINT (as Ctrl-C would) at the end."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1]), **environment}
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def _connect(port: int) -> http.client.HTTPConnection:
    """A kept-alive connection, once the server answers (it may still be starting)."""
    deadline = time.monotonic() + 30
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            _post(connection)
            return connection
        except (OSError, http.client.HTTPException):
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _post(connection: http.client.HTTPConnection) -> float:
    started = time.perf_counter()
    connection.request("POST", "/graphql", body=TYPENAME, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    answer = json.loads(response.read())
    elapsed = time.perf_counter() - started
    assert response.status == 200 and answer == {"data": {"__typename": "Query"}}, answer
    return elapsed


def test_keep_alive_typename_is_within_a_small_ratio_of_bare_starlette(
    served_cli: int, bare_starlette: int
) -> None:
    gateway, baseline = _connect(served_cli), _connect(bare_starlette)
    for _ in range(20):  # warm both: caches, first-request paths
        _post(gateway), _post(baseline)
    times: dict[str, list[float]] = {"gateway": [], "baseline": []}
    for _ in range(60):
        times["gateway"].append(_post(gateway))
        times["baseline"].append(_post(baseline))
    gateway.close(), baseline.close()

    medians = {name: statistics.median(values) for name, values in times.items()}
    assert medians["gateway"] <= MAX_RATIO * medians["baseline"], medians

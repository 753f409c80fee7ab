"""Clients that hang up, against the real CLI (`serve --demo`, GATEWAY_LOG_LEVEL=debug).

Issue 8, finding 9: under load, clients giving up at their timeout left `ClientDisconnect`
tracebacks in the log. A client may close its socket while its body is being read (GraphQL,
the share-acceptance form), while its answer is being computed (the ILS slowed down), or
while it is being sent (a large answer read in part): each is at most a debug line, never a
traceback, never a line above debug naming ClientDisconnect, never a 5xx.
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import httpx

from tests.e2e.served_cli import Served, serve_demo

# A record of the readable format (gateway/logs.py) starts with its time and level.
_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<level>[A-Z]+) ", re.MULTILINE)
SEARCH = '{"query": "{ search(query: \\"roman\\", first: 100) { edges { node { id title } } } }"}'


async def _send_and_close(port: int, head: bytes, body: bytes, *, read: int = 0) -> None:
    """Write a request (perhaps partial), read `read` bytes of the answer, then close the socket."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head + body)
    await writer.drain()
    if read:
        await reader.read(read)
    writer.close()
    await writer.wait_closed()


def _post(path: str, content_type: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


async def _access_lines(served: Served, path: str, count: int) -> str:
    """The log once it holds `count` access lines for `path` (each hang-up is one, when handled)."""
    deadline = time.monotonic() + 30
    while True:
        log = served.log.read_text(encoding="utf-8", errors="replace")
        if log.count(f"path={path} ") >= count or time.monotonic() > deadline:
            return log
        await asyncio.sleep(0.05)


def _records_above_debug(log: str) -> list[str]:
    starts = list(_RECORD.finditer(log))
    records = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(log)
        if match.group("level") != "DEBUG":
            records.append(log[match.start() : end])
    return records


async def test_clients_hanging_up_leave_debug_lines_only(tmp_path: Path) -> None:
    async with serve_demo(tmp_path, GATEWAY_LOG_LEVEL="debug") as served:
        port = served.port
        # 1. While the body is read: GraphQL, then the share-acceptance form.
        await _send_and_close(port, _post("/graphql", "application/json", 5000), b'{"query": "{ lib')
        form = "application/x-www-form-urlencoded"
        await _send_and_close(port, _post("/shares/accept", form, 500), b"token=abc&dec")
        # 2. While the answer is sent: a large one, read in part.
        body = SEARCH.encode()
        await _send_and_close(port, _post("/graphql", "application/json", len(body)), body, read=100)
        await _access_lines(served, "/graphql", 2)
        # 3. While the answer is computed: the ILS answers in 300 ms, the client has gone.
        async with httpx.AsyncClient() as client:
            slow = {"soap_latency_ms": 300, "sip2_latency_ms": 300}
            assert (await client.post(f"{served.ils_admin}/faults", json=slow)).status_code == 200
        for _ in range(3):
            await _send_and_close(port, _post("/graphql", "application/json", len(body)), body)
        await _access_lines(served, "/graphql", 5)
        await _access_lines(served, "/shares/accept", 1)
        async with httpx.AsyncClient() as client:
            health = await client.get(served.graphql.replace("/graphql", "/healthz"))
        log = await served.stop()

    assert health.status_code == 200
    assert log.count("path=/graphql ") == 5, log
    assert log.count("path=/shares/accept ") == 1, log
    assert "Traceback" not in log
    assert "Exception in ASGI application" not in log
    above = _records_above_debug(log)
    assert above, "the log has its INFO lines"
    assert not [record for record in above if "ClientDisconnect" in record or "disconnect" in record.lower()]
    assert not re.search(r"status=5\d\d", log)
    statuses = re.findall(r"path=/graphql status=(\d+)", log)
    assert statuses == ["499", "200", "200", "200", "200"], statuses
    assert re.search(r"DEBUG gateway\.graphql: client disconnected before its request was read", log)
    assert re.search(r"DEBUG gateway\.http: client disconnected before its request was read", log)
    assert "path=/shares/accept status=499" in log
    # The three whose client left while the ILS was answering did run to their end.
    durations = [float(d) for d in re.findall(r"path=/graphql status=200 duration_ms=([\d.]+)", log)]
    assert sum(d >= 300 for d in durations) == 3, durations

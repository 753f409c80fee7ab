"""The served gateway of the benchmarks: the real CLI in its own process, driven by wrk over keep-alive HTTP.

`ServedGateway` starts `ils-gateway serve` (the command operators run, optionally with
`--workers`) against an emulator child process (`_emulator_process.py`), reads its port from
the banner and its CPU time and memory from /proc (the process and its worker children).
`load` runs wrk (Debian's `wrk`, C, one thread, keep-alive connections) with a Lua script
that counts the answers that are not 200 or carry GraphQL errors, and prints p50/p99 and
req/s. `Timeline` reads the emulator's call timeline: the levels of dependent ILS calls of
one request and how long the ILS took to answer each kind of call, from which `ils_wait`
gives the time a request spends waiting on the ILS on its critical path.

Not a test and not imported by the gateway; tests never import it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType

import httpx
from _emulator_process import EmulatorProcess

from emulator.runner import ensure_seeded
from gateway.serve import seed_demo_portal

ROOT = Path(__file__).resolve().parents[1]
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listed:
            return [int(child) for child in listed.read().split()]
    except OSError:
        return []


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (uvicorn's workers and their own children)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(_children(current))
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds of these processes so far (Linux /proc; exited ones count 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / _TICK


def rss_bytes(pids: Sequence[int]) -> int:
    """Resident memory of these processes (sum; shared pages count in each)."""
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        except OSError:
            continue
    return total


class ServedGateway:
    """`ils-gateway serve` in a child process, on a port the system picks, talking to the emulator."""

    def __init__(
        self,
        *,
        sip2_address: str,
        wsdl_url: str,
        database_url: str,
        workers: int = 1,
        pool_size: int = 4,
        code: Path | None = None,
        environment: dict[str, str] | None = None,
    ) -> None:
        source = code or ROOT
        env = {
            **os.environ,
            "GATEWAY_ENV": "production",
            "GATEWAY_SECRET_KEY": "bench-secret-key",
            "GATEWAY_ILS_SIP2_ADDRESS": sip2_address,
            "GATEWAY_ILS_SOAP_WSDL": wsdl_url,
            "GATEWAY_ILS_SIP2_POOL_SIZE": str(pool_size),
            "GATEWAY_DATABASE_URL": database_url,
            # `code`: another checkout of the gateway (before/after comparisons), same interpreter.
            "PYTHONPATH": str(source),
            **(environment or {}),
        }
        command = [sys.executable, "-m", "gateway.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
        if workers > 1:
            command += ["--workers", str(workers)]
            # Production refuses workers without shared throttling: a local Redis, own prefix.
            env.setdefault("GATEWAY_REDIS_URL", "redis://127.0.0.1:6379/14")
            env.setdefault("GATEWAY_REDIS_PREFIX", f"bench-{os.getpid()}")
        self._log = tempfile.NamedTemporaryFile(prefix="bench-gateway-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=source, env=env, stdout=subprocess.PIPE, stderr=self._log, text=True
        )
        self.url = self._read_url()
        self._wait_ready(workers)

    def _read_url(self) -> str:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            found = re.search(r"GraphiQL\s+(http://\S+)/graphql", line)
            if found:
                return found.group(1)
        self.process.wait()
        raise RuntimeError(f"the gateway exited before serving; log: {self._log.name}")

    def _wait_ready(self, workers: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                ready = httpx.get(f"{self.url}/readyz", timeout=10).status_code == 200
            except httpx.HTTPError:
                ready = False
            # With workers, the supervisor and each worker are processes of the tree.
            if ready and len(process_tree(self.process.pid)) >= workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the gateway did not become ready; log: {self._log.name}")

    def pids(self) -> list[int]:
        return process_tree(self.process.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.pids())

    def rss(self) -> int:
        return rss_bytes(self.pids())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        os.unlink(self._log.name)

    def __enter__(self) -> ServedGateway:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def sign_in(url: str, card: str, password: str) -> str:
    """A session token for a card (the `login` mutation over HTTP)."""
    mutation = 'mutation { login(identifier: "%s", password: "%s") { token errors { code } } }'
    body = httpx.post(f"{url}/graphql", json={"query": mutation % (card, password)}, timeout=30).json()
    token = body["data"]["login"]["token"]
    if not token:
        raise RuntimeError(f"cannot sign in {card}: {body}")
    return str(token)


def graphql(
    url: str, token: str, document: str, variables: dict[str, object] | None = None
) -> dict[str, object]:
    """One request; the decoded body (asserts it has no errors)."""
    headers = {"Authorization": f"Bearer {token}"}
    response = httpx.post(
        f"{url}/graphql", json={"query": document, "variables": variables}, headers=headers, timeout=60
    )
    body: dict[str, object] = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body


@dataclass(frozen=True)
class Request:
    """One HTTP request wrk sends (round robin over several); no token: anonymous."""

    body: str
    token: str = ""


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50: float
    p99: float
    bad: int
    socket_errors: int
    # How many answers contained each of `load(count=...)`'s strings.
    counted: tuple[int, ...] = ()

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


_LUA = """
local requests = {%(requests)s}
local limit = %(limit)d
local patterns = {%(patterns)s}
local next_one, answered = 0, 0
bad = 0  -- a global: done() reads each thread's with thread:get
%(counters)s
local threads = {}

function setup(thread) table.insert(threads, thread) end

function request()
  next_one = next_one %% #requests + 1
  local chosen = requests[next_one]
  local headers = {["Content-Type"] = "application/json"}
  if chosen[2] ~= "" then headers["Authorization"] = "Bearer " .. chosen[2] end
  return wrk.format("POST", "/graphql", headers, chosen[1])
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    if bad == 0 then
      local sample = string.gsub(string.sub(body or "", 1, 400), "\\n", " ")
      io.write("BAD " .. tostring(status) .. " " .. sample .. "\\n")
    end
    bad = bad + 1
  end
  for i, pattern in ipairs(patterns) do
    if string.find(body, pattern, 1, true) then _G["count" .. i] = _G["count" .. i] + 1 end
  end
  if limit > 0 and answered >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local total_bad = 0
  local counted = {}
  for i = 1, #patterns do counted[i] = 0 end
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
    for i = 1, #patterns do counted[i] = counted[i] + thread:get("count" .. i) end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "us": %%d, "p50": %%d, "p99": %%d, "bad": %%d, "errors": %%d, '
    .. '"counted": [%%s]}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), total_bad,
    e.connect + e.read + e.write + e.timeout, table.concat(counted, ", ")))
end
"""


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def load(
    url: str,
    requests: Sequence[Request],
    *,
    connections: int,
    seconds: float = 5.0,
    limit: int = 0,
    timeout: float = 30.0,
    count: Sequence[str] = (),
) -> Load:
    """wrk with `connections` keep-alive connections for `seconds` (or until `limit` answers);
    `count`: strings whose answers are counted (each answer that contains the string, once)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    listed = ", ".join(f"{{{_lua_string(r.body)}, {_lua_string(r.token)}}}" for r in requests)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        counters = "\n".join(f"count{n} = 0" for n in range(1, len(count) + 1))
        patterns = ", ".join(_lua_string(pattern) for pattern in count)
        script.write(_LUA % {"requests": listed, "limit": limit, "patterns": patterns, "counters": counters})
    try:
        duration = f"{max(1, int(seconds))}s" if not limit else "3600s"
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{duration}", f"--timeout={int(timeout)}s",
            "-s", script.name, f"{url}/graphql",
        ]  # fmt: skip
        ran = subprocess.run(command, capture_output=True, text=True, check=False)
        if ran.returncode != 0:
            raise RuntimeError(f"wrk failed: {ran.stderr or ran.stdout}")
        output = ran.stdout
    finally:
        os.unlink(script.name)
    line = next((line for line in output.splitlines() if line.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures: {output[-2000:]} {ran.stderr[-2000:]}")
    for sample in (line for line in output.splitlines() if line.startswith("BAD ")):
        print(f"    first bad answer: {sample[4:]}")
    figures = json.loads(line[4:])
    return Load(
        requests=figures["requests"],
        seconds=figures["us"] / 1e6,
        p50=figures["p50"] / 1e6,
        p99=figures["p99"] / 1e6,
        bad=figures["bad"],
        socket_errors=figures["errors"],
        counted=tuple(figures["counted"]),
    )


def body(document: str, variables: dict[str, object] | None = None) -> str:
    return json.dumps({"query": document, "variables": variables})


@dataclass(frozen=True, order=True)
class Call:
    started: float
    ended: float
    name: str

    @property
    def seconds(self) -> float:
        return self.ended - self.started


class Timeline:
    """The emulator's ILS calls (arrival, answer ready, name), from the file its process appends to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._mark = 0

    def quiet(self, seconds: float = 0.3) -> None:
        """Wait until the ILS has answered no call for `seconds`: the requests wrk left in flight
        when it stopped are done (else the next run starts above the gateway's in-flight bound)."""
        size = -1
        while size != self.path.stat().st_size:
            size = self.path.stat().st_size
            time.sleep(seconds)

    def mark(self) -> None:
        """Forget the calls so far."""
        self._mark = self.path.stat().st_size

    def calls(self) -> list[Call]:
        with self.path.open("rb") as lines:
            lines.seek(self._mark)
            parsed = (line.decode().split() for line in lines)
            return sorted(Call(float(start), float(end), name) for start, end, name in parsed)

    def levels(self) -> list[list[Call]]:
        """One request's calls by level: a call that starts after an earlier call's answer was ready
        may depend on it, and starts a new level; calls started before every answer are one level."""
        grouped: list[list[Call]] = []
        for call in self.calls():
            if not grouped or call.started >= min(earlier.ended for earlier in grouped[-1]):
                grouped.append([])
            grouped[-1].append(call)
        return grouped

    def medians(self) -> dict[str, float]:
        """The median time the ILS took per kind of call, over the calls since the mark."""
        durations: dict[str, list[float]] = {}
        for call in self.calls():
            durations.setdefault(call.name, []).append(call.seconds)
        return {name: statistics.median(values) for name, values in durations.items()}


def ils_wait(levels: Sequence[Sequence[str]], medians: dict[str, float]) -> float:
    """Time on the critical path spent waiting on the ILS: each level lasts as long as its slowest
    kind of call took the ILS (its median under this load)."""
    return sum(max(medians.get(name, 0.0) for name in level) for level in levels if level)


def describe_levels(levels: Sequence[Sequence[str]]) -> str:
    return "  ->  ".join(" + ".join(sorted(set(level))) for level in levels)


def median_spread(values: Sequence[float]) -> tuple[float, float]:
    """The median and the relative spread ((max - min) / median) of repeated measurements."""
    middle = statistics.median(values)
    return middle, ((max(values) - min(values)) / middle if middle else 0.0)


def rounds(count: int, configurations: Sequence[object]) -> Iterator[tuple[int, object]]:
    """Alternate the configurations `count` times: a slow minute of the machine hits all of them."""
    for round_number in range(count):
        for configuration in configurations:
            yield round_number, configuration


@dataclass(frozen=True)
class Served:
    """A benchmark's running set-up."""

    emulator: EmulatorProcess
    gateway: ServedGateway
    timeline: Timeline
    ils_db: Path
    gateway_db: str
    today: date


@contextmanager
def served(
    prepare: Callable[[Path, date], object],
    *,
    workers: int = 1,
    pool_size: int = 4,
    code: Path | None = None,
) -> Iterator[Served]:
    """Emulator (seeded, then `prepare(db, today)`) and the served CLI, with the demo's share."""
    today = date.today()
    with tempfile.TemporaryDirectory() as directory:
        ils_db, timeline_path = Path(directory) / "ils.sqlite", Path(directory) / "timeline.txt"
        ensure_seeded(ils_db, today)
        prepare(ils_db, today)
        gateway_db = f"sqlite+aiosqlite:///{Path(directory) / 'gateway.sqlite'}"
        asyncio.run(seed_demo_portal(gateway_db))  # Camille sees Léo
        with (
            EmulatorProcess(ils_db, timeline_path=timeline_path, demo_today=False) as emulator,
            ServedGateway(
                sip2_address=emulator.sip2_address,
                wsdl_url=emulator.wsdl_url,
                database_url=gateway_db,
                workers=workers,
                pool_size=pool_size,
                code=code,
            ) as gateway,
        ):
            yield Served(emulator, gateway, Timeline(timeline_path), ils_db, gateway_db, today)

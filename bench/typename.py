"""`{ __typename }` on keep-alive connections: the served CLI against a bare Starlette endpoint.

The floor of every request: HTTP parsing, the GraphQL view, the per-request context, an
execution with no field to resolve, the JSON answer. Both servers run as processes (the bare
one is tests/e2e/bare_starlette.py, a Starlette route answering the same JSON under uvicorn on
a listening socket bound like the gateway's); wrk alternates between them, one connection, then
`--clients` connections. Prints p50, p99, req/s and CPU per request of each (from /proc), and
the ratio of the p50s (issue 9's target: within 1.5x). Medians of `--rounds` alternating runs.
Run: `.venv/bin/python bench/typename.py [--rounds 5] [--seconds 3]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

import _data
from _served import ROOT, Load, Request, body, cpu_seconds, load, served


def _bare_starlette() -> tuple[subprocess.Popen[str], str]:
    script = ROOT / "tests" / "e2e" / "bare_starlette.py"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, f"http://127.0.0.1:{int(process.stdout.readline())}"


def main(rounds: int, seconds: float, clients: list[int], code: Path | None) -> None:
    requests = [Request(body("{ __typename }"))]
    bare, bare_url = _bare_starlette()
    try:
        with served(_data.nothing, code=code) as setup:
            servers = {
                "gateway": (setup.gateway.url, setup.gateway.pids),
                "starlette": (bare_url, lambda: [bare.pid]),
            }
            figures: dict[tuple[str, int], list[tuple[Load, float]]] = {}
            for url, _ in servers.values():
                load(url, requests, connections=1, seconds=1)  # warm-up
            for _ in range(rounds):
                for n in clients:
                    for name, (url, pids) in servers.items():
                        cpu = cpu_seconds(pids())
                        result = load(url, requests, connections=n, seconds=seconds)
                        cpu = (cpu_seconds(pids()) - cpu) / result.requests
                        figures.setdefault((name, n), []).append((result, cpu))
            print(f"{{ __typename }}, keep-alive, medians of {rounds} alternating runs of {seconds:.0f} s:")
            for n in clients:
                p50s = {}
                for name in servers:
                    runs = figures[name, n]
                    p50s[name] = statistics.median(r.p50 for r, _ in runs)
                    p99 = statistics.median(r.p99 for r, _ in runs)
                    rate = statistics.median(r.rate for r, _ in runs)
                    cpu = statistics.median(c for _, c in runs)
                    low, high = min(r.p50 for r, _ in runs), max(r.p50 for r, _ in runs)
                    print(
                        f"  {name:<9} {n:>3} clients  p50 {p50s[name] * 1e3:6.2f} ms"
                        f" ({low * 1e3:.2f}-{high * 1e3:.2f})  p99 {p99 * 1e3:6.2f} ms"
                        f"  {rate:7.0f} req/s  CPU/req {cpu * 1e3:5.2f} ms"
                    )
                ratio = p50s["gateway"] / p50s["starlette"]
                print(f"  ratio of p50s, gateway / bare Starlette, {n} clients: {ratio:.2f}")
    finally:
        bare.terminate()
        bare.wait()
        assert bare.stdout is not None
        bare.stdout.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--code", type=Path, help="serve another checkout of the gateway (before/after)")
    arguments = parser.parse_args()
    main(arguments.rounds, arguments.seconds, arguments.clients, arguments.code)

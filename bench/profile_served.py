"""Where the served gateway's CPU goes: py-spy samples `ils-gateway serve` while wrk drives one operation.

Prints the functions with the most samples on the gateway's stack (own time and inclusive) and
the share of each package. The operation is the Dashboard (default), the 50-loan pass-through
query (`--query loans`) or `{ __typename }` (`--query typename`). Needs py-spy (`pip install
py-spy`; it reads the process with ptrace, so run as root or with the ptrace capability).
Run: `.venv/bin/python bench/profile_served.py [--query dashboard] [--seconds 10] [--clients 1]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import _data
from _served import Request, body, load, served, sign_in

from emulator.seed import CAMILLE

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = {
    "dashboard": (ROOT / "contract" / "operations" / "dashboard.graphql").read_text(encoding="utf-8"),
    "loans": _data.PASS_THROUGH,
    "typename": "{ __typename }",
}


def _package(frame: str) -> str:
    """`function (path/to/module.py:line)` -> the top-level package or our layer."""
    path = frame.rpartition("(")[2]
    if "site-packages/" in path:
        return path.split("site-packages/")[1].split("/")[0].split(".")[0]
    for layer in ("gateway", "schema", "adapters"):
        if f"/{layer}/" in path:
            return layer
    return "python" if "/lib/python" in path else path.split(":")[0]


def report(samples: dict[tuple[str, ...], int], top: int) -> None:
    total = sum(samples.values())
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    packages: collections.Counter[str] = collections.Counter()
    for stack, count in samples.items():
        own[stack[-1]] += count
        packages[_package(stack[-1])] += count
        for frame in set(stack):
            inclusive[frame] += count
    print(f"{total} samples")
    print("own time, by package:")
    for name, count in packages.most_common(12):
        print(f"  {count / total:6.1%}  {name}")
    print("own time, by function:")
    for name, count in own.most_common(top):
        print(f"  {count / total:6.1%}  {name}")
    print("inclusive, by function:")
    for name, count in inclusive.most_common(top):
        print(f"  {count / total:6.1%}  {name}")


def main(query: str, seconds: float, clients: int, top: int, flame: Path | None) -> None:
    if shutil.which("py-spy") is None and not (Path(sys.executable).parent / "py-spy").exists():
        raise SystemExit("py-spy is not installed (pip install py-spy)")
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    prepare = {"loans": _data.fifty_loans, "typename": _data.nothing}.get(query, _data.camille_dashboard)
    with served(prepare) as setup:
        card = CAMILLE if query != "loans" else _data.bench_card(0)
        password = _data.CAMILLE_PASSWORD if query != "loans" else _data.BENCH_PASSWORD
        token = sign_in(setup.gateway.url, card, password) if query != "typename" else ""
        requests = [Request(body(DOCUMENTS[query]), token)]
        load(setup.gateway.url, requests, connections=clients, seconds=2)  # warm-up
        with tempfile.NamedTemporaryFile(suffix=".txt") as raw:
            command = [
                spy,
                "record",
                "-p",
                str(setup.gateway.process.pid),
                "-r",
                "250",
                "-d",
                str(int(seconds)),
            ]
            command += ["--format", "raw", "-o", raw.name, "--nonblocking", "--gil"]
            spying = threading.Thread(target=subprocess.run, args=(command,), kwargs={"capture_output": True})
            spying.start()
            result = load(setup.gateway.url, requests, connections=clients, seconds=seconds)
            spying.join()
            samples: dict[tuple[str, ...], int] = {}
            for line in Path(raw.name).read_text().splitlines():
                stack, _, count = line.rpartition(" ")
                samples[tuple(stack.split(";"))] = samples.get(tuple(stack.split(";")), 0) + int(count)
            if flame is not None:
                flame.write_text(Path(raw.name).read_text())
        print(f"{query}: {result.rate:.1f} req/s at {clients} clients, p50 {result.p50 * 1000:.1f} ms")
        report(samples, top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--query", choices=sorted(DOCUMENTS), default="dashboard")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--raw", type=Path, help="also write py-spy's collapsed stacks here (flame graphs)")
    arguments = parser.parse_args()
    main(arguments.query, arguments.seconds, arguments.clients, arguments.top, arguments.raw)

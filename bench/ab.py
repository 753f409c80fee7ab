"""Before/after: two checkouts of the gateway served side by side on one emulator, runs alternated.

Both `ils-gateway serve` processes (the same interpreter, one per checkout: `--base DIR` and
this one, or `--other DIR`) talk to the same emulator child process and the same store; wrk
alternates between them, run after run, so a busy minute of the machine hits both. Prints per
checkout the median (and range) of CPU per request (the served process's, from /proc), p50 and
req/s, and the ratio of the medians. The operation is the Dashboard (default), the 50-loan
pass-through query or `{ __typename }`. Run:
`.venv/bin/python bench/ab.py --base /path/to/checkout [--query dashboard] [--rounds 7]`.
Owns nothing the gateway uses; tests never import it.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import _data
from _served import ROOT, Request, ServedGateway, body, load, served, sign_in

from emulator.seed import CAMILLE

QUERIES = {
    "dashboard": (
        (ROOT / "contract" / "operations" / "dashboard.graphql").read_text(encoding="utf-8"),
        _data.camille_dashboard,
        (CAMILLE, _data.CAMILLE_PASSWORD),
    ),
    "loans": (_data.PASS_THROUGH, _data.fifty_loans, (_data.bench_card(0), _data.BENCH_PASSWORD)),
    "typename": ("{ __typename }", _data.nothing, None),
}


def main(
    base: Path, other: Path, query: str, latency: float, clients: int, rounds: int, seconds: float
) -> None:
    document, prepare, card = QUERIES[query]
    with served(prepare, code=base) as setup:
        setup.emulator.set_faults(sip2_latency_ms=latency, soap_latency_ms=latency)
        with ServedGateway(
            sip2_address=setup.emulator.sip2_address,
            wsdl_url=setup.emulator.wsdl_url,
            database_url=setup.gateway_db,
            code=other,
        ) as second:
            gateways = {"base": setup.gateway, "other": second}
            token = sign_in(setup.gateway.url, *card) if card else ""
            requests = [Request(body(document), token)]
            for gateway in gateways.values():
                load(gateway.url, requests, connections=clients, seconds=2)  # warm-up
            figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in gateways}
            for _ in range(rounds):
                for name, gateway in gateways.items():
                    cpu = gateway.cpu()
                    result = load(gateway.url, requests, connections=clients, seconds=seconds)
                    if result.bad or result.socket_errors:
                        print(f"  ! {name}: {result.bad} bad answers, {result.socket_errors} socket errors")
                    figures[name].append(((gateway.cpu() - cpu) / result.requests, result.p50, result.rate))
    print(
        f"{query}, ILS latency {latency:.0f} ms, {clients} clients,"
        f" {rounds} alternating runs of {seconds:.0f} s"
    )
    medians = {}
    for name, path in (("base", base), ("other", other)):
        runs = figures[name]
        cpu = [c * 1000 for c, _, _ in runs]
        p50 = [p * 1000 for _, p, _ in runs]
        medians[name] = statistics.median(cpu), statistics.median(p50)
        print(
            f"  {name:<5} CPU/req {medians[name][0]:6.2f} ms ({min(cpu):.2f}-{max(cpu):.2f})"
            f"  p50 {medians[name][1]:6.2f} ms ({min(p50):.2f}-{max(p50):.2f})"
            f"  {statistics.median(r for _, _, r in runs):6.1f} req/s   {path}"
        )
    print(
        f"  other / base: CPU {medians['other'][0] / medians['base'][0]:.2f},"
        f" p50 {medians['other'][1] / medians['base'][1]:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the checkout before the change")
    parser.add_argument("--other", type=Path, default=ROOT, help="the checkout after it (default: this one)")
    parser.add_argument("--query", choices=sorted(QUERIES), default="dashboard")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=3.0)
    a = parser.parse_args()
    main(a.base, a.other, a.query, a.latency, a.clients, a.rounds, a.seconds)

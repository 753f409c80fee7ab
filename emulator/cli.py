"""`ils-gateway emulator`: run the reference ILS (SIP2 + SOAP + admin API) until Ctrl-C.

Owns the command-line arguments and the start-up banner (where it listens).
Never prints a password; everything else is `runner.run_emulator`'s job.
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import contextlib
import signal
import sys

from emulator.faults import FaultSettings
from emulator.generate import parse_size
from emulator.runner import EmulatorConfig, RunningEmulator, run_emulator


def _size(text: str) -> str | int:
    try:
        parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return int(text) if text.isdigit() else text


def _milliseconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of milliseconds") from None
    if not 0 <= value <= 600_000:
        raise argparse.ArgumentTypeError("milliseconds must be between 0 and 600000")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The emulator's options on its subcommand parser."""
    parser.add_argument("--db", required=True, help="SQLite file; created and seeded when absent")
    parser.add_argument("--sip2-port", type=_port, default=6001, help="SIP2 TCP port (0: any free port)")
    parser.add_argument("--soap-port", type=_port, default=8081, help="SOAP + admin HTTP port (0: any)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--latency-ms", type=_milliseconds, default=0.0, help="added to every answer")
    parser.add_argument("--jitter-ms", type=_milliseconds, default=0.0, help="random extra latency, 0..J")
    parser.add_argument(
        "--size",
        type=_size,
        default="demo",
        help="generated data: demo (default), small, large or an item count",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated data and faults")
    parser.add_argument("--sip2-user", default="gateway", help="SIP2 login user (93 CN)")
    parser.add_argument("--sip2-password", default="gateway", help="SIP2 login password (93 CO)")
    parser.add_argument("--institution", default="PARIS", help="institution id (AO)")
    parser.add_argument("--encoding", default="utf-8", help="SIP2 wire encoding (utf-8, cp850, latin-1)")
    parser.add_argument(
        "--error-detection",
        choices=("on", "off", "mirror"),
        default="on",
        help="AY/AZ on SIP2 answers: on (default), off, or mirror each request's style",
    )
    parser.add_argument(
        "--no-soap",
        dest="soap",
        action="store_false",
        help="serve SIP2 only, like most library systems (no SOAP service; the admin API stays)",
    )


def config_from(args: argparse.Namespace) -> EmulatorConfig:
    """The runner's configuration from parsed arguments."""
    latency = float(args.latency_ms)
    return EmulatorConfig(
        db_path=args.db,
        host=args.host,
        sip2_port=args.sip2_port,
        soap_port=args.soap_port,
        size=args.size,
        seed=args.seed,
        sip2_user=args.sip2_user,
        sip2_password=args.sip2_password,
        institution=args.institution,
        encoding=args.encoding,
        error_detection=args.error_detection,
        soap=args.soap,
        faults=FaultSettings(
            sip2_latency_ms=latency, soap_latency_ms=latency, jitter_ms=float(args.jitter_ms)
        ),
    )


def banner(emulator: RunningEmulator) -> str:
    """Where the running emulator listens, for people."""
    return "\n".join(
        [
            "Reference ILS emulator running (Ctrl-C to stop)",
            f"  SIP2      {emulator.sip2_host}:{emulator.sip2_port}",
            *(
                [f"  SOAP      {emulator.soap_url}", f"  WSDL      {emulator.wsdl_url}"]
                if emulator.soap
                else ["  SOAP      off (--no-soap): SIP2 only"]
            ),
            f"  admin     {emulator.admin_url}/faults  {emulator.admin_url}/stats",
            f"  database  {emulator.db_path}",
        ]
    )


async def _serve(config: EmulatorConfig) -> None:
    stop = asyncio.Event()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # no signal handlers on this platform
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with run_emulator(config) as emulator:
        print(banner(emulator), flush=True)
        await stop.wait()


def run(args: argparse.Namespace) -> int:
    """Run until interrupted; 0 on Ctrl-C, 1 when it cannot start (e.g. port in use)."""
    try:
        codecs.lookup(args.encoding)
    except LookupError:
        print(f"unknown encoding {args.encoding!r}", file=sys.stderr)
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        try:
            asyncio.run(_serve(config_from(args)))
        except OSError as error:
            print(f"cannot start the emulator: {error}", file=sys.stderr)
            return 1
    return 0

"""`ils-gateway serve` and `ils-gateway export-schema`.

Owns the command-line side of running the gateway: reading the settings once, starting
uvicorn, and in `--demo` mode the embedded emulator plus the demo portal data (Camille
sees Léo's account) and the banner with the demo cards. Never prints a secret; the demo
banner names the demo cards but never their passwords (birth dates): whatever collects the
process's output must never hold one, demo or not; the README lists them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn
from pydantic import ValidationError

from gateway.app import build_gateway_schema, create_app
from gateway.logs import logging_config
from gateway.mailing import mail_destination
from gateway.settings import Settings

if TYPE_CHECKING:
    from emulator.runner import EmulatorConfig, RunningEmulator

DEMO_GATEWAY_DB = "sqlite+aiosqlite:///./.demo-gateway.sqlite"
# (card, name, what to look at) — the demo data of DESIGN.md.
DEMO_CARDS = (
    ("2900000001", "Camille Martin", "7 loans, 3 holds, sees Léo's account"),
    ("2900000002", "Léo Martin", "child: 2 loans, one overdue"),
    ("2900000003", "Inès Martin", "1 renewable loan"),
    ("2900000004", "Hugo Bernard", "10 holds: the limit"),
    ("2900000005", "Lucie Bernard", "shares Hugo's e-mail (e-mail sign-in refused)"),
    ("2900000006", "Nadia Haddad", "blocked: fines owed"),
)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000)")
    parser.add_argument(
        "--workers", type=_positive, default=1, help="worker processes sharing the port (default 1)"
    )
    parser.add_argument("--demo", action="store_true", help="start the reference ILS in-process (demo data)")
    parser.add_argument("--demo-sip2-port", type=int, default=6001, help="demo ILS SIP2 port (default 6001)")
    parser.add_argument("--demo-soap-port", type=int, default=8001, help="demo ILS SOAP port (default 8001)")
    parser.add_argument("--demo-db", type=Path, default=Path(".demo-ils.sqlite"), help="demo ILS database")
    parser.add_argument(
        "--ils-profile",
        choices=("composite", "sip2"),
        default=None,
        help="sip2: the ILS over SIP2 alone (with --demo, the emulator's SOAP side off); "
        "default: GATEWAY_ILS_PROFILE",
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def banner(
    url: str, *, demo: bool, ils_admin: str | None = None, mail: str | None = None, sip2_only: bool = False
) -> str:
    lines = [
        "Library gateway running (Ctrl-C to stop)",
        f"  GraphiQL  {url}/graphql",
        f"  health    {url}/readyz",
    ]
    if sip2_only:
        lines.append("  ILS       over SIP2 alone (SIP2-only profile: no SOAP service)")
    if mail:
        # Where mail goes: the SMTP server (never its password) or the outbox folder of .eml files.
        lines.append(f"  mail      {mail}")
    if ils_admin:
        # The demo ILS's fault knobs and counters (loopback only): outages, latency, ...
        lines.append(f"  ILS admin {ils_admin}")
    if demo:
        lines += ["", "Demo cards (password: the birth date ddmmyyyy, listed in README.md):"]
        lines += [f"  {card}  {name}: {note}" for card, name, note in DEMO_CARDS]
    return "\n".join(lines)


async def seed_demo_portal(database_url: str) -> None:
    """The demo's portal data: Camille (2900000001) sees Léo's account (2900000002) and has her
    basket, search preferences and DURAS new-arrivals subscription (gateway/demo_portal.py)."""
    from adapters.store.database import Database
    from adapters.store.port import ShareScope
    from adapters.store.sql import sql_store
    from gateway.demo_portal import seed_camille_portal

    database = Database(database_url)
    try:
        await database.migrate()
        store = sql_store(database.sessions)
        # Accepted, view and renew (what the portal has always allowed); kept as the demo changed it.
        await store.shares.create(
            owner_id="2900000002", viewer_id="2900000001", scope=ShareScope.VIEW_AND_RENEW
        )
        await seed_camille_portal(store)
    finally:
        await database.close()


def listening_socket(host: str, port: int) -> socket.socket:
    """The HTTP listener, bound here so that port 0 works and the banner names the real port.

    Accepted connections inherit TCP_NODELAY from it. asyncio sets that option itself only
    on sockets made with proto=IPPROTO_TCP, which `create_server`'s are not; without it each
    answer on a kept-alive connection (headers, then body) waits ~40 ms for a delayed ACK.
    """
    sock = socket.create_server((host, port), reuse_port=False)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


async def _run_server(
    settings: Settings, host: str, port: int, *, demo: bool, ils_admin: str | None = None
) -> None:
    config = uvicorn.Config(
        create_app(settings),
        # Access lines would carry GET query strings (search text, variables): not logged.
        access_log=False,
        # The client address is ours to decide (GATEWAY_TRUSTED_PROXIES): uvicorn's default
        # believes X-Forwarded-For from 127.0.0.1, which would let a local client pick its own.
        proxy_headers=False,
        # Ours, applied by uvicorn once: nothing reconfigures logging after it.
        log_config=logging_config(json_lines=not settings.is_development, level=settings.log_level),
    )
    server = uvicorn.Server(config)
    sock = listening_socket(host, port)
    bound_port = sock.getsockname()[1]
    display_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{display_host}:{bound_port}"
    mail = mail_destination(settings)
    print(banner(url, demo=demo, ils_admin=ils_admin, mail=mail, sip2_only=settings.sip2_only), flush=True)
    try:
        await server.serve(sockets=[sock])
    finally:
        sock.close()


def with_ils_profile(settings: Settings, args: argparse.Namespace) -> Settings:
    """The settings with `--ils-profile` applied (it wins over GATEWAY_ILS_PROFILE)."""
    if getattr(args, "ils_profile", None) is None:
        return settings
    return settings.model_copy(update={"ils_profile": args.ils_profile})


def demo_emulator_config(settings: Settings, args: argparse.Namespace) -> EmulatorConfig:
    """The embedded emulator of `--demo`: its SOAP side off when the gateway is SIP2-only."""
    from emulator.runner import EmulatorConfig

    return EmulatorConfig(
        db_path=args.demo_db,
        sip2_port=args.demo_sip2_port,
        soap_port=args.demo_soap_port,
        soap=not settings.sip2_only,
    )


def demo_changes(settings: Settings, emulator: RunningEmulator, demo_db: Path) -> dict[str, str]:
    """The settings `--demo` changes to reach its emulator, by field name.

    SIP2-only (`--ils-profile sip2`, GATEWAY_ILS_PROFILE=sip2 or an empty GATEWAY_ILS_SOAP_WSDL):
    no WSDL, and the emulator's libraries written beside its database as the
    GATEWAY_ILS_LIBRARIES_FILE (SIP2 has no list of libraries) unless one is set.
    """
    changes = {"ils_sip2_address": f"{emulator.sip2_host}:{emulator.sip2_port}"}
    if settings.sip2_only:
        changes |= {"ils_profile": "sip2", "ils_soap_wsdl": ""}
        if not settings.ils_libraries_file:
            changes["ils_libraries_file"] = str(_write_demo_libraries(demo_db))
    else:
        changes["ils_soap_wsdl"] = emulator.wsdl_url
    if "database_url" not in settings.model_fields_set:
        changes["database_url"] = DEMO_GATEWAY_DB
    return changes


def _write_demo_libraries(demo_db: Path) -> Path:
    import json

    from emulator.db import connect, library_entries

    connection = connect(demo_db)
    try:
        entries = library_entries(connection)
    finally:
        connection.close()
    path = demo_db.with_name(f"{demo_db.stem}.libraries.json")
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


async def _serve_demo(settings: Settings, args: argparse.Namespace) -> None:
    from emulator.runner import run_emulator

    async with run_emulator(demo_emulator_config(settings, args)) as emulator:
        changes = demo_changes(settings, emulator, args.demo_db)
        demo_settings = settings.model_copy(update=changes)
        await seed_demo_portal(demo_settings.database_url)
        await _run_server(demo_settings, args.host, args.port, demo=True, ils_admin=emulator.admin_url)


def run_serve(args: argparse.Namespace) -> int:
    try:
        settings = with_ils_profile(Settings(), args)
    except ValidationError as error:
        print(f"invalid settings:\n{error}", file=sys.stderr)
        return 2
    if args.workers > 1:
        from gateway.workers import run_workers

        return run_workers(settings, args)
    with contextlib.suppress(KeyboardInterrupt):
        try:
            if args.demo:
                asyncio.run(_serve_demo(settings, args))
            else:
                asyncio.run(_run_server(settings, args.host, args.port, demo=False))
        except OSError as error:
            print(f"cannot start: {error}", file=sys.stderr)
            return 1
    return 0


def run_export_schema(args: argparse.Namespace) -> int:
    """Print the served SDL (the schema does not depend on the environment's settings)."""
    print(build_gateway_schema(Settings.model_construct()).as_str())
    return 0

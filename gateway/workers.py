"""`ils-gateway serve --workers N`: N uvicorn worker processes sharing one listening socket.

Owns the supervisor's side: it reads the settings once, refuses a combination that would
break a promise (more workers than SIP2 connections; production sign-in throttling per
worker), migrates the store once before any worker starts (workers migrating at the same
time would race on the schema), binds the socket (port 0 and fixed ports alike: the workers
inherit it, none binds its own), and hands each worker its settings through the environment:
the same secret key (a development key is random per process, and sessions must verify in
every worker) and its share of the SIP2 pool, so that the replica as a whole keeps
GATEWAY_ILS_SIP2_POOL_SIZE connections. uvicorn's `Multiprocess` supervises the workers
(restarts a dead one, forwards Ctrl-C and SIGTERM). State the workers share lives in the
store (sessions, shares, idempotency) and in Redis (sign-in throttling). In `--demo` mode the
emulator runs in a thread of the supervisor. Never prints a secret.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette
from uvicorn.supervisors import Multiprocess

from gateway.logs import logging_config
from gateway.settings import Settings

# The factory each worker process imports (uvicorn spawns workers: they import, not fork).
WORKER_APP = "gateway.workers:worker_app"


def worker_app() -> Starlette:
    """One worker's app, from the settings the supervisor put in its environment."""
    from gateway.app import create_app

    return create_app(Settings())


def refusal(settings: Settings, workers: int) -> str | None:
    """Why these settings cannot run with `workers` processes, or None."""
    if workers > settings.ils_sip2_pool_size:
        pool = settings.ils_sip2_pool_size
        return (
            f"--workers {workers} needs at least as many SIP2 connections (GATEWAY_ILS_SIP2_POOL_SIZE"
            f"={pool}): the replica's pool is shared out between its workers"
        )
    if not settings.is_development and not settings.redis_url:
        return (
            "--workers in production needs GATEWAY_REDIS_URL: without it each worker would count"
            " failed sign-ins on its own"
        )
    return None


def worker_environment(settings: Settings, workers: int, changes: dict[str, str]) -> dict[str, str]:
    """The GATEWAY_* variables each worker reads on top of the supervisor's environment."""
    return {
        **changes,
        "GATEWAY_SECRET_KEY": settings.secret_key.get_secret_value(),
        # Rounded down: the replica never opens more than the configured pool.
        "GATEWAY_ILS_SIP2_POOL_SIZE": str(settings.ils_sip2_pool_size // workers),
    }


async def _prepare_store(database_url: str, *, demo: bool) -> None:
    from adapters.store.database import Database
    from gateway.serve import seed_demo_portal

    if demo:
        await seed_demo_portal(database_url)  # migrates too
        return
    database = Database(database_url)
    try:
        await database.migrate()
    finally:
        await database.close()


@contextmanager
def _demo_ils(settings: Settings, args: argparse.Namespace) -> Iterator[tuple[dict[str, str], str] | None]:
    """With --demo, the emulator in a thread of the supervisor: (the settings it changes, by
    field name, and its admin URL)."""
    from emulator.runner import run_emulator
    from gateway.serve import demo_changes, demo_emulator_config

    if not args.demo:
        yield None
        return

    config = demo_emulator_config(settings, args)
    started = threading.Event()
    where: list[tuple[dict[str, str], str]] = []
    failure: list[BaseException] = []
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def serve() -> None:
        async with run_emulator(config) as emulator:
            where.append((demo_changes(settings, emulator, args.demo_db), emulator.admin_url))
            started.set()
            await stop.wait()

    def run() -> None:
        try:
            loop.run_until_complete(serve())
        except BaseException as error:  # reported by the supervisor's thread
            failure.append(error)
        finally:
            started.set()
            loop.close()

    thread = threading.Thread(target=run, name="demo-ils", daemon=True)
    thread.start()
    started.wait()
    if failure:
        raise failure[0]
    try:
        yield where[0]
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)


def run_workers(settings: Settings, args: argparse.Namespace) -> int:
    """Serve with `args.workers` processes until Ctrl-C or SIGTERM; the exit code."""
    from gateway.mailing import mail_destination
    from gateway.serve import banner, listening_socket

    problem = refusal(settings, args.workers)
    if problem is not None:
        print(f"cannot start: {problem}", file=sys.stderr)
        return 2
    with _demo_ils(settings, args) as demo:
        # Workers read their settings from the environment: what the command line changed goes there.
        changes: dict[str, str] = {}
        if getattr(args, "ils_profile", None):
            changes["GATEWAY_ILS_PROFILE"] = args.ils_profile
        if demo is not None:
            changes |= {f"GATEWAY_{name.upper()}": value for name, value in demo[0].items()}
        os.environ.update(worker_environment(settings, args.workers, changes))
        database_url = os.environ.get("GATEWAY_DATABASE_URL", settings.database_url)
        asyncio.run(_prepare_store(database_url, demo=demo is not None))
        sock = listening_socket(args.host, args.port)
        try:
            config = uvicorn.Config(
                WORKER_APP,
                factory=True,
                workers=args.workers,
                access_log=False,
                # The client address is ours to decide (GATEWAY_TRUSTED_PROXIES): uvicorn's default
                # believes X-Forwarded-For from 127.0.0.1, which would let a local client pick its own.
                proxy_headers=False,
                log_config=logging_config(json_lines=not settings.is_development, level=settings.log_level),
            )
            display_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
            url = f"http://{display_host}:{sock.getsockname()[1]}"
            admin = demo[1] if demo else None
            mail = mail_destination(settings)
            sip2_only = os.environ.get("GATEWAY_ILS_PROFILE") == "sip2" or settings.sip2_only
            print(
                banner(url, demo=demo is not None, ils_admin=admin, mail=mail, sip2_only=sip2_only),
                flush=True,
            )
            print(f"  workers   {args.workers} processes", flush=True)
            Multiprocess(config, sockets=[sock]).run()
        finally:
            sock.close()
    return 0

"""`ils-gateway send-alerts`: one run of the new-arrivals digest job, then a one-line summary.

Owns opening what the job needs from the settings (the ILS, the store, the real mailer:
SMTP or the outbox folder) and the exit code: 0 when every mail due was sent, 1 when some
failed (they stay queued: the next run or `serve`'s sender retries them) or the run failed,
2 for invalid settings. The share-request mails due are sent too (the queue is one), so
their outcome is recorded in the requests' history as `serve` would. Prints counts only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from adapters.errors import GatewayError
from gateway.alerts import AlertRun, send_alerts
from gateway.alerts_schedule import QueuedDigestMailer
from gateway.mailing import mail_destination, open_mailer
from gateway.sessions import utc_now
from gateway.settings import Settings
from schema.sharing.mail import share_mail_listener


async def run_once(settings: Settings, clock: Callable[[], datetime] = utc_now) -> AlertRun:
    """One run against the configured ILS, store and mailer."""
    from adapters.ils.composite import open_composite_ils
    from adapters.ils.sip2_only import open_sip2_only_ils
    from adapters.store.database import Database
    from adapters.store.sql import sql_store
    from gateway.runtime import read_libraries, sip2_config

    database = Database(settings.database_url)
    try:
        await database.migrate()
        store = sql_store(database.sessions, clock=clock, cache_seconds=0)
        mailer = open_mailer(settings, database.sessions, clock)
        mailer.subscribe(share_mail_listener(store, clock))
        # The same ILS as `serve` (gateway/runtime.py): SIP2 alone, or SIP2 and SOAP.
        opened = (
            open_sip2_only_ils(sip2_config(settings), read_libraries(settings.ils_libraries_file))
            if settings.sip2_only
            else open_composite_ils(sip2_config(settings), settings.ils_soap_wsdl)
        )
        async with opened as ils:
            return await send_alerts(
                ils, store, QueuedDigestMailer(mailer), today=clock().astimezone().date(), clock=clock
            )
    finally:
        await database.close()


def run_send_alerts(args: argparse.Namespace) -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"invalid settings:\n{error}", file=sys.stderr)
        return 2
    try:
        run = asyncio.run(run_once(settings))
    except (GatewayError, SQLAlchemyError, OSError) as error:
        # The kind only: an ILS or database error may carry a connection string.
        print(f"send-alerts failed: {type(error).__name__}", file=sys.stderr)
        return 1
    print(
        f"send-alerts: {run.lists} lists checked, {run.subscribers} subscribers,"
        f" {run.digests + run.resumed} mails queued ({run.titles} titles),"
        f" {run.sent} sent, {run.failed} to retry; mail to {mail_destination(settings)}",
        flush=True,
    )
    return 1 if run.failed else 0

"""The gateway's background sender: delivers due mail, then sleeps until the next is due or one is queued.

Owns the loop only (adapters/mail/queue.py does the sending). A store or network failure
never ends it: it waits `poll` seconds and goes on. `poll` also bounds every sleep, so
mail queued by another process (a worker, `send-alerts`) is picked up within it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from adapters.mail.queue import Mailer

_log = logging.getLogger("adapters.mail")

POLL_SECONDS = 30.0


async def deliver_forever(
    mailer: Mailer, clock: Callable[[], datetime], *, poll: float = POLL_SECONDS
) -> None:
    """Run until cancelled (the gateway's lifespan starts and stops it)."""
    while True:
        try:
            while (await mailer.deliver_due()).attempted:
                _stop_if_cancelled()
            wait = _seconds_until(await mailer.next_attempt_at(), clock(), poll)
        except (SQLAlchemyError, OSError) as error:
            _log.warning("mail delivery paused (%s); trying again in %.0f s", type(error).__name__, poll)
            wait = poll
        _stop_if_cancelled()
        await mailer.wait_for_work(wait)


def _stop_if_cancelled() -> None:
    # aiosmtplib may swallow a CancelledError that lands while it says QUIT; the request
    # to stop is still counted on the task, so the loop ends here instead of sleeping on.
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def _seconds_until(due: datetime | None, now: datetime, poll: float) -> float:
    if due is None:
        return poll
    return min(max((due - now).total_seconds(), 0.0), poll)

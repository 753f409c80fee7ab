"""The digest job over the real mailer, and its optional schedule in `serve` (GATEWAY_ALERTS_SCHEDULE).

Owns `QueuedDigestMailer` (the mail queue as gateway/alerts.py's DigestMailer), the schedule's
grammar and `alerts_forever`, the background loop of `serve`. A schedule is either a daily
time, "07:00" (the server's local time, TZ), or a number of seconds between runs, "3600".
A failed run is logged (its error kind, never an address) and the next one comes as
planned: the job records what it sent, so a run after a failure sends only what is left.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from adapters.errors import GatewayError
from adapters.mail.port import DeliveryRound
from adapters.mail.queue import Mailer
from gateway.alerts import AlertRun
from schema.sharing.mail import QueuedShareMailer

_log = logging.getLogger("gateway.alerts")

_DAILY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class QueuedDigestMailer:
    """The gateway's Mailer as the digest job asks for it: queue by key, and send what is due."""

    mailer: Mailer

    async def enqueue(
        self,
        to: str,
        template: str,
        language: str,
        context: Mapping[str, Any],
        *,
        key: str | None = None,
        reference: str | None = None,
    ) -> str:
        # The same keyed queueing as share requests (one message per key, InvalidAddress a ValueError).
        return await QueuedShareMailer(self.mailer).enqueue(
            to, template, language, context, key=key, reference=reference
        )

    async def deliver_due(self) -> DeliveryRound:
        return await self.mailer.deliver_due()


@dataclass(frozen=True, slots=True)
class AlertsSchedule:
    """Daily at `daily` (local time), or every `every`."""

    daily: time | None = None
    every: timedelta | None = None

    @classmethod
    def parse(cls, text: str) -> AlertsSchedule:
        """ "07:00" (daily, local time) or "3600" (seconds between runs); ValueError otherwise."""
        value = text.strip()
        match = _DAILY.match(value)
        if match:
            return cls(daily=time(int(match[1]), int(match[2])))
        if value.isdigit() and int(value) > 0:
            return cls(every=timedelta(seconds=int(value)))
        raise ValueError('GATEWAY_ALERTS_SCHEDULE is a daily time ("07:00") or seconds between runs ("3600")')

    def next_after(self, now: datetime) -> datetime:
        """When the next run is due after `now` (an aware datetime)."""
        if self.every is not None:
            return now + self.every
        assert self.daily is not None
        local = now.astimezone()
        due = local.replace(hour=self.daily.hour, minute=self.daily.minute, second=0, microsecond=0)
        return due if due > local else due + timedelta(days=1)

    def describe(self) -> str:
        if self.every is not None:
            return f"every {int(self.every.total_seconds())} s"
        assert self.daily is not None
        return f"daily at {self.daily.strftime('%H:%M')} (local time)"


async def alerts_forever(
    schedule: AlertsSchedule,
    run: Callable[[], Awaitable[AlertRun]],
    clock: Callable[[], datetime],
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Run the job at each time the schedule says until cancelled (serve's lifespan stops it)."""
    while True:
        await sleep(max((schedule.next_after(clock()) - clock()).total_seconds(), 0.0))
        try:
            await run()
        except (GatewayError, SQLAlchemyError, OSError) as error:
            _log.warning("send-alerts failed (%s); next run as scheduled", type(error).__name__)

"""The mail queue: `Mailer.enqueue(OutgoingMail)` records a mail in the store, `deliver_due()` sends it.

Owns the life of a queued mail: rendered and checked when queued (an unknown template or
a missing variable fails the caller at once), claimed for each attempt, marked SENT in
the store right after the server accepted it, or RETRYING with an exponential backoff
(30 s, 1 min, 2 min... at most 1 h, for ever: a mail is never dropped for a server
outage), or FAILED when the server refused it for good. When the server itself is down,
every send holds off for the same backoff instead of trying each mail in turn. Logs
carry the mail's id, template, attempt number and error kind; never an address, a
context value or a body.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage

from jinja2 import TemplateError

from adapters.mail.message import build_message, check_address
from adapters.mail.port import DeliveryRound, MailState, MailStatus, OutgoingMail
from adapters.mail.render import MailRenderer, UnknownTemplate, mail_language
from adapters.mail.transport import DeliveryError, Transport
from adapters.store.outgoing_mail import ClaimedMail, SqlOutgoingMailRepository

_log = logging.getLogger("adapters.mail")

#: Called with a mail's new status after it is queued and after each attempt.
MailListener = Callable[[MailStatus], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Backoff:
    """The wait after the n-th failure: first x factor^(n-1), at most cap."""

    first: timedelta = timedelta(seconds=30)
    factor: float = 2.0
    cap: timedelta = timedelta(hours=1)

    def delay(self, failures: int) -> timedelta:
        # The exponent bounded first: 2**10000 seconds is no timedelta.
        growth = self.factor ** min(max(failures - 1, 0), 64)
        return timedelta(seconds=min(self.first.total_seconds() * growth, self.cap.total_seconds()))


class Mailer:
    """The MailQueue of the gateway (see adapters/mail/__init__.py for how callers use it)."""

    def __init__(
        self,
        repository: SqlOutgoingMailRepository,
        transport: Transport,
        *,
        sender: str,
        clock: Callable[[], datetime],
        renderer: MailRenderer | None = None,
        backoff: Backoff = Backoff(),
        lease: timedelta = timedelta(minutes=5),
        batch: int = 50,
    ) -> None:
        self._repository = repository
        self.transport = transport
        self._sender = sender
        self._clock = clock
        self._renderer = renderer or MailRenderer()
        self._backoff = backoff
        self._lease = lease
        self._batch = batch
        self._listeners: list[MailListener] = []
        self._wake = asyncio.Event()
        # The server is down: nothing is tried before this (consecutive failures so far).
        self._hold_until: datetime | None = None
        self._server_failures = 0

    def subscribe(self, listener: MailListener) -> None:
        """Call `listener` with every status change (its failures are logged, never raised)."""
        self._listeners.append(listener)

    async def enqueue(self, mail: OutgoingMail) -> MailStatus:
        check_address(mail.to)
        mail = replace(mail, language=mail_language(mail.language))
        self._renderer.render(mail.template, mail.language, mail.context)
        status, created = await self._repository.add(mail)
        if created:
            _log.info("mail %s queued (%s)", status.id, status.template)
            self._wake.set()
            await self._notify(status)
        return status

    async def status(self, keys: Sequence[str]) -> dict[str, MailStatus]:
        return await self._repository.statuses(keys)

    async def deliver_due(self) -> DeliveryRound:
        """Try each mail due now once (or none while the server is held off)."""
        sent = failed = rejected = 0
        for mail_id in await self._repository.due(self._batch):
            if self._holding():
                break
            state = await self._attempt(mail_id)
            sent += state is MailState.SENT
            failed += state is MailState.RETRYING
            rejected += state is MailState.FAILED
        return DeliveryRound(sent=sent, failed=failed, rejected=rejected)

    async def next_attempt_at(self) -> datetime | None:
        """When something may be tried next (None: nothing pending)."""
        due = await self._repository.next_due()
        if due is None or self._hold_until is None:
            return due
        return max(due, self._hold_until)

    async def wait_for_work(self, seconds: float) -> None:
        """Return when a mail is queued in this process, or after `seconds`."""
        try:
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        except TimeoutError:
            pass
        self._wake.clear()

    def _holding(self) -> bool:
        return self._hold_until is not None and self._clock() < self._hold_until

    async def _attempt(self, mail_id: str) -> MailState | None:
        claimed = await self._repository.claim(mail_id, self._lease)
        if claimed is None:
            return None  # not due any more, or another sender holds it
        try:
            await self.transport.send(self._message(claimed))
        except DeliveryError as error:
            return await self._failed(claimed, error)
        except (UnknownTemplate, TemplateError):
            # Templates changed since it was queued: kept for a release that can render it.
            return await self._failed(claimed, DeliveryError("template", about_message=True))
        self._server_failures, self._hold_until = 0, None
        status = await self._repository.mark_sent(claimed)
        _log.info("mail %s sent (attempt %d)", claimed.id, claimed.attempt)
        return await self._outcome(status)

    def _message(self, claimed: ClaimedMail) -> EmailMessage:
        rendered = self._renderer.render(claimed.template, claimed.language, claimed.context)
        return build_message(
            rendered, sender=self._sender, to=claimed.to, mail_id=claimed.id, queued_at=claimed.created_at
        )

    async def _failed(self, claimed: ClaimedMail, error: DeliveryError) -> MailState | None:
        if error.permanent:
            _log.warning("mail %s refused for good (%s, attempt %d)", claimed.id, error.kind, claimed.attempt)
            return await self._outcome(await self._repository.mark_failed(claimed, error.kind))
        now = self._clock()
        retry_at = now + self._backoff.delay(claimed.attempt)
        if not error.about_message:
            self._server_failures += 1
            self._hold_until = now + self._backoff.delay(self._server_failures)
            retry_at = max(retry_at, self._hold_until)
        _log.warning(
            "mail %s not sent (%s, attempt %d); next attempt %s",
            claimed.id,
            error.kind,
            claimed.attempt,
            retry_at.isoformat(timespec="seconds"),
        )
        return await self._outcome(await self._repository.mark_retry(claimed, error.kind, retry_at))

    async def _outcome(self, status: MailStatus | None) -> MailState | None:
        if status is None:
            return None  # our lease ran out and another sender took the mail over
        await self._notify(status)
        return status.state

    async def _notify(self, status: MailStatus) -> None:
        for listener in self._listeners:
            try:
                await listener(status)
            except Exception as error:
                _log.warning("mail listener failed on %s (%s)", status.id, type(error).__name__)

"""The share-request mail: what the sharing feature asks of the mailer, and the mail's events.

Owns the `ShareMailer` protocol (the part of adapters/mail.py's Mailer it uses: queue a
rendered message by key; ValueError for an address it cannot send to), the message's
template name and context, and `record_mail_outcome`, which turns the mailer's report on
one message (sent, failed, sent after retries) into the request's audit events. The context
holds the requester's name, the link and the dates: never a birth date. Never logs the
address or the link.

`QueuedShareMailer` is the real mailer as a ShareMailer (the gateway's `MailQueue` under
it), and `share_mail_listener` the listener the gateway subscribes to that queue so each
attempt at a share-request mail becomes the request's events.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from adapters.mail.port import MailQueue, MailState, MailStatus, OutgoingMail
from adapters.store.port import PortalStore
from adapters.store.share_port import ShareActor, ShareEvent, ShareEventKind, ShareRequest

_log = logging.getLogger("schema.sharing.mail")

TEMPLATE = "share_request"
KEY_PREFIX = "share-request:"


class ShareMailer(Protocol):
    async def enqueue(
        self,
        to: str,
        template: str,
        language: str,
        context: Mapping[str, Any],
        *,
        key: str | None = None,
        reference: str | None = None,
    ) -> str: ...


def mail_context(
    request: ShareRequest, *, owner_first_name: str, requester_name: str, link: str, network_name: str
) -> dict[str, Any]:
    """What the share_request templates show."""
    return {
        "first_name": owner_first_name,
        "requester_name": requester_name,
        "accept_url": link,
        "expires_on": request.expires_at.date().isoformat(),
        "network_name": network_name,
    }


async def queue_request_mail(
    mailer: ShareMailer, store: PortalStore, request: ShareRequest, to: str, context: Mapping[str, Any]
) -> bool:
    """Queue the request's mail (keyed by the request: queued twice, sent once); False when the
    mailer refuses the address (recorded as a failed mail; the request waits in the account)."""
    key = KEY_PREFIX + request.id
    try:
        await mailer.enqueue(to, TEMPLATE, request.language, context, key=key, reference=key)
    except ValueError:
        _log.warning("share request %s: the mailer refuses the address", request.id)
        await record_mail_outcome(store, key, sent=False, attempts=1, at=request.created_at)
        return False
    return True


def request_of_reference(reference: str) -> str | None:
    """The request id a mail reference names, or None for a mail that is not a share request's."""
    return reference.removeprefix(KEY_PREFIX) if reference.startswith(KEY_PREFIX) else None


async def record_mail_outcome(
    store: PortalStore, reference: str, *, sent: bool, attempts: int, at: datetime
) -> None:
    """The mailer's report on one attempt at a share-request mail, as the request's events:
    MAIL_FAILED for a failed attempt (MAIL_RETRIED too when it was not the first), MAILED once sent."""
    request_id = request_of_reference(reference)
    if request_id is None:
        return
    kinds: list[ShareEventKind] = []
    if attempts > 1:
        kinds.append(ShareEventKind.MAIL_RETRIED)
    kinds.append(ShareEventKind.MAILED if sent else ShareEventKind.MAIL_FAILED)
    for kind in kinds:
        await store.share_events.record(ShareEvent(kind, ShareActor.SYSTEM, at, request_id))


@dataclass(frozen=True, slots=True)
class QueuedShareMailer:
    """The gateway's mail queue as the sharing feature asks for it (a ShareMailer).

    The request's key is the queue's idempotency key, so a retried mutation queues one mail;
    the queue's InvalidAddress is a ValueError, which queue_request_mail already handles.
    """

    queue: MailQueue

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
        if key is None:
            raise ValueError("a share-request mail needs its key")  # a bug: never sent twice
        status = await self.queue.enqueue(
            OutgoingMail(to=to, language=language, template=template, context=dict(context), key=key)
        )
        return status.id


def share_mail_listener(
    store: PortalStore, clock: Callable[[], datetime]
) -> Callable[[MailStatus], Awaitable[None]]:
    """The queue's listener that records each attempt at a share-request mail as its events
    (other mails, and the "queued" report, record nothing)."""

    async def listen(status: MailStatus) -> None:
        if status.state is MailState.QUEUED or request_of_reference(status.key) is None:
            return
        sent = status.state is MailState.SENT
        at = status.sent_at if sent and status.sent_at is not None else clock()
        await record_mail_outcome(store, status.key, sent=sent, attempts=status.attempts, at=at)

    return listen

"""The share-request mail: what the sharing feature asks of the mailer, and the mail's events.

Owns the `ShareMailer` protocol (the part of adapters/mail.py's Mailer it uses: queue a
rendered message by key; ValueError for an address it cannot send to), the message's
template name and context, and `record_mail_outcome`, which turns the mailer's report on
one message (sent, failed, sent after retries) into the request's audit events. The context
holds the requester's name, the link and the dates: never a birth date. Never logs the
address or the link.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

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

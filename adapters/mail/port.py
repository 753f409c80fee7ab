"""What callers of the mailer see: the mail to queue, its state, and the `MailQueue` protocol.

Owns the domain values only (no SMTP, no SQL, no templates). A caller queues an
`OutgoingMail` under an idempotency key and later asks the state of that key; the queue
(adapters/mail/queue.py) keeps every mail in the store until it is sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class MailState(StrEnum):
    """Where a queued mail is."""

    # Recorded, not tried yet.
    QUEUED = "QUEUED"
    # Tried and failed (server down, timeout, 4xx...): tried again at `next_attempt_at`.
    RETRYING = "RETRYING"
    # Accepted by the SMTP server (or written to the outbox folder).
    SENT = "SENT"
    # Refused for good by the server (recipient or content refused with a 5xx): never retried.
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """A mail to send: `template` rendered in `language` ("fr" default, "en") with `context`.

    `key` is the caller's idempotency key ("new-arrivals:<digest id>", "share-request:<id>"):
    queueing the same key again keeps the first mail and sends it once. `context` must be
    JSON (it is stored until the mail is sent, then erased with the address).
    """

    to: str
    language: str
    template: str
    context: Mapping[str, Any]
    key: str


@dataclass(frozen=True, slots=True)
class MailStatus:
    """The state of the mail queued under `key` (no address, no content).

    `attempts`: sends tried so far; `last_error`: the kind of the last failure ("connect",
    "timeout", "auth", "tls", "smtp 451", "recipient-refused 550", "outbox-io"...), kept
    after a later success so "failed, retried, sent" can be told; `next_attempt_at`: when a
    QUEUED or RETRYING mail is tried next (None once SENT or FAILED).
    """

    key: str
    id: str
    template: str
    state: MailState
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryRound:
    """What one round of deliveries did (counts only)."""

    sent: int = 0
    failed: int = 0  # will be retried
    rejected: int = 0  # refused for good

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.rejected


class InvalidAddress(ValueError):
    """The recipient is not an address a mail can be sent to (nothing was queued)."""


class MailQueue(Protocol):
    """What the schema and the jobs use to send mail."""

    async def enqueue(self, mail: OutgoingMail) -> MailStatus:
        """Record the mail for sending (InvalidAddress: refused, nothing recorded).

        The same key queued again returns the first mail's status and queues nothing.
        """
        ...

    async def status(self, keys: Sequence[str]) -> dict[str, MailStatus]:
        """The state of the mails queued under these keys (keys never queued are absent)."""
        ...

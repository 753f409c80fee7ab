"""What the store keeps of share requests and of every share's history, and the protocols to them.

Owns the domain values of the sharing workflow (a request to see an account, its status and
delivery, and the events of the audit trail) and the repository protocols the schema calls.
Accepted shares themselves are `adapters.store.port.Share`. Nothing here holds a birth date,
an e-mail address, a mail's body or a token: a request keeps only the keyed hash of its
accept token's nonce.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from adapters.store.port import Share, ShareScope


class ShareRequestStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"


class ShareDelivery(StrEnum):
    """How the account's owner is asked: an e-mailed link, or only in the account itself."""

    EMAIL = "EMAIL"
    IN_ACCOUNT = "IN_ACCOUNT"


class ShareEventKind(StrEnum):
    REQUESTED = "REQUESTED"
    MAILED = "MAILED"
    MAIL_FAILED = "MAIL_FAILED"
    MAIL_RETRIED = "MAIL_RETRIED"
    OPENED = "OPENED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    SCOPE_CHANGED = "SCOPE_CHANGED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"


class ShareActor(StrEnum):
    """Who caused an event: the patron who asked (the viewer), the account's owner, or the gateway."""

    REQUESTER = "REQUESTER"
    OWNER = "OWNER"
    SYSTEM = "SYSTEM"


@dataclass(frozen=True, slots=True)
class ShareRequest:
    """A request by `requester_id` to see the account `card_number`.

    `owner_id` is the card number when the ILS knows the account, None otherwise: a request
    for an unknown card is kept like any other (the requester cannot tell them apart) and
    simply never reaches anyone. `status` is as stored: a PENDING request past `expires_at`
    is expired (`effective_status`).
    """

    id: str
    requester_id: str
    card_number: str
    owner_id: str | None
    delivery: ShareDelivery
    status: ShareRequestStatus
    created_at: datetime
    expires_at: datetime
    language: str = "fr"
    answered_at: datetime | None = None
    share_id: str | None = None

    def effective_status(self, now: datetime) -> ShareRequestStatus:
        if self.status is ShareRequestStatus.PENDING and now >= self.expires_at:
            return ShareRequestStatus.EXPIRED
        return self.status


@dataclass(frozen=True, slots=True)
class ShareEvent:
    """One entry of a share's audit trail; `scope` and `expires_at` say what a change set."""

    kind: ShareEventKind
    actor: ShareActor
    at: datetime
    request_id: str | None = None
    share_id: str | None = None
    scope: ShareScope | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RequestCounts:
    """What the request rule needs to know of a requester, counted in the same transaction."""

    pending: int
    since_day_start: int
    pending_to_card: bool
    shared_already: bool


class ShareRefusal(StrEnum):
    """Why the store refused an answer to a request or a change of a share (it changed nothing)."""

    NOT_FOUND = "NOT_FOUND"
    EXPIRED = "EXPIRED"
    ANSWERED = "ANSWERED"
    # The accept token is not (or no longer) the request's: tampered with, or used.
    TOKEN_MISMATCH = "TOKEN_MISMATCH"


# Decides from the counts whether a new request may be made: None, or a reason code.
RequestCheck = Callable[[RequestCounts], str | None]


class ShareRequestRepository(Protocol):
    async def create(
        self, request: ShareRequest, token_hash: str | None, check: RequestCheck, *, day_start: datetime
    ) -> ShareRequest | str:
        """Record the request and its REQUESTED event, unless `check` (given the requester's counts
        taken under the requester's write lock) answers a reason code, which is returned."""
        ...

    async def by_id(self, request_id: str) -> ShareRequest | None: ...

    async def of_owner(self, owner_id: str) -> list[ShareRequest]:
        """Requests for the account `owner_id`, newest first."""
        ...

    async def of_requester(self, requester_id: str) -> list[ShareRequest]:
        """Requests `requester_id` sent, newest first."""
        ...

    async def decline(
        self, request_id: str, owner_id: str, now: datetime, *, token_hash: str | None = None
    ) -> ShareRequest | ShareRefusal:
        """A pending, unexpired request of `owner_id`'s (whose token hash is `token_hash`, when
        given) becomes DECLINED (with its event); its token no longer works."""
        ...

    async def opened(self, request_id: str, now: datetime) -> None:
        """Record that the accept link's page was shown (a GET acts on nothing else)."""
        ...

    async def expire_due(self, now: datetime) -> int:
        """Pending requests past their end become EXPIRED, each with its event; how many."""
        ...


class ShareEventRepository(Protocol):
    async def record(self, event: ShareEvent) -> None:
        """Add one event (mail outcomes: the mailer's report)."""
        ...

    async def of_requests(self, request_ids: Sequence[str]) -> list[list[ShareEvent]]:
        """Each request's events in order, in key order. One query."""
        ...

    async def of_shares(self, shares: Sequence[Share]) -> list[list[ShareEvent]]:
        """Each share's events (those of the request it came from, then its own), in order."""
        ...

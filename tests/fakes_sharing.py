"""In-memory doubles of the sharing repositories (requests and the audit trail), subclasses of the ports.

Enough for schema tests that list requests and histories; the workflow itself (limits,
tokens, accepting) is tested on the SQL store (tests/integration/test_store_share_requests.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from adapters.store.port import Share
from adapters.store.share_port import (
    RequestCheck,
    RequestCounts,
    ShareEvent,
    ShareEventRepository,
    ShareRefusal,
    ShareRequest,
    ShareRequestRepository,
    ShareRequestStatus,
)


class FakeShareRequests(ShareRequestRepository):
    """Share requests in memory, newest last; the counts the rule sees are computed from them."""

    def __init__(self) -> None:
        self.rows: list[ShareRequest] = []

    async def create(
        self, request: ShareRequest, token_hash: str | None, check: RequestCheck, *, day_start: datetime
    ) -> ShareRequest | str:
        mine = [r for r in self.rows if r.requester_id == request.requester_id]
        pending = [r for r in mine if r.effective_status(request.created_at) is ShareRequestStatus.PENDING]
        counts = RequestCounts(
            pending=len(pending),
            since_day_start=len([r for r in mine if r.created_at >= day_start]),
            pending_to_card=any(r.card_number == request.card_number for r in pending),
            shared_already=False,
        )
        refusal = check(counts)
        if refusal is not None:
            return refusal
        self.rows.append(request)
        return request

    async def by_id(self, request_id: str) -> ShareRequest | None:
        return next((r for r in self.rows if r.id == request_id), None)

    async def of_owner(self, owner_id: str) -> list[ShareRequest]:
        return [r for r in reversed(self.rows) if r.owner_id == owner_id]

    async def of_requester(self, requester_id: str) -> list[ShareRequest]:
        return [r for r in reversed(self.rows) if r.requester_id == requester_id]

    async def decline(
        self, request_id: str, owner_id: str, now: datetime, *, token_hash: str | None = None
    ) -> ShareRequest | ShareRefusal:
        return ShareRefusal.NOT_FOUND

    async def opened(self, request_id: str, now: datetime) -> None:
        return None

    async def expire_due(self, now: datetime) -> int:
        return 0


class FakeShareEvents(ShareEventRepository):
    """Events in memory, in the order recorded."""

    def __init__(self) -> None:
        self.rows: list[ShareEvent] = []

    async def record(self, event: ShareEvent) -> None:
        self.rows.append(event)

    async def of_requests(self, request_ids: Sequence[str]) -> list[list[ShareEvent]]:
        return [[e for e in self.rows if e.request_id == request_id] for request_id in request_ids]

    async def of_shares(self, shares: Sequence[Share]) -> list[list[ShareEvent]]:
        return [
            [e for e in self.rows if e.share_id == s.id or (s.request_id and e.request_id == s.request_id)]
            for s in shares
        ]

"""The SQL repository of share requests (`ShareRequestRepository`).

Owns the queries on the share_requests table. A request is created in one transaction that
first takes the requester's write lock (adapters/store/write_lock.py), counts what the rule
needs and asks it (the rule itself is schema/sharing/rules.py's), so concurrent requests
cannot pass the limits. Every change writes its event (adapters/store/share_events.py) in
the same transaction. Accepting a request makes a share: that lives in shares.py, which owns
the cache of who sees what. Never stores a token (only the keyed hash of its nonce).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.share_events import add_event
from adapters.store.share_port import (
    RequestCheck,
    RequestCounts,
    ShareActor,
    ShareDelivery,
    ShareEvent,
    ShareEventKind,
    ShareRefusal,
    ShareRequest,
    ShareRequestStatus,
)
from adapters.store.tables import ShareRequestRow, ShareRow
from adapters.store.write_lock import lock_patron


def share_request(row: ShareRequestRow) -> ShareRequest:
    return ShareRequest(
        id=row.id,
        requester_id=row.requester_id,
        card_number=row.card_number,
        owner_id=row.owner_id,
        delivery=ShareDelivery(row.delivery),
        status=ShareRequestStatus(row.status),
        created_at=row.created_at,
        expires_at=row.expires_at,
        language=row.language,
        answered_at=row.answered_at,
        share_id=row.share_id,
    )


async def pending_request(
    session: AsyncSession, request_id: str, owner_id: str, now: datetime
) -> ShareRequestRow | ShareRefusal:
    """The request row, locked for this transaction, if it is `owner_id`'s and still open."""
    row = await session.get(ShareRequestRow, request_id, with_for_update=True)
    if row is None or row.owner_id is None or row.owner_id != owner_id:
        return ShareRefusal.NOT_FOUND
    if row.status != ShareRequestStatus.PENDING.value:
        return ShareRefusal.ANSWERED
    if now >= row.expires_at:
        return ShareRefusal.EXPIRED
    return row


class SqlShareRequestRepository:
    """ShareRequestRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def create(
        self, request: ShareRequest, token_hash: str | None, check: RequestCheck, *, day_start: datetime
    ) -> ShareRequest | str:
        async with self._sessions.begin() as session:
            await lock_patron(session, request.requester_id)
            refusal = check(await _counts(session, request, day_start))
            if refusal is not None:
                return refusal
            session.add(
                ShareRequestRow(
                    id=request.id,
                    requester_id=request.requester_id,
                    card_number=request.card_number,
                    owner_id=request.owner_id,
                    delivery=request.delivery.value,
                    status=request.status.value,
                    created_at=request.created_at,
                    expires_at=request.expires_at,
                    language=request.language,
                    token_hash=token_hash,
                )
            )
            add_event(
                session,
                ShareEvent(ShareEventKind.REQUESTED, ShareActor.REQUESTER, request.created_at, request.id),
            )
        return request

    async def by_id(self, request_id: str) -> ShareRequest | None:
        async with self._sessions() as session:
            row = await session.get(ShareRequestRow, request_id)
            return None if row is None else share_request(row)

    async def of_owner(self, owner_id: str) -> list[ShareRequest]:
        query = (
            select(ShareRequestRow)
            .where(ShareRequestRow.owner_id == owner_id)
            .order_by(ShareRequestRow.created_at.desc(), ShareRequestRow.id)
        )
        async with self._sessions() as session:
            return [share_request(row) for row in await session.scalars(query)]

    async def of_requester(self, requester_id: str) -> list[ShareRequest]:
        query = (
            select(ShareRequestRow)
            .where(ShareRequestRow.requester_id == requester_id)
            .order_by(ShareRequestRow.created_at.desc(), ShareRequestRow.id)
        )
        async with self._sessions() as session:
            return [share_request(row) for row in await session.scalars(query)]

    async def decline(
        self, request_id: str, owner_id: str, now: datetime, *, token_hash: str | None = None
    ) -> ShareRequest | ShareRefusal:
        async with self._sessions.begin() as session:
            row = await pending_request(session, request_id, owner_id, now)
            if isinstance(row, ShareRefusal):
                return row
            if token_hash is not None and row.token_hash != token_hash:
                return ShareRefusal.TOKEN_MISMATCH
            row.status, row.answered_at, row.token_hash = ShareRequestStatus.DECLINED.value, now, None
            add_event(session, ShareEvent(ShareEventKind.DECLINED, ShareActor.OWNER, now, request_id))
            return share_request(row)

    async def opened(self, request_id: str, now: datetime) -> None:
        async with self._sessions.begin() as session:
            add_event(session, ShareEvent(ShareEventKind.OPENED, ShareActor.OWNER, now, request_id))

    async def expire_due(self, now: datetime) -> int:
        due = select(ShareRequestRow.id).where(
            ShareRequestRow.status == ShareRequestStatus.PENDING.value, ShareRequestRow.expires_at <= now
        )
        async with self._sessions.begin() as session:
            ids = list(await session.scalars(due.with_for_update()))
            if not ids:
                return 0
            await session.execute(
                update(ShareRequestRow)
                .where(ShareRequestRow.id.in_(ids))
                .values(status=ShareRequestStatus.EXPIRED.value, token_hash=None)
            )
            for request_id in ids:
                add_event(session, ShareEvent(ShareEventKind.EXPIRED, ShareActor.SYSTEM, now, request_id))
        return len(ids)


async def _counts(session: AsyncSession, request: ShareRequest, day_start: datetime) -> RequestCounts:
    mine = ShareRequestRow.requester_id == request.requester_id
    open_ = (ShareRequestRow.status == ShareRequestStatus.PENDING.value) & (
        ShareRequestRow.expires_at > request.created_at
    )
    pending = await session.scalar(select(func.count()).select_from(ShareRequestRow).where(mine, open_))
    recent = await session.scalar(
        select(func.count()).select_from(ShareRequestRow).where(mine, ShareRequestRow.created_at >= day_start)
    )
    to_card = await session.scalar(
        select(ShareRequestRow.id)
        .where(mine, open_, ShareRequestRow.card_number == request.card_number)
        .limit(1)
    )
    shared = await session.scalar(
        select(ShareRow.id)
        .where(ShareRow.viewer_id == request.requester_id, ShareRow.owner_id == request.card_number)
        .where((ShareRow.expires_at.is_(None)) | (ShareRow.expires_at > request.created_at))
        .limit(1)
    )
    return RequestCounts(
        pending=pending or 0,
        since_day_start=recent or 0,
        pending_to_card=to_card is not None,
        shared_already=shared is not None,
    )

"""The SQL repository of accepted shares (`ShareRepository`).

Owns the queries on the shares table; each method is one short transaction. `seen_by` is
read on nearly every request (access to a shared account), so its answer is kept for
`cache_seconds` per viewer (adapters/store/read_cache.py): every method that changes shares
writes through `_changing(viewer_id)`, which forgets that viewer's shares once its transaction
has committed, so a change (a revocation above all) is immediate in this process and seen by
the other workers and replicas within `cache_seconds`. Keep `seen_by` the one reader of a
viewer's shares and `_changing` the one way to write them. Never decides who may see what
(schema/access.py does) and never talks to the ILS.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.database import read_again_if_disconnected
from adapters.store.port import Share, ShareScope
from adapters.store.read_cache import ReadCache
from adapters.store.share_events import add_event
from adapters.store.share_port import (
    ShareActor,
    ShareEvent,
    ShareEventKind,
    ShareRefusal,
    ShareRequestStatus,
)
from adapters.store.share_requests import pending_request
from adapters.store.tables import ShareRequestRow, ShareRow


def _share(row: ShareRow) -> Share:
    return Share(
        id=row.id,
        owner_id=row.owner_id,
        viewer_id=row.viewer_id,
        since=row.since,
        scope=ShareScope(row.scope),
        expires_at=row.expires_at,
        request_id=row.request_id,
    )


class SqlShareRepository:
    """ShareRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        *,
        cache_seconds: float = 0.0,
        cache_timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._seen: ReadCache[str, tuple[Share, ...]] = ReadCache(cache_seconds, timer=cache_timer)

    async def seen_by(self, viewer_id: str) -> list[Share]:
        read = lambda: read_again_if_disconnected(lambda: self._read_seen_by(viewer_id))  # noqa: E731
        return list(await self._seen.get(viewer_id, read))

    async def _read_seen_by(self, viewer_id: str) -> tuple[Share, ...]:
        query = select(ShareRow).where(ShareRow.viewer_id == viewer_id).order_by(ShareRow.since, ShareRow.id)
        async with self._sessions() as session:
            return tuple(_share(row) for row in await session.scalars(query))

    @asynccontextmanager
    async def _changing(self, *viewer_ids: str) -> AsyncIterator[AsyncSession]:
        """A write transaction on these viewers' shares (none named: any viewer's); what this
        process remembers of their `seen_by` is forgotten once it has ended."""
        try:
            async with self._sessions.begin() as session:
                yield session
        finally:
            if not viewer_ids:
                self._seen.clear()
            for viewer_id in viewer_ids:
                self._seen.forget(viewer_id)

    async def of_owner(self, owner_id: str) -> list[Share]:
        query = select(ShareRow).where(ShareRow.owner_id == owner_id).order_by(ShareRow.since, ShareRow.id)
        async with self._sessions() as session:
            return [_share(row) for row in await session.scalars(query)]

    async def create(
        self,
        owner_id: str,
        viewer_id: str,
        *,
        scope: ShareScope = ShareScope.VIEW_AND_RENEW,
        expires_at: datetime | None = None,
    ) -> Share:
        row = ShareRow(
            id=uuid.uuid4().hex,
            owner_id=owner_id,
            viewer_id=viewer_id,
            since=self._clock(),
            scope=scope.value,
            expires_at=expires_at,
        )
        try:
            async with self._changing(viewer_id) as session:
                session.add(row)
        except IntegrityError:
            existing = select(ShareRow).where(ShareRow.owner_id == owner_id, ShareRow.viewer_id == viewer_id)
            async with self._sessions() as session:
                return _share((await session.scalars(existing)).one())
        return _share(row)

    async def by_id(self, share_id: str) -> Share | None:
        async with self._sessions() as session:
            row = await session.get(ShareRow, share_id)
            return None if row is None else _share(row)

    async def accept(
        self,
        request_id: str,
        owner_id: str,
        *,
        scope: ShareScope,
        expires_at: datetime | None,
        now: datetime,
        token_hash: str | None = None,
    ) -> Share | ShareRefusal:
        async with self._sessions() as session:
            request = await session.get(ShareRequestRow, request_id)
        if request is None:
            return ShareRefusal.NOT_FOUND
        async with self._changing(request.requester_id) as session:
            row = await pending_request(session, request_id, owner_id, now)
            if isinstance(row, ShareRefusal):
                return row
            if token_hash is not None and row.token_hash != token_hash:
                return ShareRefusal.TOKEN_MISMATCH
            share = await self._share_between(session, owner_id, row.requester_id, now)
            share.scope, share.expires_at, share.request_id = scope.value, expires_at, request_id
            row.status, row.answered_at = ShareRequestStatus.ACCEPTED.value, now
            row.token_hash, row.share_id = None, share.id
            event = ShareEvent(
                ShareEventKind.ACCEPTED, ShareActor.OWNER, now, request_id, share.id, scope, expires_at
            )
            add_event(session, event)
            await session.flush()
            return _share(share)

    async def _share_between(
        self, session: AsyncSession, owner_id: str, viewer_id: str, now: datetime
    ) -> ShareRow:
        """The share from owner to viewer, made now unless there is one (then it is re-given)."""
        query = select(ShareRow).where(ShareRow.owner_id == owner_id, ShareRow.viewer_id == viewer_id)
        existing = (await session.scalars(query.with_for_update())).one_or_none()
        if existing is not None:
            return existing
        row = ShareRow(id=uuid.uuid4().hex, owner_id=owner_id, viewer_id=viewer_id, since=now)
        session.add(row)
        return row

    async def revoke(self, share_id: str, patron_id: str, now: datetime) -> Share | ShareRefusal:
        found = await self.by_id(share_id)
        if found is None or patron_id not in (found.owner_id, found.viewer_id):
            return ShareRefusal.NOT_FOUND
        actor = ShareActor.OWNER if patron_id == found.owner_id else ShareActor.REQUESTER
        async with self._changing(found.viewer_id) as session:
            row = await session.get(ShareRow, share_id, with_for_update=True)
            if row is None:
                return ShareRefusal.NOT_FOUND
            ended = _share(row)
            await session.delete(row)
            add_event(session, ShareEvent(ShareEventKind.REVOKED, actor, now, row.request_id, share_id))
            return ended

    async def change(
        self, share_id: str, owner_id: str, scope: ShareScope, expires_at: datetime | None, now: datetime
    ) -> Share | ShareRefusal:
        found = await self.by_id(share_id)
        if found is None or found.owner_id != owner_id:
            return ShareRefusal.NOT_FOUND
        async with self._changing(found.viewer_id) as session:
            row = await session.get(ShareRow, share_id, with_for_update=True)
            if row is None:
                return ShareRefusal.NOT_FOUND
            row.scope, row.expires_at = scope.value, expires_at
            event = ShareEvent(
                ShareEventKind.SCOPE_CHANGED,
                ShareActor.OWNER,
                now,
                row.request_id,
                share_id,
                scope,
                expires_at,
            )
            add_event(session, event)
            return _share(row)

    async def end_expired(self, now: datetime) -> list[Share]:
        due = select(ShareRow).where(ShareRow.expires_at.is_not(None), ShareRow.expires_at <= now)
        async with self._sessions() as session:
            if not list(await session.scalars(due.limit(1))):
                return []
        # Any viewer's shares may change: the whole cache is forgotten (expiry is rare).
        async with self._changing() as session:
            rows = list(await session.scalars(due.with_for_update()))
            for row in rows:
                add_event(
                    session,
                    ShareEvent(ShareEventKind.EXPIRED, ShareActor.SYSTEM, now, row.request_id, row.id),
                )
            if rows:
                await session.execute(delete(ShareRow).where(ShareRow.id.in_([row.id for row in rows])))
            return [_share(row) for row in rows]

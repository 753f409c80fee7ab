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

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.database import read_again_if_disconnected
from adapters.store.port import Share, ShareScope
from adapters.store.read_cache import ReadCache
from adapters.store.tables import ShareRow


def _share(row: ShareRow) -> Share:
    return Share(
        id=row.id,
        owner_id=row.owner_id,
        viewer_id=row.viewer_id,
        since=row.since,
        scope=ShareScope(row.scope),
        expires_at=row.expires_at,
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

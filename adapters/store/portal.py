"""The SQL implementation of `PortalStore`: shares and idempotency keys.

Owns the queries on those tables; each method is one short transaction. Never talks to
the ILS and never decides who may see what (the schema's permissions do).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import Share
from adapters.store.tables import IdempotencyRow, ShareRow


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _share(row: ShareRow) -> Share:
    return Share(id=row.id, owner_id=row.owner_id, viewer_id=row.viewer_id, since=row.since)


class SqlPortalStore:
    """PortalStore over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    async def shares_seen_by(self, viewer_id: str) -> list[Share]:
        query = select(ShareRow).where(ShareRow.viewer_id == viewer_id).order_by(ShareRow.since, ShareRow.id)
        async with self._sessions() as session:
            return [_share(row) for row in await session.scalars(query)]

    async def shares_of(self, owner_id: str) -> list[Share]:
        query = select(ShareRow).where(ShareRow.owner_id == owner_id).order_by(ShareRow.since, ShareRow.id)
        async with self._sessions() as session:
            return [_share(row) for row in await session.scalars(query)]

    async def create_share(self, owner_id: str, viewer_id: str) -> Share:
        """Idempotent: an existing share between the two is returned as it is."""
        row = ShareRow(id=uuid.uuid4().hex, owner_id=owner_id, viewer_id=viewer_id, since=self._clock())
        try:
            async with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            existing = select(ShareRow).where(ShareRow.owner_id == owner_id, ShareRow.viewer_id == viewer_id)
            async with self._sessions() as session:
                return _share((await session.scalars(existing)).one())
        return _share(row)

    async def idempotent_result(self, key: str, patron_id: str) -> str | None:
        async with self._sessions() as session:
            row = await session.get(IdempotencyRow, (key, patron_id))
            return None if row is None else row.result

    async def record_idempotent_result(self, key: str, patron_id: str, result: str) -> None:
        row = IdempotencyRow(key=key, patron_id=patron_id, result=result, created_at=self._clock())
        try:
            async with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            # The first record wins; a concurrent retry lost the race and keeps nothing.
            return

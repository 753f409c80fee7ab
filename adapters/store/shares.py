"""The SQL repository of accepted shares (`ShareRepository`).

Owns the queries on the shares table; each method is one short transaction. Never decides
who may see what (schema/access.py does) and never talks to the ILS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import Share, ShareScope
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

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def seen_by(self, viewer_id: str) -> list[Share]:
        query = select(ShareRow).where(ShareRow.viewer_id == viewer_id).order_by(ShareRow.since, ShareRow.id)
        async with self._sessions() as session:
            return [_share(row) for row in await session.scalars(query)]

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
            async with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            existing = select(ShareRow).where(ShareRow.owner_id == owner_id, ShareRow.viewer_id == viewer_id)
            async with self._sessions() as session:
                return _share((await session.scalars(existing)).one())
        return _share(row)

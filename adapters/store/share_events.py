"""The SQL repository of the shares' audit trail (`ShareEventRepository`) and `add_event`.

Owns the queries on the share_events table. The other sharing repositories add their events
with `add_event` inside their own transaction, so a change and its event are kept together or
not at all. An event holds kinds, actors, dates and the scope set: never text about a person,
an address or a token. Never decides anything.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import Share, ShareScope
from adapters.store.share_port import ShareActor, ShareEvent, ShareEventKind
from adapters.store.tables import ShareEventRow


def add_event(session: AsyncSession, event: ShareEvent) -> None:
    """Add `event` to the transaction of `session`."""
    session.add(
        ShareEventRow(
            request_id=event.request_id,
            share_id=event.share_id,
            kind=event.kind.value,
            actor=event.actor.value,
            at=event.at,
            scope=None if event.scope is None else event.scope.value,
            expires_at=event.expires_at,
        )
    )


def _event(row: ShareEventRow) -> ShareEvent:
    return ShareEvent(
        kind=ShareEventKind(row.kind),
        actor=ShareActor(row.actor),
        at=row.at,
        request_id=row.request_id,
        share_id=row.share_id,
        scope=None if row.scope is None else ShareScope(row.scope),
        expires_at=row.expires_at,
    )


class SqlShareEventRepository:
    """ShareEventRepository over SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, event: ShareEvent) -> None:
        async with self._sessions.begin() as session:
            add_event(session, event)

    async def of_requests(self, request_ids: Sequence[str]) -> list[list[ShareEvent]]:
        if not request_ids:
            return []
        query = (
            select(ShareEventRow)
            .where(ShareEventRow.request_id.in_(list(request_ids)))
            .order_by(ShareEventRow.seq)
        )
        by_request: dict[str, list[ShareEvent]] = {}
        async with self._sessions() as session:
            for row in await session.scalars(query):
                by_request.setdefault(row.request_id or "", []).append(_event(row))
        return [by_request.get(request_id, []) for request_id in request_ids]

    async def of_shares(self, shares: Sequence[Share]) -> list[list[ShareEvent]]:
        if not shares:
            return []
        request_ids = [share.request_id for share in shares if share.request_id is not None]
        query = (
            select(ShareEventRow)
            .where(
                or_(
                    ShareEventRow.share_id.in_([share.id for share in shares]),
                    ShareEventRow.request_id.in_(request_ids),
                )
            )
            .order_by(ShareEventRow.seq)
        )
        async with self._sessions() as session:
            rows = list(await session.scalars(query))
        return [
            [
                _event(row)
                for row in rows
                if row.share_id == share.id
                or (share.request_id is not None and row.request_id == share.request_id)
            ]
            for share in shares
        ]
